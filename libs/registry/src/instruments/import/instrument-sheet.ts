import { Readable } from 'node:stream';
import { loadExcelJS } from '#libs/core';
import { parseCsv } from '../../common/csv.js';
import { CreateInstrumentDto, PlaceOfUseDto } from '../dto/instrument.dto.js';

/**
 * The columns of an instrument spreadsheet (import, and the instruments export reads back): the
 * header row names them, in any order; `typeCode` is the catalogue code (e.g. `CX-XD`), the place of
 * use is flat. Unknown headers are an error naming the column. `province` and `commune` name the
 * place of use's administrative units (name or code, matched against the centre's list: see
 * InstrumentImport); `province` is also kept as the place's text, `district` and `ward` are history.
 */
export const INSTRUMENT_SHEET_COLUMNS = [
  'typeCode',
  'manufacturer',
  'model',
  'serialNumber',
  'accuracyClass',
  'rangeMin',
  'rangeMax',
  'rangeUnit',
  'resolution',
  'resolutionUnit',
  'scaleInterval',
  'siteName',
  'streetAddress',
  'province',
  'commune',
  'district',
  'ward',
  'status',
] as const;
export type InstrumentSheetColumn = (typeof INSTRUMENT_SHEET_COLUMNS)[number];

/** Columns the instruments export adds that an import reads past (so an export can be edited and imported). */
export const EXPORT_ONLY_COLUMNS = ['id', 'owner', 'labelCode', 'lastServiceDate', 'nextDueDate'] as const;

/** Columns the import resolves to administrative units itself (no CreateInstrumentDto field of their own). */
export const UNIT_COLUMNS: readonly InstrumentSheetColumn[] = ['commune'];

/** The CreateInstrumentDto field each column fills (placeOfUse is nested). */
export const PLACE_COLUMNS: readonly InstrumentSheetColumn[] = [
  'siteName',
  'streetAddress',
  'province',
  'district',
  'ward',
];

type PlaceColumn = 'siteName' | 'streetAddress' | 'province' | 'district' | 'ward';
type DtoColumn = Exclude<InstrumentSheetColumn, PlaceColumn | 'typeCode' | 'commune'>;

/** One data row: its number as the spreadsheet shows it (the header is row 1) and its non-empty cells. */
export interface SheetRow {
  row: number;
  values: Partial<Record<InstrumentSheetColumn, string>>;
}

/** A problem of one cell (or of the row, when column is null), as a dry run reports it. */
export interface SheetProblem {
  row: number;
  column: string | null;
  message: string;
}

export type SheetFormat = 'xlsx' | 'csv';

/** XLSX by its ZIP signature, anything else read as UTF-8 CSV. */
export function sheetFormat(bytes: Buffer): SheetFormat {
  return bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? 'xlsx' : 'csv';
}

/**
 * The rows of the first worksheet (XLSX, read by exceljs's streaming reader: ≈ 5× faster than loading
 * the workbook model at 50,000 rows) or of the CSV (csv-parse), as text cells.
 */
export async function readSheet(bytes: Buffer): Promise<string[][]> {
  if (sheetFormat(bytes) === 'csv') return parseCsv(bytes.toString('utf8'));
  const { stream } = await loadExcelJS();
  const reader = new stream.xlsx.WorkbookReader(Readable.from(bytes), {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const rows: string[][] = [];
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      rows[row.number - 1] = Array.from({ length: Math.max(values.length - 1, 0) }, (_, i) => cellText(values[i + 1]));
    }
    break; // the first worksheet only
  }
  return Array.from(rows, (r) => r ?? []);
}

/** A cell's value as text: numbers as written, dates as YYYY-MM-DD, rich text, hyperlinks and formulas by their text. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v !== 'object') return String(v);
  const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
  if (o.richText) return o.richText.map((t) => t.text).join('');
  if (o.text !== undefined) return cellText(o.text);
  if (o.result !== undefined) return cellText(o.result);
  return o.error ?? '';
}

/**
 * The header checked and the data rows keyed by column; blank rows skipped. Problems of the header
 * (an unknown column, one given twice, a required one missing) are reported on row 1.
 */
export function sheetRows(table: string[][]): { rows: SheetRow[]; problems: SheetProblem[] } {
  const [header = [], ...data] = table;
  const names = header.map((h) => h.trim());
  const problems: SheetProblem[] = [];
  names.forEach((name, i) => {
    if (!name) return;
    if ((EXPORT_ONLY_COLUMNS as readonly string[]).includes(name)) return;
    if (!(INSTRUMENT_SHEET_COLUMNS as readonly string[]).includes(name))
      problems.push({
        row: 1,
        column: name,
        message: `unknown column; the columns are ${INSTRUMENT_SHEET_COLUMNS.join(', ')}`,
      });
    else if (names.indexOf(name) !== i) problems.push({ row: 1, column: name, message: 'the column is given twice' });
  });
  for (const required of ['typeCode', 'manufacturer', 'serialNumber'] as const)
    if (!names.includes(required)) problems.push({ row: 1, column: required, message: 'the column is missing' });
  const rows: SheetRow[] = [];
  data.forEach((cells, i) => {
    const values: SheetRow['values'] = {};
    names.forEach((name, j) => {
      const text = (cells[j] ?? '').trim();
      if (text && (INSTRUMENT_SHEET_COLUMNS as readonly string[]).includes(name))
        values[name as InstrumentSheetColumn] = text;
    });
    if (Object.keys(values).length) rows.push({ row: i + 2, values });
  });
  return { rows, problems };
}

/**
 * The body a row stands for, as a client would POST it to /instruments; the type is resolved from its
 * code separately. rowToDto makes its DTO.
 */
export function rowToBody(row: SheetRow, instrumentTypeId: string | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { instrumentTypeId: instrumentTypeId ?? '' };
  const place: Record<string, string> = {};
  for (const [column, value] of Object.entries(row.values) as [InstrumentSheetColumn, string][]) {
    if (column === 'typeCode' || UNIT_COLUMNS.includes(column)) continue;
    if (PLACE_COLUMNS.includes(column)) place[column] = value;
    else body[column] = value;
  }
  if (Object.keys(place).length) body.placeOfUse = place;
  return body;
}

/**
 * The CreateInstrumentDto of a row: what `plainToInstance(CreateInstrumentDto, rowToBody(row, id))`
 * makes (the DTOs' only transforms trim, and sheetRows has trimmed every cell; the spec compares the
 * two on every column), without class-transformer's per-object work: ≈ 10 µs a row, 0.5 s of a
 * 50,000-row import (bench/README.md, instrument-import).
 */
export function rowToDto(row: SheetRow, instrumentTypeId: string | undefined): CreateInstrumentDto {
  const dto = new CreateInstrumentDto();
  dto.instrumentTypeId = instrumentTypeId ?? '';
  let place: PlaceOfUseDto | undefined;
  for (const [column, value] of Object.entries(row.values) as [InstrumentSheetColumn, string][]) {
    if (column === 'typeCode' || UNIT_COLUMNS.includes(column)) continue;
    if (PLACE_COLUMNS.includes(column)) (place ??= new PlaceOfUseDto())[column as PlaceColumn] = value;
    else dto[column as DtoColumn] = value as never;
  }
  if (place) dto.placeOfUse = place;
  return dto;
}

/** A DTO field path (`placeOfUse.district`, `[3].rangeMax`) back to the sheet's column name. */
export function columnOf(field: string): string {
  const last =
    field
      .replace(/^\[\d+\]\.?/, '')
      .split('.')
      .pop() ?? field;
  return last === 'instrumentTypeId' ? 'typeCode' : last;
}
