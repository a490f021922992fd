/**
 * `count` label codes numbered on from `first` (its trailing digits, their width kept:
 * TĐC-25-000123, TĐC-25-000124, …), as a roll of labels is; null when `first` ends in no digits.
 */
export function labelSequence(first: string, count: number): string[] | null {
  const m = /^(.*?)(\d+)$/.exec(first.trim());
  if (!m) return null;
  const [prefix, digits] = [m[1]!, m[2]!];
  const start = BigInt(digits);
  return Array.from(
    { length: count },
    (_, i) => `${prefix}${(start + BigInt(i)).toString().padStart(digits.length, '0')}`,
  );
}

/** `items` in consecutive slices of at most `size` (the batch routes take 500 at a time). */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
