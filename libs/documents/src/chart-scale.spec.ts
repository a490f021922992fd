import { barHeight, barLayout, niceScale } from './chart-scale.js';

describe('niceScale', () => {
  it('tops the axis at the next 1, 2, 2.5 or 5 × 10ⁿ step above the largest value', () => {
    expect(niceScale(37, 5)).toEqual({ max: 50, step: 10, ticks: [0, 10, 20, 30, 40, 50] });
    expect(niceScale(120, 5)).toEqual({ max: 125, step: 25, ticks: [0, 25, 50, 75, 100, 125] });
    expect(niceScale(1000, 5).max).toBe(1000);
    expect(niceScale(1001, 5)).toMatchObject({ max: 1250, step: 250 });
    expect(niceScale(9.2, 4)).toMatchObject({ max: 10, step: 2.5 });
    expect(niceScale(0.37, 5)).toEqual({ max: 0.5, step: 0.1, ticks: [0, 0.1, 0.2, 0.3, 0.4, 0.5] });
  });

  it('never steps by a fraction for counts, and draws an empty axis 0–5 with nothing to show', () => {
    expect(niceScale(3, 5)).toEqual({ max: 5, step: 1, ticks: [0, 1, 2, 3, 4, 5] });
    expect(niceScale(0, 5)).toMatchObject({ max: 5, step: 1 });
    expect(niceScale(Number.NaN, 5)).toMatchObject({ max: 5, step: 1 });
  });

  it('keeps a fixed top (a rate: 0–100 %)', () => {
    expect(niceScale(0.42, 5, 1)).toEqual({ max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  });

  it('refuses a tick count that is not a positive integer', () => {
    expect(() => niceScale(10, 0)).toThrow(RangeError);
    expect(() => niceScale(10, 2.5)).toThrow(RangeError);
  });
});

describe('barHeight', () => {
  const scale = niceScale(37, 5); // 0–50
  it('is proportional to the value on the axis, clamped to it, and 0 for nothing', () => {
    expect(barHeight(25, scale, 150)).toBe(75);
    expect(barHeight(50, scale, 150)).toBe(150);
    expect(barHeight(80, scale, 150)).toBe(150);
    expect(barHeight(0, scale, 150)).toBe(0);
    expect(barHeight(-3, scale, 150)).toBe(0);
  });
});

describe('barLayout', () => {
  it('gives each category an equal slot with its bars centred side by side', () => {
    const l = barLayout(4, 2, 400, 0.5);
    expect(l.slot).toBe(100);
    expect(l.barWidth).toBe(25);
    expect(l.x(0, 0)).toBe(25);
    expect(l.x(0, 1)).toBe(50);
    expect(l.x(3, 1)).toBe(350);
  });

  it('draws nothing for no categories', () => {
    expect(barLayout(0, 2, 400).barWidth).toBe(0);
  });
});
