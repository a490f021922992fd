import { LocalPdfFileStore, type PdfFileStore } from '#libs/core';

export { StoredFileMissingError, storageKeyFor, type StoredFile } from '#libs/core';

/**
 * Where signed certificate files live: a content-addressed PDF store (core's PdfFileStore), so a
 * retried issue that rendered new bytes gets a new key, and what a committed certificate row points
 * at never changes.
 */
export type CertificateStorage = PdfFileStore;

export const CERTIFICATE_STORAGE = Symbol('CERTIFICATE_STORAGE');

/** A local directory (default DATA_DIR/certificates; CERTIFICATE_STORAGE_DIR). */
export class LocalCertificateStorage extends LocalPdfFileStore {
  constructor(root: string) {
    super(root, 'certificate files');
  }
}
