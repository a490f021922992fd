import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { CreateInstrumentDto, PlaceOfUseDto } from '../dto/instrument.dto.js';
import { INSTRUMENT_SHEET_COLUMNS, rowToBody, rowToDto, sheetRows } from './instrument-sheet.js';

/** Cell texts of every kind a sheet gives: words, Vietnamese, inner spaces, case, decimals, codes. */
const TEXTS = [
  'Tatsuno',
  'tatsuno',
  'SUNNY-2',
  'Cửa hàng xăng dầu số 5',
  'Phường  Cam   Linh',
  '0.5',
  '-12.75',
  '1e3',
  '60',
  'L/min',
  'in_service',
  'scrapped',
  'TS-2019-00417',
  'a "quoted" b',
  'Đắk Lắk',
  'x',
];

describe('rowToDto', () => {
  it('makes what plainToInstance makes of the row’s body, for every column and kind of text', () => {
    const header = [...INSTRUMENT_SHEET_COLUMNS];
    // Each row fills a different subset of the columns with different texts (some rows no place at all).
    const table = [
      header,
      ...Array.from({ length: 300 }, (_, r) =>
        header.map((_c, j) => ((r * 7 + j * 3) % 5 === 0 ? '' : TEXTS[(r + j * 5) % TEXTS.length]!)),
      ),
      header.map((c) => (c === 'manufacturer' || c === 'serialNumber' ? 'only' : '')),
    ];
    const { rows, problems } = sheetRows(table);
    expect(problems).toEqual([]);
    expect(rows.length).toBe(301);
    let withPlace = 0;
    for (const [i, row] of rows.entries()) {
      const typeId = i % 3 ? '7ff332db-c92a-4b8c-abbf-63cc614ac1cc' : undefined;
      const direct = rowToDto(row, typeId);
      const transformed = plainToInstance(CreateInstrumentDto, rowToBody(row, typeId));
      expect(direct).toBeInstanceOf(CreateInstrumentDto);
      expect(direct).toStrictEqual(transformed);
      expect(Object.keys(direct)).toEqual(Object.keys(transformed));
      if (transformed.placeOfUse) {
        withPlace++;
        expect(direct.placeOfUse).toBeInstanceOf(PlaceOfUseDto);
        expect(Object.keys(direct.placeOfUse!)).toEqual(Object.keys(transformed.placeOfUse));
      } else expect(direct.placeOfUse).toBeUndefined();
    }
    expect(withPlace).toBeGreaterThan(100);
    expect(withPlace).toBeLessThan(301);
  });
});
