import { api } from '../../api/client';
import { saveBlob } from '../../ui/download';
import { unwrap } from '../../ui/problem';

/** Past this many items the sheet is of every labelled item: the ids would make too long an address. */
const MAX_NAMED = 100;

/** The label sheet (A4, code + QR per label) of these received items, or of every labelled one. */
export async function downloadLabels(request: { id: string; number: string }, itemIds?: string[]): Promise<void> {
  const item = itemIds && itemIds.length <= MAX_NAMED ? itemIds : undefined;
  const blob = unwrap(
    await api.GET('/requests/{id}/labels.pdf', {
      params: { path: { id: request.id }, query: { item } },
      parseAs: 'blob',
    }),
  );
  saveBlob(blob, `labels-${request.number}.pdf`);
}
