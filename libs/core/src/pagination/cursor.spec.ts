import { InvalidInputError } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor, type CursorType } from './cursor.js';
import { toPage } from './pagination.js';

const ID = '0b6f1d4e-3c2a-4f5b-9a8e-7d6c5b4a3f21';
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function refuses(cursor: string, types: readonly CursorType[]): void {
  let thrown: unknown;
  try {
    decodeCursor(cursor, types);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(InvalidInputError);
  expect((thrown as InvalidInputError).details).toEqual({ errors: [{ field: 'cursor', message: expect.any(String) }] });
}

describe('cursor codec', () => {
  it('round-trips every type', () => {
    const at = new Date('2025-03-04T05:06:07.089Z').toISOString();
    const cursor = encodeCursor(['Nguyễn', ID, '2024-02-29', at, 150, '9223372036854775807', '-12.50']);
    const [text, uuid, date, instant, int, bigint, numeric] = decodeCursor(cursor, [
      'text',
      'uuid',
      'date',
      'timestamptz',
      'int',
      'bigint',
      'numeric',
    ]);
    expect([text, uuid, date, instant, int, bigint, numeric]).toEqual([
      'Nguyễn',
      ID,
      '2024-02-29',
      '2025-03-04T05:06:07.089Z',
      150,
      '9223372036854775807',
      '-12.50',
    ]);
  });

  it('reads the cursors toPage writes (the format clients hold today)', () => {
    const rows = [
      { at: new Date('2025-01-01T00:00:00.000Z'), id: ID },
      { at: new Date('2025-01-02T00:00:00.000Z'), id: ID },
    ];
    const page = toPage(
      rows,
      1,
      (r) => [r.at.toISOString(), r.id],
      (r) => r,
    );
    expect(page.nextCursor).toBe(b64(['2025-01-01T00:00:00.000Z', ID]));
    expect(decodeCursor(page.nextCursor!, ['timestamptz', 'uuid'])).toEqual(['2025-01-01T00:00:00.000Z', ID]);
  });

  it('refuses what is not base64url of a JSON array', () => {
    for (const c of [
      '',
      '!!!',
      'not a cursor',
      'abc=',
      Buffer.from('[1').toString('base64url'),
      b64({}),
      b64('x'),
      b64(null),
    ])
      refuses(c, ['bigint']);
  });

  it('refuses the wrong number of values', () => {
    refuses(b64([]), ['uuid']);
    refuses(b64([ID]), ['timestamptz', 'uuid']);
    refuses(b64(['2025-01-01T00:00:00.000Z', ID, ID]), ['timestamptz', 'uuid']);
  });

  it('refuses values of the wrong type', () => {
    refuses(b64(['not-a-date', 'not-a-uuid']), ['timestamptz', 'uuid']);
    refuses(b64(['2025-01-01T00:00:00.000Z', 'not-a-uuid']), ['timestamptz', 'uuid']);
    const bad: [CursorType, unknown[]][] = [
      ['text', [1, null, ['a'], { a: 1 }, 'nul\u0000byte']],
      ['uuid', ['', 'not-a-uuid', `${ID}x`, 7, null]],
      ['date', ['2025-02-30', '2025-1-1', '0000-01-01', '2025-01-01T00:00:00.000Z', 20250101, null]],
      [
        'timestamptz',
        ['not-a-date', '2025-01-01', '2025-02-30T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '2025-01-01 00:00', 0],
      ],
      ['int', [-1, 1.5, '1', Number.MAX_SAFE_INTEGER + 1, null]],
      ['bigint', ['-1', '1.0', '', '9223372036854775808', 12, '1e3']],
      ['numeric', ['1e3', '', '.5', 'NaN', 1.5]],
    ];
    for (const [type, values] of bad) for (const v of values) refuses(b64([v]), [type]);
  });
});
