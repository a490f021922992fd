// The national export (issue 15): JSON Lines of issued certificates, each line valid against the
// committed JSON Schema (contract/national-export.v1.schema.json), filtered by issue date and pulled
// incrementally by cursor; a revocation comes again as a new line.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { approvedVerification, certificateWorld, issueState, type CertificateWorld } from './support/certificates.js';
import { as, expectStatus, type Body } from './support/http.js';
import { businessKey, createCustomer, staffSession } from './support/factories.js';
import { startTestSystem, type TestSystem } from './support/system.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schema = JSON.parse(readFileSync('contract/national-export.v1.schema.json', 'utf8')) as object;

describe('national export (JSON Lines, schema v1)', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  const validate = addFormats(new Ajv({ allErrors: true, strict: true })).compile(schema);

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true, env: { NATIONAL_EXPORT_SETTLE_SECONDS: '0' } });
    w = await certificateWorld(sys);
  });
  afterAll(async () => sys?.close());

  const pull = async (query: string) => {
    const res = await as(sys, w.admin).get(`/exports/national/certificates?${query}`).buffer(true);
    expect(res.status).toBe(res.text ? 200 : 204);
    if (res.status === 200) expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const text = res.text ?? '';
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((l: string) => JSON.parse(l) as Body);
    return { lines, next: res.headers['x-next-cursor'] as string | undefined, more: res.headers['x-more'] };
  };

  it('lines validate against the schema; the cursor gives only what changed since, revocations included', async () => {
    const approved = await Promise.all([
      approvedVerification(w),
      approvedVerification(w, { pass: false }),
      approvedVerification(w),
    ]);
    const certificates = (await Promise.all(approved.map((a) => issueState(w, a.revisionId)))).map(
      (s) => s.certificate!,
    );
    const first = await pull('limit=2');
    expect(first.lines).toHaveLength(2);
    expect(first.more).toBe('true');
    const rest = await pull(`limit=2&cursor=${first.next}`);
    expect(rest.lines).toHaveLength(1);
    expect(rest.more).toBe('false');
    const all = [...first.lines, ...rest.lines];
    for (const line of all)
      expect({ line: line.number, valid: validate(line), errors: validate.errors }).toEqual({
        line: line.number,
        valid: true,
        errors: null,
      });
    expect(all.map((l) => l.number).sort()).toEqual(certificates.map((c) => c.number).sort());
    const failure = all.find((l) => l.kind === 'verification_failure');
    expect(failure).toMatchObject({ outcome: 'fail', standing: 'current', validUntil: null, stampSerial: null });
    expect(all.filter((l) => l.kind === 'verification').every((l) => l.outcome === 'pass' && l.stampSerial)).toBe(true);

    // Nothing new: the same cursor comes back, no line.
    const none = await pull(`cursor=${rest.next}`);
    expect(none).toMatchObject({ lines: [], next: rest.next, more: 'false' });

    // A revocation is a change: the certificate comes again, revoked.
    await as(sys, w.reviewer)
      .post(`/certificates/${certificates[0]!.id}/revoke`)
      .send({ reason: 'Cấp nhầm' })
      .expect(200);
    const changed = await pull(`cursor=${rest.next}`);
    expect(changed.lines).toHaveLength(1);
    expect(changed.lines[0]).toMatchObject({
      number: certificates[0]!.number,
      standing: 'revoked',
      revocation: { reason: 'Cấp nhầm' },
    });
    expect(validate(changed.lines[0])).toBe(true);
  });

  it('filters by issue date; refuses a forged cursor, a business and roles without the export', async () => {
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    expect((await pull(`issuedFrom=${today}&issuedTo=${today}`)).lines.length).toBeGreaterThan(0);
    expect((await pull('issuedTo=2000-01-01')).lines).toEqual([]);
    const forged = await expectStatus<Body>(as(sys, w.admin).get('/exports/national/certificates?cursor=abc'), 400);
    expect(forged.errors[0].field).toBe('cursor');
    await expectStatus(as(sys, await createCustomer(sys)).get('/exports/national/certificates'), 403);
    await expectStatus(as(sys, await staffSession(sys, ['reception'])).get('/exports/national/certificates'), 403);
  });

  it('certificates issued in a period export as CSV; a business gets only its own', async () => {
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const csv = await as(sys, w.admin)
      .get(`/certificates/export?format=csv&issuedFrom=${today}&issuedTo=${today}`)
      .expect(200);
    const rows = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(rows[0]).toMatch(/^"?Số GCN/);
    expect(rows).toHaveLength(4);
    const owner = await as(sys, w.admin).get('/certificates?limit=1').expect(200);
    const key = await businessKey(sys, owner.body.items[0].organizationId);
    const own = await as(sys, { key }).get('/certificates/export?format=csv').expect(200);
    expect(
      own.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n'),
    ).toHaveLength(2);
    expect(
      (await as(sys, w.admin).get('/certificates/export?format=csv&issuedTo=2000-01-01').expect(200)).text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n'),
    ).toHaveLength(1);
  });
});
