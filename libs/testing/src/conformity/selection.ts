import type { LimitKind, LimitConfidence, Season } from '../catalogue/catalogue.entity.js';

/** A limit as the engine sees it (plain data: the service maps rows to this). */
export interface LimitSpec {
  id: string;
  parameterCode: string;
  regulation: { code: string; inForceFrom: string | null; inForceTo: string | null };
  level: string | null;
  grade: string | null;
  season: Season | null;
  seasonFrom: string | null;
  seasonTo: string | null;
  kind: LimitKind;
  min: string | null;
  max: string | null;
  allowedValues: string[] | null;
  limitText: string | null;
  confidence: LimitConfidence;
  /** VERIFIED or CENTRE, or confirmed by an admin (isUsableLimit). */
  usable: boolean;
}

export interface SelectionContext {
  /** The test date, YYYY-MM-DD: the regulation edition and the season in force on it apply. */
  testDate: string;
  level?: string;
  grade?: string;
  /** Regulation codes in order of precedence; the first that has a limit for the parameter gives it. */
  regulations: readonly string[];
}

export type Selection = { limit: LimitSpec } | { limit: null; why: string };

export function inForce(r: LimitSpec['regulation'], date: string): boolean {
  return (r.inForceFrom === null || r.inForceFrom <= date) && (r.inForceTo === null || date <= r.inForceTo);
}

/** Whether a date falls in a season given as "MM-DD" days; a season may run over the new year (11-01 → 03-31). */
export function inSeason(from: string, to: string, date: string): boolean {
  const day = date.slice(5, 10);
  return from <= to ? from <= day && day <= to : day >= from || day <= to;
}

function seasonApplies(l: LimitSpec, date: string): boolean {
  if (l.season === null) return true;
  if (l.seasonFrom === null || l.seasonTo === null) return false;
  return inSeason(l.seasonFrom, l.seasonTo, date);
}

const specificity = (l: LimitSpec): number =>
  (l.level !== null ? 1 : 0) + (l.grade !== null ? 1 : 0) + (l.season !== null ? 1 : 0);

/** Why no limit matched, in words an analyst can act on. */
function whyNone(limits: readonly LimitSpec[], ctx: SelectionContext): string {
  const forced = limits.filter((l) => ctx.regulations.includes(l.regulation.code));
  if (forced.length === 0) return `no limit in ${ctx.regulations.join(', ') || 'the applicable regulations'}`;
  const current = forced.filter((l) => inForce(l.regulation, ctx.testDate));
  if (current.length === 0)
    return `no regulation edition with a limit is in force on ${ctx.testDate} (${[...new Set(forced.map((l) => l.regulation.code))].join(', ')})`;
  if (ctx.level === undefined && current.every((l) => l.level !== null))
    return 'the limit depends on the quality level (mức); none was given';
  if (ctx.grade === undefined && current.every((l) => l.grade !== null))
    return 'the limit depends on the declared grade; none was given';
  if (current.some((l) => l.season !== null) && current.every((l) => l.season === null || l.seasonFrom === null))
    return 'the limit depends on the season, whose dates are not recorded';
  return `no limit for level ${ctx.level ?? '—'}, grade ${ctx.grade ?? '—'} on ${ctx.testDate}`;
}

/**
 * The limit in force for one parameter: from the first regulation (in the context's order) whose
 * edition is in force on the test date and that has a limit for the sample's level, grade and the
 * season of the date. Among several, the most specific (level, grade, season stated) wins.
 */
export function selectLimit(limits: readonly LimitSpec[], ctx: SelectionContext): Selection {
  for (const code of ctx.regulations) {
    const candidates = limits.filter(
      (l) =>
        l.regulation.code === code &&
        inForce(l.regulation, ctx.testDate) &&
        (l.level === null || l.level === ctx.level) &&
        (l.grade === null || l.grade === ctx.grade) &&
        seasonApplies(l, ctx.testDate),
    );
    if (candidates.length === 0) continue;
    const best = [...candidates].sort((a, b) => specificity(b) - specificity(a))[0]!;
    return { limit: best };
  }
  return { limit: null, why: whyNone(limits, ctx) };
}
