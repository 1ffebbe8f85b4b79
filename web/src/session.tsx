/**
 * Who is signed in: GET /auth/me once, kept in the query cache under ['me']. Sign-in, sign-out and the
 * platform office's organization switch go through here, so the CSRF token and the cache stay in step.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { ApiError, api, onUnauthenticated, setCsrfToken } from './api';
import type { Me } from './types';

export const ME_KEY = ['me'] as const;

export interface Session {
  me: Me | null;
  /** true until the first /auth/me has answered. */
  loading: boolean;
  can: (permission: string) => boolean;
  signIn: (username: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
  switchOrg: (orgId: string) => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

async function fetchMe(signal: AbortSignal): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/auth/me', undefined, signal);
    setCsrfToken(me.csrfToken);
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { data, isPending } = useQuery({
    queryKey: ME_KEY,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const me = data ?? null;

  const forget = useCallback(() => {
    setCsrfToken(null);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    queryClient.setQueryData(ME_KEY, null);
  }, [queryClient]);

  useEffect(() => onUnauthenticated(forget), [forget]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const signedIn = await api.post<Me>('/auth/login', { username, password });
      setCsrfToken(signedIn.csrfToken);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, signedIn);
      return signedIn;
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post<null>('/auth/logout');
    } finally {
      forget();
    }
  }, [forget]);

  const switchOrg = useCallback(
    async (orgId: string) => {
      await api.post<null>('/auth/switch-org', { orgId });
      await queryClient.refetchQueries({ queryKey: ME_KEY });
      // Everything seen so far was seen as the other organization: reload what is on screen.
      await queryClient.resetQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    },
    [queryClient],
  );

  const value = useMemo<Session>(() => {
    const permissions = new Set(me?.permissions ?? []);
    return {
      me,
      loading: isPending,
      can: (p) => permissions.has(p),
      signIn,
      signOut,
      switchOrg,
    };
  }, [me, isPending, signIn, signOut, switchOrg]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in user; only for pages rendered inside the signed-in layout. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}
