import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { unwrap } from '../../ui/problem';

type TemplateService = NonNullable<components['schemas']['RecordResultDto']['service']>;
type Item = components['schemas']['RequestItemDetailView'];
type ItemWorksheet = components['schemas']['ItemWorksheetView'];
type Template = components['schemas']['TemplateView'];
type ResultSummary = components['schemas']['ResultSummaryView'];
export type RevisionView = components['schemas']['ResultView']['revision'];

/**
 * The worksheet's reads, shared by the screen and the entry's early start (`prefetchWorksheet`), so
 * that a cold load of /work/:requestId/:itemId asks for them while the app's code is still loading.
 * Nothing here imports React or the texts: this module is part of the entry.
 *
 * `all` is GET /requests/{id}/items/{itemId}/worksheet: the four below in one request (they chain:
 * item → template → sheet, result → revision). Its answer seeds their keys, so the screen, its saves
 * and its invalidations work on them as before; when it fails they fetch themselves.
 */
export const worksheetQueries = {
  all: (requestId: string, itemId: string) =>
    queryOptions({
      queryKey: ['item-worksheet', requestId, itemId],
      retry: false, // the separate reads are the retry
      queryFn: async ({ client }) => {
        const all = unwrap(
          await api.GET('/requests/{id}/items/{itemId}/worksheet', { params: { path: { id: requestId, itemId } } }),
        );
        seed(client, requestId, itemId, all);
        return all;
      },
    }),
  item: (requestId: string, itemId: string) =>
    queryOptions({
      queryKey: ['item', itemId],
      queryFn: async () =>
        unwrap(await api.GET('/requests/{id}/items/{itemId}', { params: { path: { id: requestId, itemId } } })),
    }),
  /** The active template of the item's instrument type for its service (null: none). */
  template: (item: Item | undefined) => {
    const typeId = item?.instrument?.instrumentTypeId;
    const service = item?.service as TemplateService | undefined;
    return queryOptions({
      queryKey: ['template', typeId, service],
      enabled: !!typeId,
      queryFn: async (): Promise<Template | null> =>
        unwrap(
          await api.GET('/calibration-templates', {
            params: { query: { instrumentTypeId: typeId, service, active: true, limit: 1 } },
          }),
        ).items[0] ?? null,
    });
  },
  /** The template filled for the instrument today. */
  sheet: (templateId: string | undefined, instrumentId: string) =>
    queryOptions({
      queryKey: ['worksheet', templateId, instrumentId],
      enabled: !!templateId,
      queryFn: async () =>
        unwrap(
          await api.GET('/calibration-templates/{id}/worksheet', {
            params: { path: { id: templateId! }, query: { instrumentId } },
          }),
        ),
    }),
  /** The item's result, if one was recorded (null: none yet). */
  resultOfItem: (itemId: string) =>
    queryOptions({
      queryKey: ['result-of-item', itemId],
      queryFn: async (): Promise<ResultSummary | null> =>
        unwrap(await api.GET('/results', { params: { query: { requestItemId: itemId, limit: 1 } } })).items[0] ?? null,
    }),
  /** A result's current revision, as last recorded. */
  revision: (resultId: string | undefined) =>
    queryOptions({
      queryKey: ['result', resultId],
      enabled: !!resultId,
      queryFn: async () => unwrap(await api.GET('/results/{id}', { params: { path: { id: resultId! } } })).revision,
    }),
};

/** The composite's parts under the keys of the separate reads (fresh: they do not fetch again). */
function seed(client: QueryClient, requestId: string, itemId: string, all: ItemWorksheet): void {
  const q = worksheetQueries;
  client.setQueryData(q.item(requestId, itemId).queryKey, all.item);
  if (all.item.instrument) client.setQueryData(q.template(all.item).queryKey, all.template);
  if (all.sheet) client.setQueryData(q.sheet(all.sheet.templateId, all.sheet.instrumentId).queryKey, all.sheet);
  if (!all.result) {
    client.setQueryData(q.resultOfItem(itemId).queryKey, null);
    return;
  }
  const { revision, ...result } = all.result;
  client.setQueryData(q.resultOfItem(itemId).queryKey, result);
  client.setQueryData(q.revision(result.id).queryKey, revision);
}

/** Starts the worksheet's one read (the entry, before the app's code has loaded). */
export function prefetchWorksheet(client: QueryClient, requestId: string, itemId: string): void {
  void client.prefetchQuery(worksheetQueries.all(requestId, itemId)); // a failure: the screen's own reads
}
