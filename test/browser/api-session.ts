/** A console API session from Node (sign-in cookie and CSRF token), for preparing data the way another officer would. */
const PASSWORD = 'Demo@2026';

export async function apiSession(base: string, username: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return {
    cookie,
    call: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const r = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
  };
}

/** Just the session's call function. */
export async function apiCall(base: string, username: string) {
  return (await apiSession(base, username)).call;
}
