/** The archive's table of contents: what was saved, from which schema version, with a SHA-256 per file. */
export interface BackupManifest {
  format: 'tdc-lims-backup';
  version: 1;
  createdAt: string;
  /** The migrations applied in the saved database, in order: restore rebuilds exactly this schema. */
  migrations: string[];
  /** Each table's rows (text COPY) and the columns they fill, in the file's column order. */
  tables: { name: string; rows: number; file: string; columns: string[] }[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  /** Every file in the archive other than the manifest, with its SHA-256 (hex) and size. */
  files: { path: string; sha256: string; bytes: number }[];
}

export const MANIFEST_FILE = 'manifest.json';
export const DATABASE_FOLDER = 'database';
/** Folders of DATA_DIR (or their configured replacements) that the archive carries, by archive name. */
export const FILE_FOLDERS = ['certificates', 'secrets', 'signing'] as const;
export type FileFolder = (typeof FILE_FOLDERS)[number];

export function isManifest(value: unknown): value is BackupManifest {
  const m = value as Partial<BackupManifest> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.format === 'tdc-lims-backup' &&
    m.version === 1 &&
    Array.isArray(m.migrations) &&
    Array.isArray(m.tables) &&
    Array.isArray(m.sequences) &&
    Array.isArray(m.files)
  );
}

/**
 * The embedded cluster's own role passwords (DATA_DIR/secrets/postgres-*-password) belong to that
 * cluster, not to the records: a restore makes a new cluster with new ones, so they are not carried.
 */
export const CLUSTER_CREDENTIAL = /^postgres-[a-z]+-password$/;
