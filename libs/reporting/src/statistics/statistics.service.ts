import { Injectable, Logger } from '@nestjs/common';
import { InvalidInputError } from '#libs/core';
import { addDays, SECTOR_LABELS, SECTOR_NOT_STATED, todayInVietnam, type Sector } from '#libs/registry';
import type {
  StatisticsFigures,
  StatisticsQuery,
  StatisticsRowView,
  StatisticsView,
  TurnaroundView,
} from './statistics.dto.js';
import {
  StatisticsRepository,
  type CertificateGroupRow,
  type CountGroupRow,
  type Dimension,
  type Label,
  type OverdueGroupRow,
  type TurnaroundRow,
} from './statistics.repository.js';

/** The rollup is refreshed when older than this (or on demand). */
export const ROLLUP_MAX_AGE_MS = 5 * 60_000;

const SERVICE_LABELS: Record<string, string> = {
  verification_initial: 'Kiểm định ban đầu',
  verification_periodic: 'Kiểm định định kỳ',
  verification_after_repair: 'Kiểm định sau sửa chữa',
  calibration: 'Hiệu chuẩn',
  testing: 'Thử nghiệm',
};
const VERDICT_LABELS: Record<string, string> = { pass: 'Đạt', fail: 'Không đạt', none: 'Không kết luận' };

/** A sector's row label (its key is the sector code, null for the owners who have not stated one). */
export function sectorLabel(key: string | null): string {
  return key ? (SECTOR_LABELS[key as Sector]?.vi ?? key) : SECTOR_NOT_STATED.vi;
}

/** Nearest-rank percentile of a histogram (days → count). */
export function percentileOf(histogram: { days: number; n: number }[], p: number): number {
  const sorted = [...histogram].sort((a, b) => a.days - b.days);
  const total = sorted.reduce((s, h) => s + h.n, 0);
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const h of sorted) {
    seen += h.n;
    if (seen >= rank) return h.days;
  }
  return sorted.at(-1)?.days ?? 0;
}

function turnaroundOf(rows: { days: number; n: number }[]): TurnaroundView | null {
  const certificates = rows.reduce((s, r) => s + r.n, 0);
  if (!certificates) return null;
  return { medianDays: percentileOf(rows, 0.5), p90Days: percentileOf(rows, 0.9), certificates };
}

/** The figures of one key of one dimension, from the grouped rows (absent: zero). */
interface Grouped {
  certificates: CertificateGroupRow[];
  items: CountGroupRow[];
  /** Overdue for verification; overdueCalibrations: for calibration. Each with its service's row. */
  overdue: CountGroupRow[];
  overdueCalibrations: CountGroupRow[];
  turnaround: TurnaroundRow[];
}

/** One service's overdue rows, plus that service's row of the service dimension (its total). */
function overdueFor(rows: OverdueGroupRow[], service: OverdueGroupRow['service']): CountGroupRow[] {
  const own = rows.filter((r) => r.service === service);
  const total = own.find((r) => r.dimension === 'total')?.n ?? 0;
  return total ? [...own, { dimension: 'service', key: service, n: total }] : own;
}

function figuresOf(g: Grouped, dimension: Dimension, key: string | null): StatisticsFigures {
  const pick = <T extends { dimension: Dimension; key: string | null }>(rows: T[]) =>
    rows.find((r) => r.dimension === dimension && r.key === key);
  const c = pick(g.certificates);
  const pass = c?.pass ?? 0;
  const fail = c?.fail ?? 0;
  const histogram =
    dimension === 'total'
      ? g.turnaround.filter((t) => !t.per_type)
      : dimension === 'type'
        ? g.turnaround.filter((t) => t.per_type && t.type_id === key)
        : [];
  return {
    items: pick(g.items)?.n ?? 0,
    certificates: c?.certificates ?? 0,
    pass,
    fail,
    passRate: pass + fail ? Math.round((pass / (pass + fail)) * 10000) / 10000 : null,
    turnaround: dimension === 'total' || dimension === 'type' ? turnaroundOf(histogram) : null,
    overdueInstruments: pick(g.overdue)?.n ?? 0,
    overdueCalibrations: pick(g.overdueCalibrations)?.n ?? 0,
  };
}

