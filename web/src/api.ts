/**
 * The console's only way to the server: fetch with the session cookie, the CSRF token on every change,
 * and application/problem+json errors turned into ApiError (zh/en message, field problems).
 *
 *   const page = await api.get<Page<Entry>>('/catalog/entries', { q: '户籍', status: ['published'] });
 *   await api.post('/auth/switch-org', { orgId });
 *
 * Paths are relative to /api/v1. The CSRF token comes from POST /auth/login and GET /auth/me; the
 * session module (session.tsx) hands it over with setCsrfToken().
 */
import type { FormInstance } from 'antd';
import type { Lang } from './i18n';

export const API_BASE = '/api/v1';

export interface FieldProblem {
  field: string;
  rule: string;
  zh: string;
  en: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  message: { zh: string; en: string };
  fields: FieldProblem[];
  requestId: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.message.en);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get code(): string {
    return this.problem.code;
  }

  /** The message in the console's language. */
  text(lang: Lang): string {
    return lang === 'en' ? this.problem.message.en : this.problem.message.zh;
  }
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (401 on anything but the sign-in itself). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
}

/** Builds ?a=1&status=x&status=y (arrays repeat the key, as the server's query parser expects). */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      for (const x of v) p.append(k, String(x));
    } else {
      p.append(k, String(v));
    }
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

function isProblem(x: unknown): x is Problem {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  const m = o.message as Record<string, unknown> | undefined;
  return typeof o.code === 'string' && typeof m === 'object' && m !== null && typeof m.zh === 'string';
}

function fallbackProblem(status: number, text: string): Problem {
  const network = status === 0;
  return {
    type: 'about:blank',
    title: text,
    status,
    code: network ? 'NETWORK' : status >= 500 ? 'INTERNAL' : 'HTTP_ERROR',
    message: network
      ? { zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server; check the network and retry' }
      : { zh: `服务器返回错误（${status}）`, en: `The server answered with an error (${status})` },
    fields: [],
    requestId: '',
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(fallbackProblem(0, String(err)));
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const problem = isProblem(payload) ? payload : fallbackProblem(res.status, String(payload));
    if (res.status === 401 && path !== '/auth/login') {
      for (const l of unauthenticatedListeners) l();
    }
    throw new ApiError(problem);
  }
  return payload as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** 'items[0].name' or 'items.0.name' → ['items', 0, 'name'] (an antd NamePath). */
export function namePath(field: string): (string | number)[] {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Shows a server error on a form: each field problem under its own control; what no control takes
 * (and the message itself if no field matched) is returned for an Alert above the form.
 */
export function applyProblemToForm(
  form: FormInstance,
  error: unknown,
  lang: Lang,
): { message: string; unmatched: FieldProblem[] } {
  if (!(error instanceof ApiError)) {
    return { message: lang === 'en' ? 'Unexpected error' : '发生意外错误', unmatched: [] };
  }
  const registered = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)));
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const unmatched: FieldProblem[] = [];
  for (const p of error.problem.fields) {
    const name = namePath(p.field);
    const key = JSON.stringify(name);
    if (!registered.has(key)) {
      unmatched.push(p);
      continue;
    }
    const text = lang === 'en' ? p.en : p.zh;
    const e = byField.get(key) ?? { name, errors: [] };
    e.errors.push(text);
    byField.set(key, e);
  }
  form.setFields([...byField.values()]);
  return { message: error.text(lang), unmatched };
}
