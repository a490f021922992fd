import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort, startEntrypoint, stopAll, waitUntilReady } from './support/processes.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { as, fields } from './support/http.js';
import { staffSession } from './support/factories.js';

const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
const nestedObject = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** No input makes a 500: bodies nested too deeply and the NUL character are refused with 400 up front. */
describe('input hardening', () => {
  let sys: TestSystem;
  let admin: { token: string };
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = await staffSession(sys, ['admin']);
  });
  afterAll(async () => sys?.close());

  /** A JSON body sent as written (not serialised by supertest), through the one HTTP helper. */
  const postRaw = (path: string, body: string, who: { token: string } | null = null) =>
    as(sys, who).post(path).set('Content-Type', 'application/json').send(body);

  describe('JSON depth', () => {
    it('refuses a 5,000-level body with 400 body.too_deep on every route that used to crash', async () => {
      for (const [path, who] of [
        ['/auth/login', null],
        ['/auth/refresh', null],
        ['/organizations', admin],
      ] as const) {
        for (const body of [nested(5000), nestedObject(5000), `{"username":${nested(5000)}}`]) {
          const res = await postRaw(path, body, who);
          expect({ path, status: res.status, code: res.body.code }).toEqual({
            path,
            status: 400,
            code: 'body.too_deep',
          });
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        }
      }
    });

    it('refuses a 2 MB nested body fast', async () => {
      const started = Date.now();
      const res = await postRaw('/organizations', nested(1_000_000), admin);
      const elapsed = Date.now() - started;
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('body.too_deep');
      expect(elapsed).toBeLessThan(1000);
    });

    it('lets 32 levels through to validation, and counts brackets inside strings as text', async () => {
      const deep = await postRaw('/auth/login', `{"username":"x","password":"y","extra":${nested(31)}}`);
      expect(deep.status).toBe(400);
      expect(deep.body.code).toBe('validation_failed');
      const texty = await postRaw(
        '/auth/login',
        JSON.stringify({ username: '['.repeat(60), password: '{"'.repeat(100) }),
      );
      expect(texty.status).toBe(401);
    });
  });

  describe('the NUL character', () => {
    it('is refused in a body string with 400 naming the field, nested or not', async () => {
      const login = await sys.http().post('/auth/login').send({ username: 'ad\u0000min', password: 'whatever it is' });
      expect(login.status).toBe(400);
      expect(login.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'username' }] });
      const org = await as(sys, admin)
        .post('/organizations')
        .send({ name: 'Công ty\u0000 A', contacts: [{ note: 'ok' }, { note: 'b\u0000' }], 'k\u0000': 1 });
      expect(org.status).toBe(400);
      expect(fields(org.body)).toEqual(['contacts[1].note', 'k\u0000', 'name']);
    });

    it('is refused in a query parameter and in the path (they reached PostgreSQL: a 500)', async () => {
      const q = await as(sys, admin).get('/users?q=a%00b');
      expect(q.status).toBe(400);
      expect(fields(q.body)).toEqual(['q']);
      for (const path of [
        '/verify/TDC%00-1',
        '/verify/stamps/%00',
        '/public/certificates/AB%00',
        '/public/stamps/%00',
      ]) {
        const res = await sys.http().get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(fields(res.body)).toEqual(['path']);
      }
    });
  });
});

describe('the public HTML pages', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(async () => sys?.close());

  it('carry a Content-Security-Policy allowing nothing but their own stylesheet', async () => {
    for (const path of ['/verify/KĐ-2026-999999', '/verify/stamps/TEM-2026-999999']) {
      const res = await sys.http().get(encodeURI(path)).expect(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      const csp = String(res.headers['content-security-policy']);
      const style = /<style>([\s\S]*?)<\/style>/.exec(res.text)![1]!;
      const hash = createHash('sha256').update(style, 'utf8').digest('base64');
      expect(csp.split('; ')).toEqual([
        "default-src 'none'",
        `style-src 'sha256-${hash}'`,
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ]);
      expect(res.text).not.toMatch(/\sstyle=|<script|<img/);
    }
  });
});

/** What the process writes to its log: a request with a 10 KB header does not make a 10 KB log line. */
describe('request logs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(async () => {
    await stopAll();
    await db?.drop();
  });

  it('cut long header values and URLs at 200 characters, saying how long they were', async () => {
    const port = await freePort();
    const proc = startEntrypoint('api', {
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATA_DIR: `/tmp/tdc-test-data/${db.name}`,
    });
    await waitUntilReady(proc, port);
    const key = 'k'.repeat(10_000);
    const res = await fetch(`http://127.0.0.1:${port}/auth/me?pad=${'p'.repeat(5000)}`, {
      headers: { 'Idempotency-Key': key, 'X-Request-Id': 'long-header-log-test' },
    });
    expect(res.status).toBe(401);
    const line = await eventually(async () =>
      proc
        .stdout()
        .split('\n')
        .find((l) => l.includes('long-header-log-test') && l.includes('"req"')),
    );
    const logged = JSON.parse(line) as { req: { url: string; headers: Record<string, string> } };
    expect(logged.req.headers['idempotency-key']).toBe(`${'k'.repeat(200)}…[truncated, 10000 characters]`);
    expect(logged.req.url).toMatch(/^\/auth\/me\?pad=p+…\[truncated, 5013 characters\]$/);
    expect(logged.req.headers['x-request-id']).toBe('long-header-log-test');
    expect(line.length).toBeLessThan(3000);
    expect(proc.stdout()).not.toContain('k'.repeat(201));
  });
});
