import { Outbox, SystemPing, SystemService, Tx, jobId, pendingSchemaDrift } from '#libs/core';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#libs/platform';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { as } from './support/http.js';
import { staffSession } from './support/factories.js';

describe.each(['redis', 'postgres'] as const)('foundation on the %s queue backend', (queue) => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem({ queue, worker: true });
  });
  afterAll(async () => sys?.close());

  it('is live and ready, naming the queue backend', async () => {
    await sys.http().get('/health/live').expect(200, { status: 'ok' });
    const ready = await sys.http().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.database.status).toBe('up');
    expect(ready.body.details.queue).toMatchObject({ status: 'up', backend: queue });
  });

  it('carries a system.ping job from the API through the queue to the worker and the database', async () => {
    const system = sys.app.get(SystemService);
    const ping = await system.ping();
    expect(ping.processedAt).toBeNull();
    const done = await eventually(async () => {
      const p = await system.get(ping.id);
      return p.processedAt && p.jobState === 'completed' ? p : undefined;
    });
    expect(done.processedBy).toMatch(/:\d+$/);
    expect(done.jobState).toBe('completed');
  });

  it('loses no job when the process stops between commit and enqueue: the worker sweeps the outbox', async () => {
    const db = sys.app.get(DataSource);
    const outbox = sys.app.get(Outbox);
    // The transaction commits the ping and its outbox row, but nobody calls flush (as after a crash).
    const ping = await db.transaction(async (m) => {
      const saved = await m.save(m.create(SystemPing, {}));
      await outbox.add(new Tx(m), 'system.ping', { pingId: saved.id }, jobId('ping', saved.id));
      return saved;
    });
    const system = sys.app.get(SystemService);
    const done = await eventually(async () => {
      const p = await system.get(ping.id);
      return p.processedAt && p.jobState === 'completed' ? p : undefined;
    });
    expect(done.jobState).toBe('completed');
    const [{ pending }] = (await db.query(
      `SELECT count(*)::int AS pending FROM outbox_message WHERE dispatched_at IS NULL`,
    )) as { pending: number }[];
    expect(pending).toBe(0);
  });

  it('does the same round trip over HTTP for an admin: POST /system/pings, then GET /system/pings/:id', async () => {
    const { token } = await staffSession(sys, ['admin']);
    const queued = await as(sys, { token: token }).post('/system/pings').expect(202);
    expect(queued.body).toMatchObject({ id: expect.any(String), processedAt: null });
    const done = await eventually(async () => {
      const res = await as(sys, { token: token }).get(`/system/pings/${queued.body.id}`).expect(200);
      return res.body.processedAt && res.body.jobState === 'completed' ? res.body : undefined;
    });
    expect(done).toMatchObject({
      id: queued.body.id,
      jobState: 'completed',
      processedBy: expect.stringMatching(/:\d+$/),
    });
    const tech = await staffSession(sys, ['technician']);
    await as(sys, tech).post('/system/pings').expect(403);
  });

  it('has no schema drift after the migrations', async () => {
    expect(await pendingSchemaDrift(dataSourceOptions(sys.db.url))).toEqual([]);
  });
});

describe('HTTP edge', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(async () => sys?.close());

  it('answers an unknown route with problem details, not a 500', async () => {
    const res = await sys.http().get('/no/such/route').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found', instance: '/no/such/route' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('answers malformed JSON with 400 problem details', async () => {
    const res = await sys
      .http()
      .post('/system/pings')
      .set('Content-Type', 'application/json')
      .send('{"broken": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'malformed_json' });
  });

  it('refuses a protected route without credentials (401 problem details)', async () => {
    const res = await sys.http().post('/system/pings').expect(401);
    expect(res.body).toMatchObject({ status: 401, code: 'auth.required' });
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await sys.http().get('/health/live').set('X-Request-Id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await sys.http().get('/health/live').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers (helmet)', async () => {
    const res = await sys.http().get('/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('publishes the OpenAPI document', async () => {
    const res = await sys.http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health/ready', '/system/pings']));
  });
});
