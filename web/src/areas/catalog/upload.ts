/**
 * Sends a file as the raw request body (the catalog import takes the .xlsx itself, not JSON). The
 * shared client (api.ts) only sends JSON, so this does the same for a file: session cookie, CSRF
 * token, problem+json errors as ApiError.
 */
import { API_BASE, ApiError, type Problem } from '../../api';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function isProblem(x: unknown): x is Problem {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.message === 'object' && o.message !== null;
}

export async function postFile<T>(path: string, file: Blob, csrfToken: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': XLSX, 'x-csrf-token': csrfToken },
      body: file,
    });
  } catch (err) {
    throw new ApiError({
      type: 'about:blank',
      title: String(err),
      status: 0,
      code: 'NETWORK',
      message: {
        zh: '无法连接服务器，请检查网络后重试',
        en: 'Cannot reach the server; check the network and retry',
      },
      fields: [],
      requestId: '',
    });
  }
  const payload: unknown = (res.headers.get('content-type') ?? '').includes('json')
    ? await res.json()
    : await res.text();
  if (!res.ok) {
    if (isProblem(payload)) throw new ApiError({ ...payload, fields: payload.fields ?? [] });
    throw new ApiError({
      type: 'about:blank',
      title: String(payload),
      status: res.status,
      code: 'HTTP_ERROR',
      message: {
        zh: `服务器返回错误（${res.status}）`,
        en: `The server answered with an error (${res.status})`,
      },
      fields: [],
      requestId: '',
    });
  }
  return payload as T;
}
