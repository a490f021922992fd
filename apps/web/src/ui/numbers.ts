/**
 * Numbers as the two languages write them, without Intl where plain code gives the same text: the
 * first Intl number format of a page loads the locale's data (~100 ms of CPU in the worksheet's
 * first render on the shared machine), and the worksheet formats every nominal and MPE on it.
 */
export type NumberLanguage = 'vi' | 'en';

/** vi-VN writes a decimal comma, en-GB a point (what Intl.NumberFormat gives for both). */
export function decimalSeparatorOf(lang: NumberLanguage): string {
  return lang === 'en' ? '.' : ',';
}

const intl = new Map<string, Intl.NumberFormat>();
function intlFormat(lang: NumberLanguage, digits: number): Intl.NumberFormat {
  const key = `${lang} ${digits}`;
  let f = intl.get(key);
  if (!f)
    intl.set(key, (f = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumSignificantDigits: digits })));
  return f;
}

/** A digit string plus one in its last place, carrying ('0999' → '1000'). */
function increment(digits: string): string {
  const d = digits.split('').map(Number);
  let i = d.length - 1;
  while (i >= 0 && d[i] === 9) d[i--] = 0;
  if (i < 0) return `1${d.join('')}`;
  d[i]! += 1;
  return d.join('');
}

/**
 * `value` to at most `digits` significant digits, trailing zeros dropped, with the language's decimal
 * separator: the text of Intl.NumberFormat(vi-VN | en-GB, { maximumSignificantDigits }). Like Intl,
 * it rounds the shortest decimal that reads back as the double (String(value)), half away from zero
 * (1.005 → 1.01, though the double is a little under 1.005). Done here from 10⁻⁶ to below 1,000,
 * where that decimal has no exponent and the result no grouping; anything else by Intl.
 */
export function significantText(value: number, digits: number, lang: NumberLanguage): string {
  const abs = Math.abs(value);
  if (!Number.isFinite(value) || (abs !== 0 && (abs < 1e-6 || abs >= 1000)) || digits < 1 || digits > 21)
    return intlFormat(lang, digits).format(value);
  if (abs === 0) return Object.is(value, -0) ? '-0' : '0';
  const [int = '', frac = ''] = String(abs).split('.');
  let all = int + frac;
  let point = int.length;
  const first = all.search(/[1-9]/);
  const cut = first + digits;
  if (cut < all.length) {
    let kept = all.slice(0, cut);
    if (all[cut]! >= '5') {
      const up = increment(kept);
      if (up.length > kept.length) point += 1;
      kept = up;
    }
    all = kept.padEnd(Math.max(kept.length, point), '0');
  }
  const whole = all.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  if (whole.length > 3) return intlFormat(lang, digits).format(value); // rounded up to 1,000: grouped
  const fraction = all.slice(point).replace(/0+$/, '');
  const text = fraction ? `${whole}${decimalSeparatorOf(lang)}${fraction}` : whole;
  return value < 0 ? `-${text}` : text;
}
