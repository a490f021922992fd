import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import type * as ExcelJS from 'exceljs';
import { IsIn, IsOptional } from 'class-validator';

export const SPREADSHEET_FORMATS = ['xlsx', 'csv'] as const;
export type SpreadsheetFormat = (typeof SPREADSHEET_FORMATS)[number];

export const SPREADSHEET_MEDIA_TYPES: Record<SpreadsheetFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

let excel: Promise<typeof ExcelJS> | undefined;
/**
 * exceljs, loaded on the first spreadsheet read or written rather than at import: with its zip,
 * stream and polyfill dependencies it is ≈ 600 modules, which every process (and every test file)
 * would otherwise load at start-up whether or not it ever touches a spreadsheet.
 */
export function loadExcelJS(): Promise<typeof ExcelJS> {
  return (excel ??= import('exceljs').then((m) => (m as unknown as { default: typeof ExcelJS }).default));
}

/** A column of an export: its header (Vietnamese first, as staff read it) and how a row fills it. */
export interface SpreadsheetColumn<R> {
  header: string;
  value: (row: R) => string | number | null | undefined;
  width?: number;
}

/** The `format` query of every export; mixed into the export's own query class. */
export class SpreadsheetFormatQuery {
  @ApiPropertyOptional({ enum: SPREADSHEET_FORMATS, default: 'xlsx' })
  @IsOptional()
  @IsIn(SPREADSHEET_FORMATS)
  format: SpreadsheetFormat = 'xlsx';
}

/** The response an export route declares: the file in either format, as an attachment. */
export function ApiSpreadsheetResponse(description: string): MethodDecorator {
  return applyDecorators(
    ApiOkResponse({
      description: `${description} (XLSX or CSV by \`format\`; streamed, as an attachment)`,
      content: Object.fromEntries(
        Object.values(SPREADSHEET_MEDIA_TYPES).map((t) => [
          t.split(';')[0]!,
          { schema: { type: 'string', format: 'binary' } },
        ]),
      ),
      headers: { 'Content-Disposition': { description: 'attachment; filename="…"', schema: { type: 'string' } } },
    }),
  );
}

/** The part of an HTTP response an export writes to (express's Response is one). */
export interface SpreadsheetTarget extends Writable {
  setHeader(name: string, value: string): unknown;
}

/**
 * Writes rows to the response as they come, batch by batch (a keyset page at a time), so an export
 * of 1,000,000 rows holds one batch in memory: XLSX through exceljs's streaming WorkbookWriter (each
 * row committed as written; inline strings, no styles), CSV through csv-stringify with a BOM (Excel
 * then reads UTF-8 Vietnamese) and back-pressure. Returns the number of rows written.
 */
export async function streamSpreadsheet<R>(
  target: SpreadsheetTarget,
  format: SpreadsheetFormat,
  fileName: string,
  columns: SpreadsheetColumn<R>[],
  batches: AsyncIterable<R[]>,
): Promise<number> {
  target.setHeader('Content-Type', SPREADSHEET_MEDIA_TYPES[format]);
  target.setHeader('Content-Disposition', `attachment; filename="${fileName}.${format}"`);
  const cells = (r: R) => columns.map((c) => c.value(r) ?? null);
  let count = 0;
  if (format === 'xlsx') {
    const { stream } = await loadExcelJS();
    const workbook = new stream.xlsx.WorkbookWriter({
      stream: target,
      useStyles: false,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(fileName.slice(0, 31));
    sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 18 }));
    for await (const batch of batches) {
      for (const r of batch) sheet.addRow(cells(r)).commit();
      count += batch.length;
    }
    sheet.commit();
    await workbook.commit();
    return count;
  }
  const csv = stringify({ bom: true, header: true, columns: columns.map((c) => c.header) });
  csv.pipe(target);
  for await (const batch of batches) {
    for (const r of batch) if (!csv.write(cells(r))) await once(csv, 'drain');
    count += batch.length;
  }
  csv.end();
  await once(target, 'finish');
  return count;
}

/** Keyset pages of a list use case, one after another, until its last page. */
export async function* allPagesOf<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): AsyncIterable<T[]> {
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    yield p.items;
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
}
