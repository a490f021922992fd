import { readFileSync } from 'node:fs';
import { DOCUMENT_FILE } from './support/contract-files.js';
import {
  isWebApp,
  requestPath,
  ResponseContract,
  toJsonSchema,
  UNDOCUMENTED_ROUTES,
} from './support/response-contract.js';

/** The response-contract check itself (test/support/response-contract.ts), on a small document and on the real one. */
const doc = {
  paths: {
    '/requests/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Request' } } } },
          '404': { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
    '/requests/batch': { get: { responses: { '204': { description: 'none' } } } },
    '/certificates/{id}/pdf': {
      get: {
        responses: { '200': { content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Ref: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
      Request: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          status: { type: 'string', enum: ['submitted', 'accepted'] },
          outcome: { type: 'string', enum: ['pass', 'fail'], nullable: true },
          replaces: { allOf: [{ $ref: '#/components/schemas/Ref' }], nullable: true, type: 'object' },
        },
        required: ['id', 'status', 'outcome', 'replaces'],
      },
      Problem: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
    },
  },
};

const json = (status: number, body: unknown, contentType = 'application/json; charset=utf-8') => ({
  status,
  contentType,
  hasBody: true,
  body,
});
const UUID = '0b0e8d0e-7f2a-4c1e-9d3b-2a6f5e4c3b2a';

describe('the response-contract check', () => {
  const contract = new ResponseContract(doc);
  const get = (path: string) => contract.operation('GET', path)!;
  const valid = { id: 'r1', status: 'submitted', outcome: null, replaces: null };

  it('accepts a declared status with a body valid for its schema, nullable OpenAPI 3.0 fields included', () => {
    expect(contract.check(get('/requests/r1'), json(200, valid))).toBeUndefined();
    expect(
      contract.check(get('/requests/r1'), json(200, { ...valid, outcome: 'pass', replaces: { id: UUID } })),
    ).toBeUndefined();
    expect(
      contract.check(get('/requests/r1'), json(404, { code: 'request.not_found' }, 'application/problem+json')),
    ).toBeUndefined();
  });

  it('names an undeclared status, an undeclared media type and a body that breaks the schema', () => {
    expect(contract.check(get('/requests/r1'), json(500, { code: 'x' }))).toMatch(/status 500 is not declared/);
    expect(contract.check(get('/requests/r1'), json(404, { code: 'x' }))).toMatch(
      /404 declares application\/problem\+json, got application\/json/,
    );
    expect(contract.check(get('/requests/r1'), json(200, { ...valid, status: 'closed' }))).toMatch(
      /body\/status must be equal to one of the allowed values \(got "closed"\)/,
    );
    expect(contract.check(get('/requests/r1'), json(200, { ...valid, replaces: { id: 'nope' } }))).toMatch(
      /body\/replaces\/id must match format "uuid"/,
    );
    const missing: Partial<typeof valid> = { ...valid };
    delete missing.outcome;
    expect(contract.check(get('/requests/r1'), json(200, missing))).toMatch(/must have required property 'outcome'/);
    expect(
      contract.check(get('/requests/r1'), { status: 200, contentType: undefined, hasBody: false, body: {} }),
    ).toMatch(/declares a body, got none/);
    expect(contract.check(get('/requests/batch'), json(204, {}))).toMatch(/declares no body, got application\/json/);
  });

  it('checks the media type of a binary body, not its bytes', () => {
    const pdf = get(`/certificates/${UUID}/pdf`);
    expect(
      contract.check(pdf, { status: 200, contentType: 'application/pdf', hasBody: true, body: {} }),
    ).toBeUndefined();
    expect(contract.check(pdf, json(200, { id: 'x' }))).toMatch(/declares application\/pdf, got application\/json/);
  });

  it('matches the more specific path template first, and skips only the listed undocumented routes', () => {
    expect(get('/requests/batch').key).toBe('GET /requests/batch');
    expect(get('/requests/r1').key).toBe('GET /requests/{id}');
    expect(contract.operation('POST', '/requests/r1')).toBeUndefined();
    const skipped = (path: string) => UNDOCUMENTED_ROUTES.some((r) => r.test(path));
    expect(['/docs', '/docs-json', '/docs/swagger-ui.css', '/admin/queues/api/queues'].every(skipped)).toBe(true);
    expect(['/documents', '/admin/queue-dashboard/session', '/requests'].some(skipped)).toBe(false);
    // The web app's page and files (for paths no operation has); never an API-shaped or error answer.
    expect(isWebApp('GET', { status: 200, contentType: 'text/html; charset=UTF-8' })).toBe(true);
    expect(isWebApp('GET', { status: 200, contentType: 'application/javascript' })).toBe(true);
    expect(isWebApp('GET', { status: 200, contentType: 'application/json' })).toBe(false);
    expect(isWebApp('GET', { status: 404, contentType: 'text/html' })).toBe(false);
    expect(isWebApp('POST', { status: 200, contentType: 'text/html' })).toBe(false);
  });

  it('reads the path as it was sent, dot segments and encoding kept', () => {
    expect(requestPath('http://127.0.0.1:4321/requests/../reject?x=1')).toBe('/requests/../reject');
    expect(requestPath('http://127.0.0.1:4321/public/certificates/K%C4%90-1#a')).toBe('/public/certificates/K%C4%90-1');
    expect(requestPath('http://127.0.0.1:4321')).toBe('/');
  });

  it('turns nullable into JSON Schema without admitting null where the field is not nullable', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, enum: ['a'] })).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
    expect(toJsonSchema({ type: 'string' })).toEqual({ type: 'string' });
  });

  it('compiles every response schema of the committed document', () => {
    const real = new ResponseContract(JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')));
    expect(real.compileAll()).toBeGreaterThan(600);
  });
});
