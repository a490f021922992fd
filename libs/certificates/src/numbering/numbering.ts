import type { CertificateKind } from '#libs/documents';

/**
 * Certificate numbers and stamp serials: `KĐ-2026-000123` (verification, kiểm định), `HC-…`
 * (calibration, hiệu chuẩn), `TN-…` (test report, thử nghiệm), `TBKĐ-…` (notice of failed
 * verification, thông báo kiểm định không đạt), `TEM-2026-000123` (verification stamp, tem kiểm định). One series per kind and year, numbered from 1 without gaps. Pure functions:
 * the allocation itself is in series.ts.
 */

/** A numbering series: the three kinds of document, and the stamps. */
export type SeriesKind = CertificateKind | 'stamp';

export const SERIES_PREFIX: Readonly<Record<SeriesKind, string>> = {
  verification: 'KĐ',
  calibration: 'HC',
  test_report: 'TN',
  verification_failure: 'TBKĐ',
  stamp: 'TEM',
};

export interface SerialNumber {
  kind: SeriesKind;
  year: number;
  sequence: number;
}

/** At least six digits; a series past 999 999 simply gets longer numbers, never a wrapped one. */
const DIGITS = 6;
/** The series counter is a PostgreSQL integer. */
export const MAX_SEQUENCE = 2_147_483_647;
const MIN_YEAR = 2000;
const MAX_YEAR = 2999;

export function formatSerial({ kind, year, sequence }: SerialNumber): string {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
    throw new RangeError(`year ${year} is out of range`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`sequence ${sequence} must be an integer from 1 to ${MAX_SEQUENCE}`);
  }
  return `${SERIES_PREFIX[kind]}-${year}-${String(sequence).padStart(DIGITS, '0')}`;
}

export function formatCertificateNumber(kind: CertificateKind, year: number, sequence: number): string {
  return formatSerial({ kind, year, sequence });
}

export function formatStampSerial(year: number, sequence: number): string {
  return formatSerial({ kind: 'stamp', year, sequence });
}

/**
 * Prefixes as people type them: without the Vietnamese Đ (KD), with the look-alike Icelandic Ð
 * (U+00D0), in lower case. Dashes may be any of the usual dash characters, or spaces.
 */
const PREFIX_ALIASES: Readonly<Record<string, SeriesKind>> = {
  KĐ: 'verification',
  KD: 'verification',
  KÐ: 'verification',
  HC: 'calibration',
  TN: 'test_report',
  TBKĐ: 'verification_failure',
  TBKD: 'verification_failure',
  TBKÐ: 'verification_failure',
  TEM: 'stamp',
};

const SHAPE = /^([A-ZĐÐ]{2,4})[-‐‑‒–—\s]+(\d{4})[-‐‑‒–—\s]+(\d{1,10})$/u;

/**
 * Reads a number or serial as printed or typed; undefined when it is not one (any series).
 * `kd-2026-123` reads as KĐ-2026-000123: leading zeros are not significant.
 */
export function parseSerial(text: string): SerialNumber | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const m = SHAPE.exec(text.normalize('NFC').trim().toUpperCase());
  if (!m) return undefined;
  const kind = PREFIX_ALIASES[m[1] as string];
  const year = Number(m[2]);
  const sequence = Number(m[3]);
  if (!kind || year < MIN_YEAR || year > MAX_YEAR || sequence < 1 || sequence > MAX_SEQUENCE) return undefined;
  return { kind, year, sequence };
}

/** A certificate number in its canonical form, or undefined when the text is not a certificate number. */
export function canonicalCertificateNumber(text: string): string | undefined {
  const parsed = parseSerial(text);
  return parsed && parsed.kind !== 'stamp' ? formatSerial(parsed) : undefined;
}

/** A stamp serial in its canonical form, or undefined when the text is not a stamp serial. */
export function canonicalStampSerial(text: string): string | undefined {
  const parsed = parseSerial(text);
  return parsed && parsed.kind === 'stamp' ? formatSerial(parsed) : undefined;
}

/** The year a certificate issued at `instant` is numbered in: the calendar year in Viet Nam (UTC+7). */
export function seriesYear(instant: Date): number {
  return new Date(instant.getTime() + 7 * 3600_000).getUTCFullYear();
}

/** The calendar date in Viet Nam at `instant`, 'YYYY-MM-DD': a certificate's issue date. */
export function vietnamDate(instant: Date): string {
  return new Date(instant.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The sequences missing from 1..max: what a gapless series must never have. For tests, the
 * benchmark and operators' checks.
 */
export function missingSequences(sequences: readonly number[]): number[] {
  const seen = new Set(sequences);
  const max = sequences.reduce((a, b) => Math.max(a, b), 0);
  const missing: number[] = [];
  for (let i = 1; i <= max; i++) if (!seen.has(i)) missing.push(i);
  return missing;
}
