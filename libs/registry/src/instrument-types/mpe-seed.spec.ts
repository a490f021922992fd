import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueDataDir, loadShippedCatalogue } from './catalogue-seed.js';
import { readMpeSeed } from './mpe-seed.js';

const dir = catalogueDataDir();
const reference = readFileSync(join(dir, 'mpe-rules.json'), 'utf8');
const overlay = readFileSync(join(dir, 'mpe-rules.overlay.json'), 'utf8');

describe('the shipped MPE rules', () => {
  it('gives every type of the catalogue an entry, and never more confidence than the reference data', () => {
    const seed = readMpeSeed(reference, overlay);
    const catalogue = loadShippedCatalogue();
    expect(catalogue.every((t) => t.mpe !== undefined)).toBe(true);
    const file = new Map(
      (JSON.parse(reference) as { typeCode: string; confidence: string }[]).map((e) => [e.typeCode, e.confidence]),
    );
    const trust = { UNCERTAIN: 0, SECONDARY: 1, VERIFIED: 2 } as Record<string, number>;
    for (const [code, mpe] of seed) {
      if ('none' in mpe) continue;
      for (const row of mpe.rows) expect(trust[row.confidence]).toBeLessThanOrEqual(trust[file.get(code)!]!);
    }
  });

  it('keeps a scale’s periodic rule unconfirmed: the Vietnamese in-service rule was not read', () => {
    const truck = readMpeSeed(reference, overlay).get('Cân ô tô')!;
    expect('rows' in truck && truck.rows.map((r) => [r.seedKey, r.services, r.confidence, r.multiplier])).toEqual([
      ['seed:initial', ['verification_initial', 'verification_after_repair'], 'VERIFIED', '1'],
      ['seed:periodic', ['verification_periodic'], 'UNCERTAIN', '1'],
    ]);
  });

  it('carries the source and the open questions of each rule', () => {
    const fuel = readMpeSeed(reference, overlay).get('Cột đo xăng dầu (đồng hồ xăng dầu)')!;
    expect('rows' in fuel && fuel.rows[0]).toMatchObject({
      confidence: 'VERIFIED',
      sourceDocument: expect.stringContaining('baria-vungtau') as string,
      sourceNote: expect.stringContaining('Open:') as string,
    });
    expect(readMpeSeed(reference, overlay).get('Thước cuộn')).toEqual({ none: expect.stringMatching(/not read/) });
  });

  it('refuses an overlay row that claims more than the reference data, or a rule that does not check', () => {
    const o = JSON.parse(overlay) as { types: Record<string, { rows?: { confidence?: string }[]; rule?: unknown }> };
    o.types['Taximet']!.rows![0]!.confidence = 'VERIFIED';
    expect(() => readMpeSeed(reference, JSON.stringify(o))).toThrow(/claims more than the reference data's SECONDARY/);
    const bad = JSON.parse(overlay) as typeof o;
    bad.types['Taximet']!.rule = { kind: 'percent_of_reading', p: -2 };
    expect(() => readMpeSeed(reference, JSON.stringify(bad))).toThrow(/Taximet.*p must be a number of percent/);
  });
});
