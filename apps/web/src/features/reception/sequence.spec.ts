/// <reference types="jest" />
import { labelSequence, slices } from './sequence';

describe('labelSequence (labels for every item of a request, numbered on from the first)', () => {
  it('numbers on from the trailing digits, keeping their width', () => {
    expect(labelSequence('TĐC-25-000123', 3)).toEqual(['TĐC-25-000123', 'TĐC-25-000124', 'TĐC-25-000125']);
    expect(labelSequence(' A-0998 ', 3)).toEqual(['A-0998', 'A-0999', 'A-1000']);
  });

  it('grows past the width rather than wrapping to zeros', () => {
    expect(labelSequence('X-99', 2)).toEqual(['X-99', 'X-100']);
  });

  it('keeps every digit of a long number (no float rounding)', () => {
    expect(labelSequence('L-12345678901234567890', 2)).toEqual(['L-12345678901234567890', 'L-12345678901234567891']);
  });

  it('refuses a first code with no number at its end', () => {
    expect(labelSequence('TĐC-A', 2)).toBeNull();
    expect(labelSequence('', 1)).toBeNull();
  });
});

describe('slices', () => {
  it('cuts into slices of at most the size, in order', () => {
    expect(slices([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(slices([], 500)).toEqual([]);
    expect(
      slices(
        Array.from({ length: 1001 }, (_, i) => i),
        500,
      ).map((s) => s.length),
    ).toEqual([500, 500, 1]);
  });
});
