import { InvalidInputError } from '#libs/core';
import type { Bilingual } from '#libs/documents';

/** A reporting period of the periodic report: a quarter or a calendar year. */
export interface ReportPeriod {
  /** `2026-Q3` or `2026`. */
  key: string;
  from: string;
  to: string;
  label: Bilingual;
}

const ROMAN = ['I', 'II', 'III', 'IV'];
const QUARTER = /^(\d{4})-Q([1-4])$/;
const LAST_DAY = ['03-31', '06-30', '09-30', '12-31'];

export function quarter(year: number, q: number): ReportPeriod {
  const first = String(q * 3 - 2).padStart(2, '0');
  return {
    key: `${year}-Q${q}`,
    from: `${year}-${first}-01`,
    to: `${year}-${LAST_DAY[q - 1]}`,
    label: { vi: `Quý ${ROMAN[q - 1]} năm ${year}`, en: `Quarter ${q} of ${year}` },
  };
}

export function calendarYear(year: number): ReportPeriod {
  return {
    key: String(year),
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    label: { vi: `Năm ${year}`, en: `Year ${year}` },
  };
}

/** The quarter or year whose first and last days these are, if any. */
function periodOf(from: string, to: string): ReportPeriod | undefined {
  const year = Number(from.slice(0, 4));
  if (to.slice(0, 4) !== from.slice(0, 4)) return undefined;
  const candidates = [calendarYear(year), ...[1, 2, 3, 4].map((q) => quarter(year, q))];
  return candidates.find((p) => p.from === from && p.to === to);
}

/**
 * The period a report query names: `period=2026-Q3` (or `period=2026`), `year=2026`, or `from`/`to`
 * that are exactly a quarter or a year. Anything else is a 400 naming the field.
 */
export function reportPeriod(q: { period?: string; year?: number; from?: string; to?: string }): ReportPeriod {
  const given = [q.period !== undefined, q.year !== undefined, q.from !== undefined || q.to !== undefined];
  if (given.filter(Boolean).length !== 1) {
    throw new InvalidInputError([
      { field: 'period', message: 'give exactly one of period (2026-Q3 or 2026), year, or from and to' },
    ]);
  }
  if (q.year !== undefined) return calendarYear(q.year);
  if (q.period !== undefined) {
    const m = QUARTER.exec(q.period);
    if (m) return quarter(Number(m[1]), Number(m[2]));
    if (/^\d{4}$/.test(q.period)) return calendarYear(Number(q.period));
    throw new InvalidInputError([{ field: 'period', message: 'period must be a quarter (2026-Q3) or a year (2026)' }]);
  }
  if (q.from === undefined || q.to === undefined) {
    throw new InvalidInputError([{ field: q.from === undefined ? 'from' : 'to', message: 'from and to go together' }]);
  }
  const found = periodOf(q.from, q.to);
  if (!found) {
    throw new InvalidInputError([
      { field: 'to', message: 'from and to must be the first and last days of one quarter or one calendar year' },
    ]);
  }
  return found;
}
