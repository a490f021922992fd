import { randomUUID } from 'node:crypto';
import type { Principal } from '#libs/core';
import { WebhookService } from '#libs/webhooks';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, expectStatus } from './support/http.js';
import { inDays, staffSession, businessKey, registry, type StaffSession } from './support/factories.js';

interface OpenApiParameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: { enum?: string[] };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Cursors no list gave out: each must be a 400 naming `cursor`, never a 500 from a SQL cast. */
const FORGED: Record<string, string> = {
  garbage: 'not a cursor!',
  'base64url, not JSON': Buffer.from('not json').toString('base64url'),
  '["not-a-date","not-a-uuid"]': b64(['not-a-date', 'not-a-uuid']),
  '[1]': b64([1]),
  '["not-a-uuid"]': b64(['not-a-uuid']),
  '{}': b64({}),
  '3 values': b64(['2025-01-01T00:00:00.000Z', randomUUID(), randomUUID()]),
  'NUL in text': b64(['\u0000', randomUUID()]),
};

/** Lists whose cursor is an offset: `[1]` is a real cursor there, so these take its place. */
const OFFSET_LISTS = new Set(['/certificate-issues']);
const FORGED_OFFSETS: Record<string, string> = { '[-1]': b64([-1]), '[1.5]': b64([1.5]), '["1"]': b64(['1']) };

describe('list cursors: a forged cursor on every list is a 400 naming cursor', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let key: string;
  /** Each list's path and the required query parameters it is called with. */
  let lists: { path: string; query: Record<string, string> }[];
  /** The id a path parameter takes, by the collection segment before it. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sys = await startTestSystem();
    admin = await staffSession(sys, ['admin']);
    const reg = registry(sys);
    const organization = await reg.organization();
    const type = await reg.type();
    const instrument = await reg.instrument(organization.id, type.id);
    const standard = await reg.standard();
    key = await businessKey(sys, organization.id);
    const principal: Principal = {
      kind: 'staff',
      userId: admin.userId,
      username: admin.username,
      fullName: 'Admin',
      roles: ['admin'],
    };
    const endpoint = await sys.app
      .get(WebhookService)
      .create(
        organization.id,
        { url: 'https://127.0.0.1/hooks' /* EGRESS_ALLOW of the test system */, events: ['request.status_changed'] },
        principal,
      );
    const request = await expectStatus<{ id: string }>(
      as(sys, { key })
        .post('/requests')
        .send({
          place: 'lab',
          preferredDate: inDays(7),
          items: [{ instrumentId: instrument.id, service: 'verification_periodic' }],
        }),
      201,
    );
    Object.assign(ids, {
      organizations: organization.id,
      'instrument-types': type.id,
      instruments: instrument.id,
      standards: standard.id,
      webhooks: endpoint.id,
      requests: request.id,
      users: admin.userId,
    });

    const doc = await expectStatus<OpenApiDocument>(sys.http().get('/docs-json'), 200);
    lists = Object.entries(doc.paths)
      .filter(([, ops]) => ops.get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
      .map(([path, ops]) => ({ path, query: requiredQuery(path, ops.get!.parameters!) }));
  });
  afterAll(async () => sys?.close());

  /** `/organizations/{id}/api-keys` → `/organizations/<organization id>/api-keys`. */
  function fill(path: string): string {
    const segments = path.split('/');
    return segments
      .map((s, i) => {
        if (!/^\{.+\}$/.test(s)) return s;
        const id = ids[segments[i - 1] ?? ''];
        if (!id) throw new Error(`no test id for the parameter ${s} of ${path}: add one to the spec's ids`);
        return id;
      })
      .join('/');
  }

  /** A required query parameter takes the first value its enum allows. */
  function requiredQuery(path: string, parameters: OpenApiParameter[]): Record<string, string> {
    const query: Record<string, string> = {};
    for (const p of parameters.filter((q) => q.in === 'query' && q.required)) {
      const value = p.schema?.enum?.[0];
      if (value === undefined) throw new Error(`no test value for the required query parameter ${p.name} of ${path}`);
      query[p.name] = value;
    }
    return query;
  }

  function forgedFor(path: string): Record<string, string> {
    if (!OFFSET_LISTS.has(path)) return FORGED;
    return { ...Object.fromEntries(Object.entries(FORGED).filter(([name]) => name !== '[1]')), ...FORGED_OFFSETS };
  }

  it('finds the lists in the OpenAPI document', () => {
    expect(lists.map((l) => l.path)).toEqual(
      expect.arrayContaining([
        '/audit',
        '/users',
        '/calibration-templates',
        '/results',
        '/organizations/{id}/api-keys',
      ]),
    );
    expect(lists.length).toBeGreaterThan(15);
  });

  it('answers every forged cursor with 400 problem+json naming cursor, to an admin', async () => {
    const wrong: string[] = [];
    for (const { path, query } of lists) {
      const url = fill(path);
      // The list itself answers: the ids are real, so a 400 below is the cursor's, not a 404's.
      // (204: a feed with nothing to send yet, as the national export answers on an empty register.)
      const control = await as(sys, admin).get(url).query(query);
      if (control.status !== 200 && control.status !== 204) wrong.push(`${path} without a cursor → ${control.status}`);
      for (const [name, cursor] of Object.entries(forgedFor(path))) {
        const res = await as(sys, admin)
          .get(url)
          .query({ ...query, cursor });
        if (!isCursorProblem(res)) wrong.push(`${path} cursor ${name} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers every forged cursor with 400 naming cursor, to a business key where the list is for businesses', async () => {
    const wrong: string[] = [];
    const businessLists: string[] = [];
    for (const { path, query } of lists) {
      const url = fill(path);
      const control = await as(sys, { key }).get(url).query(query);
      if (control.status === 403 && control.body.code === 'access.denied') continue; // a staff list
      businessLists.push(path);
      if (control.status !== 200) wrong.push(`${path} without a cursor → ${control.status}`);
      for (const [name, cursor] of Object.entries(forgedFor(path))) {
        const res = await as(sys, { key })
          .get(url)
          .query({ ...query, cursor });
        if (!isCursorProblem(res)) wrong.push(`${path} cursor ${name} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(businessLists).toEqual(expect.arrayContaining(['/requests', '/instruments']));
    expect(wrong).toEqual([]);
  });
});

function isCursorProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) {
  const errors = (res.body.errors ?? []) as { field: string }[];
  return (
    res.status === 400 &&
    String(res.headers['content-type']).startsWith('application/problem+json') &&
    res.body.code === 'validation_failed' &&
    errors.map((e) => e.field).includes('cursor')
  );
}
