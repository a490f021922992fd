import { monthStart, workingDays } from '../dates.js';
import type { AuthorisationRow, DueGroupRow, ForecastService, TypeHistoryRow } from './forecast.repository.js';

export interface ForecastInput {
  /** First day of the first forecast month. */
  start: string;
  months: number;
  due: DueGroupRow[];
  types: TypeHistoryRow[];
  authorisations: AuthorisationRow[];
  itemsPerTechnicianDay: number;
}

export interface TypeForecast {
  typeId: string;
  service: ForecastService;
  code: string;
  name: string;
  cycleMonths: number | null;
  /** verified / (verified + lapsed) over the past 12 months; 1 when nothing fell due. */
  onTimeRate: number;
  backlog: number;
}

export interface MonthForecast {
  month: string;
  typeId: string;
  service: ForecastService;
  /** Instruments falling due in the month (with a cycle shorter than the horizon, again each cycle). */
  due: number;
  /** due × the type's on-time rate, rounded to 2 decimals. */
  expected: number;
  technicians: number;
  capacity: number;
  exceedsCapacity: boolean;
}

export interface CommuneForecast {
  month: string;
  typeId: string;
  service: ForecastService;
  communeId: string | null;
  due: number;
  expected: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** On-time rate of a type: the share of what fell due in the past year that was verified. */
export function onTimeRate(t: Pick<TypeHistoryRow, 'verified' | 'lapsed'>): number {
  return t.verified + t.lapsed === 0 ? 1 : t.verified / (t.verified + t.lapsed);
}

/** Month index (0-based from `start`) of each due group, repeated every cycle within the horizon. */
function monthsOf(row: DueGroupRow, start: string, months: number): number[] {
  const cycle = row.cycle_months;
  const first =
    (Number(row.month.slice(0, 4)) - Number(start.slice(0, 4))) * 12 +
    Number(row.month.slice(5, 7)) -
    Number(start.slice(5, 7));
  const out: number[] = [];
  for (let m = first; m >= 0 && m < months; m += cycle && cycle > 0 ? cycle : months) out.push(m);
  return out;
}

/** Technicians authorised to perform the service on the type (or on any type) during the month. */
function techniciansIn(auth: AuthorisationRow[], t: TypeHistoryRow, from: string, to: string): number {
  const users = auth.filter(
    (a) =>
      a.service === t.service &&
      (a.instrument_type_id === null || a.instrument_type_id === t.type_id) &&
      a.valid_from < to &&
      (a.valid_until === null || a.valid_until >= from),
  );
  return new Set(users.map((a) => a.user_id)).size;
}

const typeKey = (typeId: string, service: ForecastService): string => `${service}:${typeId}`;

/**
 * The demand forecast, pure: per month, type, service and commune the instruments falling due (next
 * due dates, then again every cycle — or calibration interval — within the horizon) times the
 * observed on-time rate of the type for that service; per month, type and service the capacity of
 * the technicians authorised to perform it (technicians × items per technician-day × working days,
 * Monday–Friday) and whether the expected demand exceeds it.
 */
export function forecast(input: ForecastInput): {
  types: TypeForecast[];
  months: MonthForecast[];
  communes: CommuneForecast[];
} {
  const types = new Map(input.types.map((t) => [typeKey(t.type_id, t.service), t]));
  const byCommune = new Map<string, CommuneForecast>();
  for (const row of input.due) {
    for (const m of monthsOf(row, input.start, input.months)) {
      const month = monthStart(input.start, m).slice(0, 7);
      const key = JSON.stringify([month, row.type_id, row.service, row.commune_id]);
      const entry = byCommune.get(key) ?? {
        month,
        typeId: row.type_id,
        service: row.service,
        communeId: row.commune_id,
        due: 0,
        expected: 0,
      };
      entry.due += row.n;
      byCommune.set(key, entry);
    }
  }
  const communes = [...byCommune.values()].map((c) => ({
    ...c,
    expected: round2(c.due * onTimeRate(types.get(typeKey(c.typeId, c.service)) ?? { verified: 0, lapsed: 0 })),
  }));
  const months: MonthForecast[] = [];
  for (const t of input.types) {
    const rate = onTimeRate(t);
    for (let m = 0; m < input.months; m++) {
      const from = monthStart(input.start, m);
      const to = monthStart(input.start, m + 1);
      const due = communes
        .filter((c) => c.typeId === t.type_id && c.service === t.service && c.month === from.slice(0, 7))
        .reduce((s, c) => s + c.due, 0);
      const technicians = techniciansIn(input.authorisations, t, from, to);
      const capacity = technicians * input.itemsPerTechnicianDay * workingDays(from);
      const expected = round2(due * rate);
      months.push({
        month: from.slice(0, 7),
        typeId: t.type_id,
        service: t.service,
        due,
        expected,
        technicians,
        capacity,
        exceedsCapacity: expected > capacity,
      });
    }
  }
  return {
    types: input.types.map((t) => ({
      typeId: t.type_id,
      service: t.service,
      code: t.code,
      name: t.name,
      cycleMonths: t.cycle_months,
      onTimeRate: Math.round(onTimeRate(t) * 10000) / 10000,
      backlog: t.backlog,
    })),
    months,
    communes,
  };
}
