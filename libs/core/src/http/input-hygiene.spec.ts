import { fieldsWithNul, jsonDeeperThan } from './input-hygiene.js';

describe('jsonDeeperThan', () => {
  const depth = (n: number) => Buffer.from('['.repeat(n) + ']'.repeat(n));

  it('counts objects and arrays, not brackets inside strings (escaped quotes included)', () => {
    expect(jsonDeeperThan(depth(32), 32)).toBe(false);
    expect(jsonDeeperThan(depth(33), 32)).toBe(true);
    expect(jsonDeeperThan(Buffer.from('{"a":{"b":[1,{"c":2}]}}'), 4)).toBe(false);
    expect(jsonDeeperThan(Buffer.from('{"a":{"b":[1,{"c":2}]}}'), 3)).toBe(true);
    expect(jsonDeeperThan(Buffer.from(JSON.stringify({ s: '[[[[{{{{"\\[[[[' })), 1)).toBe(false);
    expect(jsonDeeperThan(Buffer.from(JSON.stringify({ s: 'Đo lường [ÂÊ] "{"' })), 1)).toBe(false);
  });

  it('stops at the first bracket too many: a 2 MB body in well under a millisecond per MB', () => {
    const big = depth(1_000_000);
    const started = process.hrtime.bigint();
    expect(jsonDeeperThan(big, 32)).toBe(true);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
  });
});

describe('fieldsWithNul', () => {
  it('names each string and key holding U+0000 by its path', () => {
    expect(fieldsWithNul({ a: 'ok', b: ['x', 'y\u0000'], c: { d: '\u0000' }, 'e\u0000': 1, n: 5, z: null })).toEqual([
      'b[1]',
      'c.d',
      'e\u0000',
    ]);
    expect(fieldsWithNul('\u0000')).toEqual(['(body)']);
    expect(fieldsWithNul({ plain: 'text', list: [1, 'two'] })).toEqual([]);
  });
});
