import fc from 'fast-check';

/** The parts of an OpenAPI 3 schema the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  example?: unknown;
}

export type Components = Record<string, Schema>;

/** Values at the edges of what a type can hold, or of another type, or that PostgreSQL refuses. */
const edges = fc.constantFrom<unknown>(
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  '1e999',
  'NaN',
  '-0',
  '9'.repeat(400),
  '',
  ' ',
  'x'.repeat(5000),
  '0000-00-00',
  '2024-02-30',
  '275760-09-13',
  '-001000-01-01',
  '2024-01-01T25:61:00Z',
  'a\u0000b',
  '\ud800',
  null,
  true,
  [],
  {},
  [null],
  { $gt: '' },
);
/** The NUL character as often as all the other edges together: PostgreSQL text cannot hold it. */
const extreme = fc.oneof(edges, fc.constantFrom('a\u0000b', '\u0000'));

const dateLike = fc.oneof(
  fc
    .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

function stringFor(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date':
    case 'date-time':
      return dateLike;
    case undefined:
    default:
      return fc.oneof(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.stringMatching(/^-?\d{1,12}(\.\d{1,12})?$/),
        dateLike,
      );
  }
}

/**
 * Values shaped by the schema: the documented example or a plausible value of the right type for
 * each field, and one field in eight from the edges. A request that gets past validation with one
 * odd value is where a 500 would hide.
 */
export function fromSchema(schema: Schema | undefined, components: Components, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return extreme;
  if (schema.$ref) return fromSchema(components[schema.$ref.split('/').pop()!], components, depth + 1);
  const variants = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (variants) return fc.oneof(...variants.map((v) => fromSchema(v, components, depth + 1)));
  const plausible =
    schema.example === undefined
      ? shapedBy(schema, components, depth)
      : fc.oneof({ arbitrary: fc.constant(schema.example), weight: 2 }, shapedBy(schema, components, depth));
  return fc.oneof({ arbitrary: plausible, weight: 7 }, { arbitrary: extreme, weight: 1 });
}

function shapedBy(schema: Schema, components: Components, depth: number): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: 0, max: 400 });
    case 'number':
      return fc.oneof(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 400 }));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(schema.items, components, depth + 1), { minLength: 1, maxLength: 3 });
    case undefined: // an object (or a schema that says nothing)
    default: {
      const props = Object.entries(schema.properties ?? {});
      if (props.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), extreme, { maxKeys: 2 });
      const record = Object.fromEntries(props.map(([k, s]) => [k, fromSchema(s, components, depth + 1)]));
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => k in record) });
    }
  }
}

/** Query strings: the operation's own parameters (shaped, or extreme), sometimes an unknown one. */
export function queryFor(
  parameters: { name: string; in: string; schema?: Schema }[],
  components: Components,
): fc.Arbitrary<Record<string, string>> {
  const query = parameters.filter((p) => p.in === 'query');
  const known = Object.fromEntries(query.map((p) => [p.name, fromSchema(p.schema, components).map(asQueryValue)]));
  return fc
    .tuple(
      fc.record(known, { requiredKeys: [] }),
      fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 })), { freq: 5 }),
    )
    .map(([values, extra]) => ({ ...(values as Record<string, string>), ...(extra ? { [extra[0]]: extra[1] } : {}) }));
}

function asQueryValue(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
}
