import { startTestSystem, type TestSystem } from './support/system.js';
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

  const postRaw = (path: string, body: string, who: { token: string } | null = null) => {
    const req = sys.http().post(path).set('Content-Type', 'application/json');
    return (who ? req.set('Authorization', `Bearer ${who.token}`) : req).send(body);
  };

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
