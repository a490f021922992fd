import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../ui/problem';

/** GET /auth/me: who is signed in. Shared by `useMe` and the entry's early start. */
export const meQuery = queryOptions({
  queryKey: ['me'],
  staleTime: 5 * 60_000,
  queryFn: async () => unwrap(await api.GET('/auth/me')),
});
