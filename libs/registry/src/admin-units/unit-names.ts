import type { AdminUnitLevel } from './admin-unit.entity.js';
import type { FoldedUnit } from './admin-unit.repository.js';

/** Words of a unit's kind a name may carry or leave out ("Tỉnh Khánh Hòa", "Phường Cam Lộc"), folded. */
const KIND_WORDS = ['thanh pho ', 'tp. ', 'tp ', 'tinh ', 'dac khu ', 'phuong ', 'xa '];

/** A folded name without its kind word and with single spaces: what names are compared by. */
export function nameKey(folded: string): string {
  const k = folded.trim().replace(/\s+/g, ' ');
  const word = KIND_WORDS.find((w) => k.startsWith(w) && k.length > w.length);
  return word ? k.slice(word.length) : k;
}

/** A text matched to a current unit (with a warning when it named a retired one), or why not. */
export type UnitMatch = { unit: FoldedUnit; warning: string | null } | { error: string };

const LEVEL_WORD: Record<AdminUnitLevel, string> = { province: 'province', commune: 'commune (xã / phường / đặc khu)' };

/**
 * The centre's administrative units by code and by name — names compared folded (case and
 * diacritics ignored, by the database's lims_fold) and without their kind word — for addresses
 * given as text (a spreadsheet import). A retired unit resolves to its current successor, with a
 * warning (naming the reference list's UNCERTAIN rows as such); a commune is looked for within the
 * row's province when one is given.
 */
export class UnitNames {
  private readonly byId = new Map<string, FoldedUnit>();
  private readonly byKey = new Map<string, FoldedUnit[]>();

  constructor(
    units: FoldedUnit[],
    private readonly folded: Map<string, string>,
    private readonly today: string,
  ) {
    for (const u of units) {
      this.byId.set(u.id, u);
      const key = `${u.level}|${nameKey(u.folded)}`;
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), u]);
    }
  }

  name(id: string): string {
    return this.byId.get(id)?.name ?? id;
  }

  match(text: string, level: AdminUnitLevel, provinceId: string | null = null): UnitMatch {
    const byCode = [...this.byId.values()].filter((u) => u.level === level && u.code === text.trim());
    const matching = byCode.length
      ? byCode
      : (this.byKey.get(`${level}|${nameKey(this.folded.get(text) ?? text.toLowerCase())}`) ?? []);
    // A current unit of that name or code wins over retired ones that had it.
    const currentOnes = matching.filter((u) => !this.retired(u));
    const candidates = currentOnes.length ? currentOnes : matching;
    if (!candidates.length)
      return { error: `no ${LEVEL_WORD[level]} is named or coded "${text}" in the centre's list` };
    const resolved = candidates.map((c) => ({ named: c, current: this.current(c) }));
    const known = resolved.filter((r) => r.current !== null) as { named: FoldedUnit; current: FoldedUnit }[];
    if (!known.length)
      return { error: `${candidates[0]!.name} was retired on ${candidates[0]!.effectiveTo} and has no successor` };
    const inside = provinceId ? known.filter((r) => r.current.parentId === provinceId) : known;
    if (!inside.length) return { error: `${known[0]!.current.name} is not in ${this.name(provinceId!)}` };
    const distinct = [...new Map(inside.map((r) => [r.current.id, r])).values()];
    if (distinct.length > 1)
      return {
        error: `"${text}" names ${distinct.length} units (${distinct.map((r) => `${r.current.name}, code ${r.current.code}${r.current.parentId ? `, ${this.name(r.current.parentId)}` : ''}`).join('; ')}): give the code${level === 'commune' ? ' or the province' : ''}`,
      };
    const { named, current } = distinct[0]!;
    return { unit: current, warning: named.id === current.id ? null : this.mergerWarning(named, current) };
  }

  /** The unit itself when current, else its successor's chain followed to a current unit (null: none). */
  private current(unit: FoldedUnit): FoldedUnit | null {
    const seen = new Set<string>();
    let u: FoldedUnit | undefined = unit;
    while (u && this.retired(u)) {
      if (!u.successorId || seen.has(u.id)) return null;
      seen.add(u.id);
      u = this.byId.get(u.successorId);
    }
    return u ?? null;
  }

  private retired(u: FoldedUnit): boolean {
    return u.effectiveTo !== null && u.effectiveTo < this.today;
  }

  private mergerWarning(named: FoldedUnit, current: FoldedUnit): string {
    const uncertain = named.confidence !== 'VERIFIED' || current.confidence !== 'VERIFIED';
    return (
      `${named.name} was retired on ${named.effectiveTo} and merged into ${current.name}: ${current.name} is recorded` +
      (uncertain ? ` (the centre's list marks this UNCERTAIN until an admin confirms it)` : '')
    );
  }
}
