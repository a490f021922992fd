/**
 * What a person typed (either separator) as the API's decimal string. Apart from format.ts (which
 * reads the active language) so that pure modules and their specs can use it.
 */
export function parseDecimal(text: string): string {
  return text.trim().replace(/\s/g, '').replace('−', '-').replace(',', '.');
}
