import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testingDataDir } from './catalogue-seed.js';
import { parseMethods, readTestingSeed, type SeedParameter, type TestingSeed } from './seed-reader.js';

const dir = testingDataDir();
const reference = readFileSync(join(dir, 'test-products.json'), 'utf8');
const overlayText = readFileSync(join(dir, 'test-products.overlay.json'), 'utf8');
const TRUST: Record<string, number> = { UNCERTAIN: 0, SECONDARY: 1, VERIFIED: 2 };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures
const overlay = (): Json => JSON.parse(overlayText) as Json;
const param = (seed: TestingSeed, product: string, code: string): SeedParameter =>
  seed.products.find((p) => p.code === product)!.parameters.find((p) => p.code === code)!;

describe('the shipped testing catalogue', () => {
  const seed = readTestingSeed(reference, overlayText);

  it('reads every product of the reference file', () => {
    expect(seed.products.map((p) => p.code)).toEqual([
      'gasoline',
      'diesel',
      'gasoline_ethanol',
      'lpg',
      'gold_jewellery',
      'motorcycle_helmet',
    ]);
    expect(seed.regulations.find((r) => r.code === 'QCVN 01:2022/BKHCN')).toMatchObject({
      inForceFrom: '2023-02-01',
      inForceTo: null,
      issuedBy: 'Thông tư 16/2022/TT-BKHCN',
    });
  });

  it('never gives a limit more confidence than the reference file gives its row', () => {
    const file = JSON.parse(reference) as Json[];
    const o = overlay();
    let checked = 0;
    for (const entry of file) {
      const oe = o.entries[entry.product];
      for (const fp of entry.parameters as Json[]) {
        const op = oe.parameters[fp.name_vi];
        if (op.skip) continue;
        const regulation = op.regulation ?? oe.regulation;
        const limits = param(seed, oe.product, op.code).limits.filter(
          (l) => l.regulationCode === regulation && (op.grade === undefined || l.grade === op.grade),
        );
        expect(limits.length).toBeGreaterThan(0);
        for (const l of limits) {
          expect(TRUST[l.confidence]).toBeLessThanOrEqual(TRUST[fp.confidence]!);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(90);
  });

  it('keeps UNCERTAIN and SECONDARY figures, with their words', () => {
    const qcvnVapour = param(seed, 'gasoline', 'vapour_pressure').limits;
    expect(qcvnVapour.map((l) => [l.regulationCode, l.kind, l.min, l.max, l.confidence])).toEqual([
      ['QCVN 01:2022/BKHCN', 'range', '43', '75', 'UNCERTAIN'],
      ['TCVN 6776:2018', 'range', '43', '75', 'VERIFIED'],
    ]);
    expect(param(seed, 'gold_jewellery', 'gold_content').limits[0]).toMatchObject({
      kind: 'min',
      min: '333',
      confidence: 'UNCERTAIN',
    });
    const oxygen = param(seed, 'gasoline_ethanol', 'oxygen').limits[0]!;
    expect(oxygen).toMatchObject({
      regulationCode: 'QCVN 1:2015/BKHCN',
      grade: 'E10',
      max: '3.7',
      confidence: 'SECONDARY',
    });
    const helmet = param(seed, 'motorcycle_helmet', 'impact_absorption').limits[0]!;
    expect(helmet).toMatchObject({ kind: 'none', limitText: 'limit NOT read', confidence: 'UNCERTAIN' });
  });

  it('gives RON a limit per level and declared grade, and the pour point a limit per season', () => {
    const ron = param(seed, 'gasoline', 'ron').limits;
    expect(ron).toHaveLength(12);
    expect(ron.find((l) => l.level === '3' && l.grade === '95')).toMatchObject({ kind: 'min', min: '95' });
    expect(ron.some((l) => l.level === '2' && l.grade === '97')).toBe(false);
    const pour = param(seed, 'diesel', 'pour_point').limits;
    expect(pour.map((l) => [l.season, l.seasonFrom, l.seasonTo, l.max, l.confidence])).toEqual([
      ['summer', '04-01', '10-31', '12', 'UNCERTAIN'],
      ['winter', '11-01', '03-31', '3', 'UNCERTAIN'],
    ]);
  });

  it('reads methods with their international equivalents', () => {
    expect(parseMethods('TCVN 6701 (ASTM D 2622); TCVN 7760 (ASTM D 5453)')).toEqual([
      { code: 'TCVN 6701', equivalent: 'ASTM D 2622', note: null, position: 1 },
      { code: 'TCVN 7760', equivalent: 'ASTM D 5453', note: null, position: 2 },
    ]);
    expect(parseMethods('TCVN 7332 (ASTM D 4815) [method UNCERTAIN for 2022]')[0]).toEqual({
      code: 'TCVN 7332',
      equivalent: 'ASTM D 4815',
      note: '[method UNCERTAIN for 2022]',
      position: 1,
    });
    expect(parseMethods('TCVN 7331 (ASTM D 3831); TCVN 13128 (excerpt truncated)')[1]).toMatchObject({
      code: 'TCVN 13128',
      equivalent: null,
      note: 'excerpt truncated',
    });
    expect(parseMethods('-')).toEqual([]);
  });
});

describe('the overlay is checked against the file', () => {
  it('refuses an overlay that raises a figure’s confidence', () => {
    const o = overlay();
    o.entries['Vàng trang sức, mỹ nghệ (gold jewellery)'].parameters['Hàm lượng vàng (tuổi vàng)'].confidence =
      'VERIFIED';
    expect(() => readTestingSeed(reference, JSON.stringify(o))).toThrow(
      /VERIFIED claims more than the reference data's UNCERTAIN/,
    );
  });

  it('refuses a parameter the overlay does not place', () => {
    const o = overlay();
    delete o.entries['Nhiên liệu điêzen (diesel fuel)'].parameters['Hàm lượng nước'];
    expect(() => readTestingSeed(reference, JSON.stringify(o))).toThrow(/Hàm lượng nước.*no entry in the overlay/);
  });

  it('refuses a unit that is neither physical nor declared as a label', () => {
    const o = overlay();
    delete o.unitLabels['mg/100 mL'];
    expect(() => readTestingSeed(reference, JSON.stringify(o))).toThrow(/unit "mg\/100 mL"/);
  });

  it('refuses a seasonal limit without season dates', () => {
    const o = overlay();
    delete o.entries['Nhiên liệu điêzen (diesel fuel)'].parameters['Điểm chảy (điểm đông đặc)'].seasons;
    expect(() => readTestingSeed(reference, JSON.stringify(o))).toThrow(/no dates for the summer season/);
  });
});