/**
 * Statistics for the Sở KH&CN over a period: requests, items and certificates by instrument type,
 * service, verdict, commune and customer sector; pass rate; turnaround receipt → certificate
 * (median, p90); instruments in service overdue for verification or calibration, and standards due
 * (today). Certificates, their
 * turnaround and request items come from the rollups (one row per month, or per day of a partial
 * month, and per dimension key), so a year over 10,000,000 certificates reads a few thousand rows,
 * not millions.
 */
@Injectable()
export class StatisticsService {
  private refreshedAt: Date | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly logger = new Logger('Reporting');

  constructor(private readonly repository: StatisticsRepository) {}

  async statistics(query: StatisticsQuery): Promise<StatisticsView> {
    if (query.to < query.from) throw new InvalidInputError([{ field: 'to', message: 'to must not be before from' }]);
    await this.ensureFresh(query.refresh);
    const today = todayInVietnam();
    const [certificates, turnaround, items, overdueRows, standards] = [
      await this.repository.certificateGroups(query.from, query.to),
      await this.repository.turnaround(query.from, query.to),
      await this.repository.items(query.from, query.to),
      await this.repository.overdue(today),
      await this.repository.standardsDue(today, addDays(today, 30)),
    ];
    const overdue = overdueFor(overdueRows, 'verification_periodic');
    const overdueCalibrations = overdueFor(overdueRows, 'calibration');
    const g: Grouped = { certificates, items, overdue, overdueCalibrations, turnaround };
    const keys = (d: Dimension) => [
      ...new Set(
        [...certificates, ...items, ...overdue, ...overdueCalibrations]
          .filter((r) => r.dimension === d)
          .map((r) => r.key),
      ),
    ];
    const labels = await this.repository.labels(
      keys('type').filter((k): k is string => !!k),
      keys('commune').filter((k): k is string => !!k),
    );
    const rows = (d: Dimension, label: (key: string | null) => string): StatisticsRowView[] =>
      keys(d)
        .map((key) => ({ key, label: label(key), ...figuresOf(g, d, key) }))
        .sort((a, b) => b.certificates - a.certificates || b.items - a.items || a.label.localeCompare(b.label));
    const name = (list: Label[]) => (key: string | null) =>
      key ? (list.find((l) => l.id === key)?.name ?? key) : 'Không xác định';
    return {
      from: query.from,
      to: query.to,
      asOf: this.refreshedAt!.toISOString(),
      totals: {
        ...figuresOf(g, 'total', null),
        requests: items.find((r) => r.dimension === 'total')?.requests ?? 0,
        standardsDue: standards.due,
        standardsOverdue: standards.overdue,
      },
      byType: rows('type', name(labels.types)),
      byService: rows('service', (k) => SERVICE_LABELS[k ?? ''] ?? k ?? ''),
      byVerdict: rows('verdict', (k) => VERDICT_LABELS[k ?? ''] ?? k ?? ''),
      byCommune: rows('commune', name(labels.communes)),
      bySector: rows('sector', sectorLabel),
    };
  }

  /**
   * The first answer of the process, and one asked with refresh=true, wait for a refresh. Later, a
   * rollup older than ROLLUP_MAX_AGE_MS is refreshed in the background (one refresh at a time) and the
   * answer is given at once from the figures as they are, `asOf` saying how old: at 10,000,000
   * certificates a refresh takes minutes, which no request should wait for.
   */
  private async ensureFresh(force: boolean): Promise<void> {
    if (force || !this.refreshedAt) return this.refresh();
    if (Date.now() - this.refreshedAt.getTime() < ROLLUP_MAX_AGE_MS) return;
    this.refresh().catch((e: unknown) => this.logger.error(`refreshing the statistics rollups failed: ${String(e)}`));
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const started = new Date(); // the figures are as of the refresh's snapshot
      try {
        await this.repository.refreshRollup();
        this.refreshedAt = started;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}
