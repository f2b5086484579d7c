import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiError, del, get, setCsrfToken } from '../api/client.ts';
import type { Session } from '../api/types.ts';

export const SESSION_KEY = ['session'] as const;
export const SETUP_KEY = ['setup'] as const;

export function useSetupStatus() {
  return useQuery({
    queryKey: SETUP_KEY,
    queryFn: async ({ signal }) => {
      try {
        return await get<{ needsSetup: boolean }>('/v1/setup', { signal, quiet401: true });
      } catch (error) {
        // A server without the setup endpoint has nothing to set up here.
        if (error instanceof ApiError && (error.status === 404 || error.status === 401)) return { needsSetup: false };
        throw error;
      }
    },
    staleTime: Infinity,
    retry: 1,
  });
}

export function useSessionQuery(enabled: boolean) {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async ({ signal }) => {
      try {
        return await get<Session>('/v1/session', { signal, quiet401: true });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    enabled,
    staleTime: Infinity,
    retry: 1,
  });
}

/** Set when the person signed out themselves: the sign-in page then starts afresh (no ?next=). */
export const signOutState = { explicit: false };

/** Stores a session from sign-in, setup or an accepted invitation. */
export function useStartSession(): (session: Session) => void {
  const client = useQueryClient();
  return useCallback(
    (session: Session) => {
      setCsrfToken(session.csrfToken, session.user.id);
      signOutState.explicit = false;
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] && q.queryKey[0] !== SETUP_KEY[0] });
      client.setQueryData(SETUP_KEY, { needsSetup: false });
      client.setQueryData(SESSION_KEY, session);
    },
    [client],
  );
}

export function useSignOut(): { signOut: () => Promise<void>; signingOut: boolean } {
  const client = useQueryClient();
  const [signingOut, setSigningOut] = useState(false);
  const signOut = useCallback(async () => {
    setSigningOut(true);
    try {
      await del('/v1/session');
    } catch {
      // Signed out on the server or not: forget the session here.
    } finally {
      setCsrfToken(null);
      signOutState.explicit = true;
      // Forget everything of the signed-in user, but keep the session query its observers hold.
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] && q.queryKey[0] !== SETUP_KEY[0] });
      client.setQueryData(SETUP_KEY, { needsSetup: false });
      client.setQueryData(SESSION_KEY, null);
      setSigningOut(false);
    }
  }, [client]);
  return { signOut, signingOut };
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  const value = useMemo(() => session, [session]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The signed-in user and organization; only inside the signed-in part of the app. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a session');
  return session;
}

export function canManage(session: Session): boolean {
  return session.user.role === 'owner' || session.user.role === 'admin';
}
