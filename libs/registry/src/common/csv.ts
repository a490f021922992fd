import { parse } from 'csv-parse/sync';

/**
 * RFC 4180 rows, read by csv-parse: quoted fields may hold commas, quotes ("") and line breaks; a
 * leading BOM and empty lines are dropped; lines may end in CRLF, LF or CR (even mixed); a quote
 * inside an unquoted field is kept as text. A file ending inside a quoted field is an error.
 */
export function parseCsv(text: string): string[][] {
  return parse(text, {
    bom: true,
    skip_empty_lines: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
  });
}

/** Rows as objects keyed by the header line; a row with another number of fields is an error naming its line. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r, n) => {
    if (r.length !== header.length)
      throw new Error(`CSV record ${n + 2} has ${r.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h.trim(), r[j] as string]));
  });
}
