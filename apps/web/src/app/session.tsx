import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import type { components } from '../api/schema';
import { onTokens, readTokens } from '../api/session';
import { meQuery } from './me-query';

export type StaffRole = components['schemas']['UserView']['roles'][number];

function subscribe(callback: () => void): () => void {
  return onTokens(callback);
}

/** Whether a session exists in this tab (tokens stored). */
export function useSignedIn(): boolean {
  return useSyncExternalStore(subscribe, () => readTokens() !== null);
}

/** The signed-in staff member (GET /auth/me); cleared from the cache when the session ends. */
export function useMe() {
  const signedIn = useSignedIn();
  const client = useQueryClient();
  useEffect(() => {
    if (!signedIn) client.clear();
  }, [signedIn, client]);
  return useQuery({ ...meQuery, enabled: signedIn });
}

/** What a role may do on these screens; inspectors read everything and change nothing. */
export function can(roles: readonly StaffRole[] | undefined, ...allowed: StaffRole[]): boolean {
  return !!roles?.some((r) => allowed.includes(r));
}
