import { QueryClient } from '@tanstack/query-core';
import { ProblemError } from '../ui/problem';

/** The app's one query cache: created by the entry, so that a route's data can start before React loads. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ProblemError && (error.problem.status ?? 500) < 500) && count < 2,
    },
  },
});
