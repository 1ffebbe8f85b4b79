/** Sends a spreadsheet as the raw request body (api.ts sends JSON only), with the session's CSRF token. */
import { API_BASE, ApiError, type Problem, type Query, queryString } from '../../api';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function uploadXlsx<T>(path: string, query: Query, file: Blob, csrfToken: string): Promise<T> {
  const res = await fetch(`${API_BASE}${path}${queryString(query)}`, {
    method: 'POST',
    headers: { 'content-type': XLSX, 'x-csrf-token': csrfToken, accept: 'application/json' },
    credentials: 'same-origin',
    body: file,
  });
  const payload: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const p = payload as Partial<Problem> | null;
    throw new ApiError({
      type: p?.type ?? 'about:blank',
      title: p?.title ?? 'Error',
      status: res.status,
      code: p?.code ?? 'HTTP_ERROR',
      message: p?.message ?? {
        zh: `服务器返回错误（${res.status}）`,
        en: `The server answered ${res.status}`,
      },
      fields: p?.fields ?? [],
      requestId: p?.requestId ?? '',
    });
  }
  return payload as T;
}
