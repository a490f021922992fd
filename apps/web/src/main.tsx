// The entry: small, and free of React, so that it runs as soon as it arrives. It starts the
// address's screen and reads (./app/prefetch) beside the app itself, which loads on demand.
import { prefetchRoute } from './app/prefetch';
import { queryClient } from './app/query-client';

prefetchRoute(window.location.pathname, queryClient);
void import('./app/start');
