import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { unwrap } from '../../ui/problem';

type TemplateService = NonNullable<components['schemas']['RecordResultDto']['service']>;
type Item = components['schemas']['RequestItemDetailView'];
export type RevisionView = components['schemas']['ResultView']['revision'];

/**
 * The worksheet's reads, shared by the screen and the entry's early start (`prefetchWorksheet`), so
 * that a cold load of /work/:requestId/:itemId asks for them while the app's code is still loading.
 * Nothing here imports React or the texts: this module is part of the entry.
 */
export const worksheetQueries = {
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
      queryFn: async () =>
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
      queryFn: async () =>
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

/**
 * Starts every read of the worksheet at once where it can: the item and its result together, then
 * the template (it needs the item's type) and the recorded revision, then the filled sheet.
 */
export function prefetchWorksheet(client: QueryClient, requestId: string, itemId: string): void {
  const q = worksheetQueries;
  const ignore = () => undefined; // a failure stays in the cache: the screen shows it
  void client
    .fetchQuery(q.item(requestId, itemId))
    .then(async (item) => {
      if (!item.instrument) return; // a test sample: no worksheet
      const template = await client.fetchQuery(q.template(item));
      if (template) await client.prefetchQuery(q.sheet(template.id, item.instrument.id));
    })
    .catch(ignore);
  void client
    .fetchQuery(q.resultOfItem(itemId))
    .then((result) => result && client.prefetchQuery(q.revision(result.id)))
    .catch(ignore);
}
