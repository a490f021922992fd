import { api } from '../api/client';
import { unwrap } from './problem';

/** Saves a blob the app fetched (with the session's token) under this file name. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The certificate's signed PDF through the authenticated client, saved under its number. */
export async function downloadCertificate(id: string, number: string): Promise<void> {
  const blob = unwrap(await api.GET('/certificates/{id}/pdf', { params: { path: { id } }, parseAs: 'blob' }));
  saveBlob(blob, `${number}.pdf`);
}
