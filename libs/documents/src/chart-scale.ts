/**
 * The value axis of a bar chart: from 0 to a "nice" maximum (1, 2, 2.5 or 5 × a power of ten) at or
 * above the largest value, in `ticks` equal steps, so the gridlines read as round numbers. Pure, so
 * its arithmetic is tested apart from the drawing.
 */
export interface ChartScale {
  max: number;
  step: number;
  ticks: number[];
}

const NICE = [1, 2, 2.5, 5, 10];

/** The axis for values up to `largest` (nothing to show: 0–`ticks`, in steps of 1), with `ticks` steps; `fixedMax` forces the top (a rate: 1). */
export function niceScale(largest: number, ticks = 5, fixedMax?: number): ChartScale {
  if (!Number.isInteger(ticks) || ticks < 1) throw new RangeError(`ticks must be a positive integer, got ${ticks}`);
  let step: number;
  if (fixedMax !== undefined) {
    step = fixedMax / ticks;
  } else {
    const empty = !(Number.isFinite(largest) && largest > 0);
    const raw = empty ? 1 : largest / ticks;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    step = NICE.find((n) => n * magnitude >= raw - 1e-12)! * magnitude;
    // Whole-number data (counts) never needs a fractional step.
    if ((empty || Number.isInteger(largest)) && step < 1) step = 1;
  }
  const round = (v: number) => Number(v.toPrecision(12));
  return {
    max: round(step * ticks),
    step: round(step),
    ticks: Array.from({ length: ticks + 1 }, (_, i) => round(i * step)),
  };
}

/** The height in points of a bar for `value` on an axis of `height` points (clamped to the axis). */
export function barHeight(value: number, scale: ChartScale, height: number): number {
  if (!(value > 0) || scale.max <= 0) return 0;
  return (Math.min(value, scale.max) / scale.max) * height;
}

/**
 * Where the bars of `groups` categories of `perGroup` bars each go across `width` points: each
 * category gets an equal slot, its bars side by side in the middle `fill` of it. Returns each bar's
 * x offset (from the plot's left) by category and series, and the bar width.
 */
export function barLayout(
  groups: number,
  perGroup: number,
  width: number,
  fill = 0.7,
): { slot: number; barWidth: number; x: (group: number, series: number) => number } {
  if (groups < 1 || perGroup < 1) return { slot: width, barWidth: 0, x: () => 0 };
  const slot = width / groups;
  const barWidth = (slot * fill) / perGroup;
  const start = (slot - barWidth * perGroup) / 2;
  return { slot, barWidth, x: (group, series) => group * slot + start + series * barWidth };
}
