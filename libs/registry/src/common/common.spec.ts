import { addDays, addMonths, todayInVietnam } from './dates.js';
import { parseCsv, parseCsvRecords } from './csv.js';

describe('calendar dates', () => {
  it('adds months clamping to the end of the month, like PostgreSQL', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2023-05-10', 18)).toBe('2024-11-10');
    expect(addMonths('2023-12-15', 12)).toBe('2024-12-15');
  });

  it('adds days across months and years', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it("gives Viet Nam's date, which is a day ahead of UTC after 17:00 UTC", () => {
    expect(todayInVietnam(new Date('2025-03-10T16:59:00Z'))).toBe('2025-03-10');
    expect(todayInVietnam(new Date('2025-03-10T17:00:00Z'))).toBe('2025-03-11');
  });
});

describe('CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b,c\n1,"x, ""y""",\r\n2,"line\nbreak",z\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, "y"', ''],
      ['2', 'line\nbreak', 'z'],
    ]);
  });

  it('keys records by the header and names a ragged line', () => {
    expect(parseCsvRecords('\ufeffk,v\na,1\n')).toEqual([{ k: 'a', v: '1' }]);
    expect(() => parseCsvRecords('k,v\na\n')).toThrow(/record 2 has 1 fields/);
    expect(() => parseCsv('a,"open')).toThrow(/Quote Not Closed/);
    expect(parseCsv('a,b"c\n')).toEqual([['a', 'b"c']]);
  });

  it('drops a BOM and empty lines, and takes CRLF, LF and CR line ends in one file', () => {
    expect(parseCsv('\ufeffk,v\n\na,1\r\n\r\nb,2\rc,3')).toEqual([
      ['k', 'v'],
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });
});
