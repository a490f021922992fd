// The entry: small, and free of React, so that it runs as soon as it arrives. It starts the
// address's screen and reads (./app/prefetch), then the app.
import { prefetchRoute } from './app/prefetch';
import { queryClient } from './app/query-client';

// The app renders when the address's screen's code is in. That code needs the app's own, so this
// waits for nothing more; rendered before, the screen would go through React.lazy: a loader shown,
// and React holding the screen back up to 300 ms after that (its Suspense reveal throttle).
void prefetchRoute(window.location.pathname, queryClient).then(() => import('./app/start'));
