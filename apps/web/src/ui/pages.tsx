import { useInfiniteQuery } from '@tanstack/react-query';
import { MoreButton, QueryState } from './states';

/** One page of an API list: its items and the cursor of the next page (null on the last). */
export interface PageOf<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * A list paged by the API's cursors: the first page, then one more page per "show more" (no page
 * loads more than it shows). `key` names the list and its filters for TanStack Query.
 */
export function usePages<T>(
  key: readonly unknown[],
  load: (cursor: string | undefined) => Promise<PageOf<T>>,
  enabled = true,
) {
  const query = useInfiniteQuery({
    queryKey: key,
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => load(pageParam),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return { query, rows: query.data?.pages.flatMap((p) => p.items) ?? [] };
}

interface PagesState {
  query: {
    isLoading: boolean;
    error: unknown;
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => Promise<unknown>;
  };
  rows: readonly unknown[];
}

/** The list's loading, failed and empty states around its rows, and its "show more" button. */
export function Paged({ pages, children }: { pages: PagesState; children: React.ReactNode }) {
  const { query, rows } = pages;
  return (
    <>
      <QueryState loading={query.isLoading} error={query.error} empty={rows.length === 0}>
        {children}
      </QueryState>
      <MoreButton
        hasMore={!!query.hasNextPage}
        loading={query.isFetchingNextPage}
        onMore={() => void query.fetchNextPage()}
      />
    </>
  );
}
