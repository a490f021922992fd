import type { queryOptions as reactQueryOptions } from '@tanstack/react-query';

/**
 * TanStack's `queryOptions` (an identity: it only types the key with its data, for `setQueryData`),
 * for the entry's modules. Imported from '@tanstack/react-query' it would put that package and React
 * in the entry's module graph, which the build's chunk groups read to tell the entry's code from
 * the app's (vite.config.ts).
 */
export const queryOptions = (<T>(options: T): T => options) as typeof reactQueryOptions;
