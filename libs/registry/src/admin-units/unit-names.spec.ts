import type { FoldedUnit } from './admin-unit.repository.js';
import { nameKey, UnitNames } from './unit-names.js';

/** As lims_fold folds (the database does it for real): lower case, no diacritics, Đ → d. */
const fold = (t: string) =>
  t
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase();

const unit = (id: string, over: Partial<FoldedUnit> & { name: string }): FoldedUnit => ({
  id,
  code: id,
  level: 'province',
  parentId: null,
  effectiveTo: null,
  successorId: null,
  confidence: 'VERIFIED',
  folded: fold(over.name),
  ...over,
});

const UNITS = [
  unit('08', { name: 'Tuyên Quang' }),
  unit('02', { name: 'Hà Giang', effectiveTo: '2025-06-30', successorId: '08', confidence: 'UNCERTAIN' }),
  unit('56', { name: 'Khánh Hòa' }),
  unit('99', { name: 'Không Còn', effectiveTo: '2025-06-30' }),
  unit('c1', { name: 'Phường Tân Phú', level: 'commune', parentId: '56' }),
  unit('c2', { name: 'Xã Tân Phú', level: 'commune', parentId: '08' }),
];

function names(texts: string[]): UnitNames {
  return new UnitNames(UNITS, new Map(texts.map((t) => [t, fold(t)])), '2026-01-01');
}

describe('UnitNames', () => {
  it('drops the kind word and extra spaces from folded names', () => {
    expect(nameKey('tinh  khanh hoa ')).toBe('khanh hoa');
    expect(nameKey('phuong tan phu')).toBe('tan phu');
    expect(nameKey('xa')).toBe('xa');
  });

  it('matches names in any case and accents, with or without the kind word, and codes', () => {
    const n = names(['KHANH HOÀ', 'Tỉnh Khánh Hòa', '56']);
    for (const t of ['KHANH HOÀ', 'Tỉnh Khánh Hòa', '56'])
      expect(n.match(t, 'province')).toEqual({ unit: expect.objectContaining({ id: '56' }), warning: null });
  });

  it('a merged unit becomes its successor, with a warning that names UNCERTAIN data', () => {
    const m = names(['ha giang']).match('ha giang', 'province');
    expect(m).toEqual({ unit: expect.objectContaining({ id: '08' }), warning: expect.stringContaining('UNCERTAIN') });
    expect(names(['Không Còn']).match('Không Còn', 'province')).toEqual({
      error: expect.stringContaining('no successor'),
    });
  });

  it('a commune: ambiguous alone, found within its province, refused in another', () => {
    const n = names(['Tân Phú']);
    expect(n.match('Tân Phú', 'commune')).toEqual({ error: expect.stringMatching(/names 2 units/) });
    expect(n.match('Tân Phú', 'commune', '56')).toEqual({ unit: expect.objectContaining({ id: 'c1' }), warning: null });
    expect(names(['Atlantis']).match('Atlantis', 'commune')).toEqual({ error: expect.stringContaining('Atlantis') });
    expect(names(['Khánh Hòa']).match('Khánh Hòa', 'commune')).toEqual({ error: expect.any(String) });
  });
});
