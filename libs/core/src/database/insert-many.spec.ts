import { propertiesOf } from './insert-many.js';

describe('propertiesOf (the columns insertMany writes)', () => {
  it('is every property of every row, in the order first seen', () => {
    expect(
      propertiesOf([
        { a: 1, b: 2 },
        { a: 3, b: 4 },
        { a: 5, b: 6 },
      ]),
    ).toEqual(['a', 'b']);
  });

  it('takes the properties of rows that differ from the one before, wherever they are', () => {
    const rows = [{ a: 1 }, { a: 1 }, { a: 1, c: 3 }, { a: 1 }, { b: 2, a: 1 }, { a: 1 }, { d: null }];
    expect(propertiesOf(rows)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('sees a row with the same number of properties but other names', () => {
    expect(
      propertiesOf([
        { a: 1, b: 2 },
        { a: 1, c: 2 },
      ]),
    ).toEqual(['a', 'b', 'c']);
  });

  it('is empty for no rows and for rows without properties', () => {
    expect(propertiesOf([])).toEqual([]);
    expect(propertiesOf([{}, {}])).toEqual([]);
  });
});
