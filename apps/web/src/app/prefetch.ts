import type { QueryClient } from '@tanstack/query-core';
import { readTokens } from '../api/session';
import { prefetchWorksheet } from '../features/worksheet/queries';
import { loaders, screenOf } from './loaders';
import { meQuery } from './me-query';

/**
 * What the entry starts before React and the shell load: the code of the address's screen, and when
 * a session is there, GET /auth/me and the screen's own reads (the worksheet's). They overlap the
 * loading and evaluation of the app's code instead of waiting for the screen to render.
 */
export function prefetchRoute(pathname: string, client: QueryClient): void {
  const signedIn = readTokens() !== null;
  const screen = signedIn ? screenOf(pathname) : 'signIn';
  if (screen) void loaders[screen].load().catch(() => undefined); // a failure shows when the screen renders
  if (!signedIn) return;
  void client.prefetchQuery(meQuery);
  const [first, requestId, itemId] = pathname.split('/').slice(1);
  if (first === 'work' && requestId && itemId) prefetchWorksheet(client, requestId, itemId);
}
