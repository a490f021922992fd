import fc from 'fast-check';
import {
  canonicalCertificateNumber,
  canonicalStampSerial,
  formatCertificateNumber,
  formatSerial,
  formatStampSerial,
  MAX_SEQUENCE,
  missingSequences,
  parseSerial,
  seriesYear,
  vietnamDate,
  type SeriesKind,
} from './numbering.js';

describe('certificate numbers and stamp serials', () => {
  it('formats one series per kind and year, six digits at least', () => {
    expect(formatCertificateNumber('verification', 2026, 123)).toBe('KĐ-2026-000123');
    expect(formatCertificateNumber('calibration', 2026, 1)).toBe('HC-2026-000001');
    expect(formatCertificateNumber('test_report', 2027, 999999)).toBe('TN-2027-999999');
    expect(formatCertificateNumber('test_report', 2027, 1234567)).toBe('TN-2027-1234567');
    expect(formatStampSerial(2026, 42)).toBe('TEM-2026-000042');
  });

  it('numbers notices of failed verification in a series of their own, read as typed', () => {
    expect(formatCertificateNumber('verification_failure', 2026, 7)).toBe('TBKĐ-2026-000007');
    const notice = { kind: 'verification_failure', year: 2026, sequence: 7 };
    for (const typed of ['TBKĐ-2026-000007', 'tbkd-2026-7', 'TBKÐ–2026–000007', 'tbkđ 2026 7', ' TBKD-2026-0007 '])
      expect({ typed, parsed: parseSerial(typed) }).toEqual({ typed, parsed: notice });
    expect(canonicalCertificateNumber('tbkd-2026-7')).toBe('TBKĐ-2026-000007');
    expect(canonicalStampSerial('TBKĐ-2026-000007')).toBeUndefined();
    // Not a verification certificate's number, nor anything else's.
    expect(parseSerial('TBKĐ-2026-000007')?.kind).not.toBe('verification');
    expect(parseSerial('TBK-2026-000007')).toBeUndefined();
    expect(parseSerial('TBKĐX-2026-000007')).toBeUndefined();
  });

  it('prints the Vietnamese Đ precomposed (NFC), as the font and the URL encoding expect', () => {
    const n = formatCertificateNumber('verification', 2026, 1);
    expect(n).toBe(n.normalize('NFC'));
    expect(encodeURIComponent(n)).toBe('K%C4%90-2026-000001');
  });

  it('refuses what cannot be numbered', () => {
    expect(() => formatCertificateNumber('verification', 2026, 0)).toThrow(RangeError);
    expect(() => formatCertificateNumber('verification', 2026, 1.5)).toThrow(RangeError);
    expect(() => formatCertificateNumber('verification', 1999, 1)).toThrow(RangeError);
    expect(() => formatCertificateNumber('verification', 2026, MAX_SEQUENCE + 1)).toThrow(RangeError);
  });

  it('reads numbers as printed and as typed', () => {
    expect(parseSerial('KĐ-2026-000123')).toEqual({ kind: 'verification', year: 2026, sequence: 123 });
    expect(parseSerial(' kd-2026-123 ')).toEqual({ kind: 'verification', year: 2026, sequence: 123 });
    expect(parseSerial('KÐ–2026–000123')).toEqual({ kind: 'verification', year: 2026, sequence: 123 });
    expect(parseSerial('KĐ 2026 000123')).toEqual({ kind: 'verification', year: 2026, sequence: 123 });
    // Decomposed input (D + combining stroke does not exist; Đ has no decomposition) and lower case đ.
    expect(parseSerial('kđ-2026-000123')).toEqual({ kind: 'verification', year: 2026, sequence: 123 });
    expect(parseSerial('hc-2025-7')).toEqual({ kind: 'calibration', year: 2025, sequence: 7 });
    expect(parseSerial('TEM-2026-000042')).toEqual({ kind: 'stamp', year: 2026, sequence: 42 });
  });

  it('reads nothing else', () => {
    for (const bad of [
      '',
      'KĐ-2026',
      'XX-2026-000001',
      'KĐ-2026-000000',
      'KĐ-26-000001',
      'KĐ-2026-0001/2',
      "KĐ-2026-1' OR 1=1",
      'KĐ-2026-1234567890123',
      'KĐ-2026-9999999999',
      'x'.repeat(100),
    ]) {
      expect({ bad, parsed: parseSerial(bad) }).toEqual({ bad, parsed: undefined });
    }
  });

  it('tells certificate numbers from stamp serials', () => {
    expect(canonicalCertificateNumber('kd-2026-5')).toBe('KĐ-2026-000005');
    expect(canonicalCertificateNumber('TEM-2026-000005')).toBeUndefined();
    expect(canonicalStampSerial('tem-2026-5')).toBe('TEM-2026-000005');
    expect(canonicalStampSerial('KĐ-2026-000005')).toBeUndefined();
  });

  it('reads back every number it formats (property)', () => {
    const kinds: SeriesKind[] = ['verification', 'calibration', 'test_report', 'verification_failure', 'stamp'];
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.integer({ min: 2000, max: 2999 }),
        fc.integer({ min: 1, max: MAX_SEQUENCE }),
        (kind, year, sequence) => {
          expect(parseSerial(formatSerial({ kind, year, sequence }))).toEqual({ kind, year, sequence });
        },
      ),
    );
  });

  it('numbers in the Vietnamese calendar year and dates in Viet Nam (UTC+7)', () => {
    expect(seriesYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
    expect(seriesYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
    expect(vietnamDate(new Date('2026-03-11T18:00:00Z'))).toBe('2026-03-12');
  });

  it('finds the gaps of a series', () => {
    expect(missingSequences([])).toEqual([]);
    expect(missingSequences([3, 1, 2])).toEqual([]);
    expect(missingSequences([1, 4, 2])).toEqual([3]);
    expect(missingSequences([5])).toEqual([1, 2, 3, 4]);
  });
});
