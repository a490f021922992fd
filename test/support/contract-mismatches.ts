import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The response-contract check's findings for the test file being run (response-contract.ts records
 * them), kept on globalThis so the setup file (contract-check.setup.ts) and the specs' support
 * modules see one collector whichever module registry loaded them.
 */
export interface Mismatch {
  request: string;
  operation: string | null;
  status: number;
  problem: string;
}

export interface FileReport {
  file: string;
  checked: number;
  skipped: number;
  mismatches: Mismatch[];
}

interface Collector {
  checked: number;
  skipped: number;
  mismatches: Mismatch[];
}

const KEY = Symbol.for('tdc.response-contract');
const holder = globalThis as unknown as Record<symbol, Collector | undefined>;
const collector = (): Collector => (holder[KEY] ??= { checked: 0, skipped: 0, mismatches: [] });

export const recordChecked = (): void => void collector().checked++;
export const recordSkipped = (): void => void collector().skipped++;
export const recordMismatch = (m: Mismatch): void => void collector().mismatches.push(m);

/** Where each test file's findings go (test-artifacts/, not committed); contract-check.global-teardown.mjs sums them up. */
export const PER_FILE_DIR = join(process.cwd(), 'test-artifacts', 'contract-mismatches');

/** Writes this test file's findings (if it checked any response) and returns them. */
export function writeFileReport(testPath: string): FileReport | undefined {
  const c = collector();
  if (c.checked === 0 && c.skipped === 0) return undefined;
  const file = relative(process.cwd(), testPath);
  const report: FileReport = { file, ...c };
  mkdirSync(PER_FILE_DIR, { recursive: true });
  writeFileSync(join(PER_FILE_DIR, `${file.replace(/[/\\]/g, '__')}.json`), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
