import fc from 'fast-check';
import type { Test } from 'supertest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { businessKey, createOrganization, staffSession } from './support/factories.js';
import { fromSchema, queryFor, type Components, type Schema } from './support/openapi-fuzz.js';

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body: fc.Arbitrary<string>;
  query: fc.Arbitrary<Record<string, string>>;
}

interface DocumentedOperation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** Routes whose 4xx answers are not problem details by design: the HTML pages and the public lookup's "unknown". */
const NOT_PROBLEM_4XX = /^\/(verify|public\/certificates|public\/stamps)\//;
const RUNS_PER_ROUTE = 12;
const SEED = 20261101;

/** Bad bodies, as the bytes sent: anything JSON can say, deep nesting, NUL characters, wrong types, huge values, and non-JSON text. */
const badBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }).map((v) => JSON.stringify(v) ?? 'null'),
  fc
    .dictionary(
      fc.constantFrom('name', 'username', 'password', 'items', 'id', 'limit', 'url', 'number', 'kind', '__proto__'),
      fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.constant('\u0000'),
        fc.double(),
        fc.bigInt().map(String),
        fc.constant('9'.repeat(400)),
        fc.array(fc.jsonValue({ maxDepth: 2 })),
      ),
    )
    .map((v) => JSON.stringify(v)),
  fc.integer({ min: 33, max: 6000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const badQuery = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'q', 'at', 'from', 'to', 'within', 'status', 'kind', 'organizationId', 'x'),
  fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('\u0000'), fc.constant('-1e999'), fc.uuid()),
  { maxKeys: 3 },
);

const pathValue = (known: string[]) =>
  fc.oneof(
    fc.constantFrom(...known),
    fc.uuid(),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    fc.constantFrom('0', '-1', '1e999', '%00', '..', 'null', '00000000-0000-0000-0000-000000000000'),
  );

interface Call {
  body: string;
  contentType: string;
  query: Record<string, string>;
  pathValue: string;
}

const callsFor = (op: Operation, known: string[]) =>
  fc.record({
    body: op.body,
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ),
    query: op.query,
    pathValue: pathValue(known),
  });

/**
 * Route fuzzing: every operation of the OpenAPI document (/docs-json), as an admin and as a business,
 * with generated bad bodies, query strings and path parameters (a fixed seed, so a failure
 * reproduces). Whatever comes in, the answer is never a 5xx, and a 4xx is problem+json.
 */
describe('route fuzzing (OpenAPI document, fast-check)', () => {
  let sys: TestSystem;
  let operations: Operation[];
  let callers: { name: string; header: [string, string] }[];
  /** Ids of rows that exist, for path parameters: another organization than the business caller's. */
  let known: string[];
  beforeAll(async () => {
    sys = await startTestSystem();
    const admin = await staffSession(sys, ['admin']);
    const org = await createOrganization(sys);
    known = [(await createOrganization(sys)).id];
    callers = [
      { name: 'admin', header: ['Authorization', `Bearer ${admin.token}`] },
      { name: 'business', header: ['X-Api-Key', await businessKey(sys, org.id)] },
    ];
    const doc = await sys.http().get('/docs-json').expect(200);
    const components = (doc.body.components?.schemas ?? {}) as Components;
    const paths = doc.body.paths as Record<string, Record<string, DocumentedOperation>>;
    operations = Object.entries(paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([method, op]) => {
          const schema = op.requestBody?.content?.['application/json']?.schema;
          const shaped = fromSchema(schema, components).map((v) => JSON.stringify(v) ?? 'null');
          return {
            method: method as Operation['method'],
            path,
            // Bodies shaped by the route's schema reach the services; the rest test the parsers and pipes.
            body: schema ? fc.oneof({ arbitrary: shaped, weight: 3 }, { arbitrary: badBody, weight: 1 }) : badBody,
            query: fc.oneof(queryFor(op.parameters ?? [], components), badQuery),
          };
        }),
    );
  });
  afterAll(async () => sys?.close());

  function send(op: Operation, call: Call, header: [string, string]): Test {
    const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(call.pathValue));
    const req = sys
      .http()
      [op.method](path)
      .set(...header)
      .query(call.query);
    return req.set('Content-Type', call.contentType).send(call.body);
  }

  it('reads a document with the API in it', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toContain('post /auth/login');
  });

  it('never answers 5xx, and answers 4xx as problem+json', async () => {
    const failures: string[] = [];
    for (const [index, op] of operations.entries()) {
      for (const call of fc.sample(callsFor(op, known), { numRuns: RUNS_PER_ROUTE, seed: SEED + index })) {
        for (const caller of callers) {
          const res = await send(op, call, caller.header);
          const problem = /^application\/problem\+json/.test(String(res.headers['content-type']));
          const bad =
            res.status >= 500 || (res.status >= 400 && !problem && !NOT_PROBLEM_4XX.test(op.path.replace(/\{/g, '')));
          if (bad)
            failures.push(
              `${op.method.toUpperCase()} ${op.path} as ${caller.name} → ${res.status} ${res.headers['content-type']}: ` +
                JSON.stringify(call).slice(0, 400),
            );
        }
      }
    }
    expect(failures).toEqual([]);
    // ~2,700 requests: ~20 s alone, more beside other suites on two cores.
  }, 150_000);
});
