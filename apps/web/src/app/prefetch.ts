import type { QueryClient } from '@tanstack/query-core';
import { readTokens } from '../api/session';
import { prefetchWorksheet } from '../features/worksheet/queries';
import { loaders, screenOf } from './loaders';
import { meQuery } from './me-query';

/**
 * What the entry starts before React and the shell load: the code of the address's screen, and when
 * a session is there, GET /auth/me and the screen's own reads (the worksheet's). They overlap the
 * loading and evaluation of the app's code instead of waiting for the screen to render.
 *
 * Settles (never rejects) when the screen's code is in, or could not be loaded: the entry renders
 * then, so that the screen renders at once instead of through React.lazy (see screens.tsx).
 */
export function prefetchRoute(pathname: string, client: QueryClient): Promise<void> {
  const signedIn = readTokens() !== null;
  if (signedIn) {
    void client.prefetchQuery(meQuery);
    const [first, requestId, itemId] = pathname.split('/').slice(1);
    if (first === 'work' && requestId && itemId) prefetchWorksheet(client, requestId, itemId);
  }
  const screen = signedIn ? screenOf(pathname) : 'signIn';
  if (!screen) return Promise.resolve();
  // In the next task: the reads' fetch() calls are made a few promise steps in (openapi-fetch's
  // middleware), and the chunk's import adds a preload per file at once, which would take the
  // browser's six connections first; the reads take longer than the code.
  return new Promise<void>((settled) =>
    setTimeout(
      () =>
        void loaders[screen].load().then(
          () => settled(),
          () => settled(), // a failure shows when the screen renders (React.lazy retries and throws)
        ),
    ),
  );
}
