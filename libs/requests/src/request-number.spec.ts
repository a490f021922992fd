import { canonicalRequestNumber, formatRequestNumber } from './request-number.js';

describe('request numbers', () => {
  it('formats one series per year, six digits at least', () => {
    expect(formatRequestNumber(2026, 123)).toBe('YC-2026-000123');
    expect(formatRequestNumber(2026, 1234567)).toBe('YC-2026-1234567');
    expect(() => formatRequestNumber(2026, 0)).toThrow(RangeError);
    expect(() => formatRequestNumber(1999, 1)).toThrow(RangeError);
  });

  it('reads them as typed', () => {
    for (const typed of ['YC-2026-000123', 'yc-2026-123', ' YC 2026 0123 ', 'yc–2026–123'])
      expect({ typed, n: canonicalRequestNumber(typed) }).toEqual({ typed, n: 'YC-2026-000123' });
    for (const bad of ['', 'YC-2026', 'KĐ-2026-000123', 'YC-26-1', 'YC-2026-0', "YC-2026-1' OR 1=1"])
      expect({ bad, n: canonicalRequestNumber(bad) }).toEqual({ bad, n: undefined });
  });
});
