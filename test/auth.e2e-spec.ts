import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createAdminAccount, UserService } from '#libs/auth';
import { InvalidInputError } from '#libs/core';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as } from './support/http.js';
import { staffSession, businessKey, createOrganization, TEST_SETUP } from './support/factories.js';

const PASSWORD = 'a long enough passphrase';

describe('auth: staff sessions, users, API keys', () => {
  let sys: TestSystem;
  let admin: string;
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = (await staffSession(sys, ['admin'])).token;
  });
  afterAll(async () => sys?.close());

  async function makeUser(
    username: string,
    roles: ('admin' | 'reception' | 'technician' | 'reviewer' | 'inspector')[] = ['technician'],
  ) {
    return sys.app
      .get(UserService)
      .create({ username, fullName: 'Trần Thị Bình', roles, password: PASSWORD }, TEST_SETUP);
  }

  describe('login', () => {
    it('returns an access token, a refresh token and the user; the username is case-insensitive', async () => {
      await makeUser('Binh.Tran');
      const res = await sys.http().post('/auth/login').send({ username: 'binh.TRAN', password: PASSWORD }).expect(200);
      expect(res.body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 900,
        user: { username: 'Binh.Tran', roles: ['technician'] },
      });
      expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(res.body.refreshToken).toMatch(/^[\w-]{43}$/);
      expect(res.body.user).not.toHaveProperty('passwordHash');
      const me = await as(sys, { token: res.body.accessToken }).get('/auth/me').expect(200);
      expect(me.body).toMatchObject({
        kind: 'staff',
        user: { username: 'Binh.Tran', lastLoginAt: expect.any(String) },
      });
    });

    it('answers a wrong password and an unknown username alike (401, no hint)', async () => {
      await makeUser('chau.le');
      const wrong = await sys
        .http()
        .post('/auth/login')
        .send({ username: 'chau.le', password: 'not the password' })
        .expect(401);
      const unknown = await sys
        .http()
        .post('/auth/login')
        .send({ username: 'nobody.here', password: 'not the password' })
        .expect(401);
      expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
      for (const r of [wrong, unknown])
        expect(r.body).toMatchObject({
          status: 401,
          code: 'auth.invalid_credentials',
          detail: 'Wrong username or password',
        });
    });

    it('refuses a deactivated account, and its live access token at once', async () => {
      const user = await makeUser('dung.pham');
      const login = await sys
        .http()
        .post('/auth/login')
        .send({ username: 'dung.pham', password: PASSWORD })
        .expect(200);
      await as(sys, { token: admin }).patch(`/users/${user.id}`).send({ active: false }).expect(200);
      await as(sys, { token: login.body.accessToken }).get('/auth/me').expect(401);
      await sys.http().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
      const again = await sys
        .http()
        .post('/auth/login')
        .send({ username: 'dung.pham', password: PASSWORD })
        .expect(401);
      expect(again.body.code).toBe('auth.account_inactive');
    });

    it('validates the body (400 with field paths)', async () => {
      const res = await sys.http().post('/auth/login').send({ username: 'x' }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('password');
    });
  });

  describe('bearer tokens', () => {
    it('refuses a tampered, garbage or non-bearer credential with 401', async () => {
      const [h, p, s] = admin.split('.');
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: randomUUID() })).toString('base64url')}.${s}`;
      for (const value of [
        `Bearer ${forged}`,
        'Bearer nonsense',
        `Basic ${Buffer.from('a:b').toString('base64')}`,
        admin,
      ]) {
        const res = await sys.http().get('/auth/me').set('Authorization', value).expect(401);
        expect(res.body.code).toMatch(/^auth\./);
      }
    });

    it('applies a role change at once, without a new login', async () => {
      const s = await staffSession(sys, ['technician']);
      await as(sys, s).get('/users').expect(403);
      await as(sys, { token: admin })
        .patch(`/users/${s.userId}`)
        .send({ roles: ['technician', 'admin'] })
        .expect(200);
      await as(sys, s).get('/users').expect(200);
    });

    it('ignores bad credentials on public routes: a stale access token does not block a refresh or a login', async () => {
      await sys.http().get('/health/live').set('Authorization', 'Bearer nonsense').expect(200);
      await as(sys, { key: 'tdc_nonsense' }).get('/health/live').expect(200);
      await makeUser('stale.token');
      const login = await sys
        .http()
        .post('/auth/login')
        .send({ username: 'stale.token', password: PASSWORD })
        .expect(200);
      const [h, p] = (login.body.accessToken as string).split('.');
      const expired = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), exp: 1 })).toString('base64url')}.x`;
      await as(sys, { token: expired })
        .post('/auth/refresh')
        .send({ refreshToken: login.body.refreshToken })
        .expect(200);
      await as(sys, { token: expired })
        .post('/auth/login')
        .send({ username: 'stale.token', password: PASSWORD })
        .expect(200);
    });
  });

  describe('refresh and logout', () => {
    it('rotates the refresh token; reusing an old one ends the whole session', async () => {
      await makeUser('em.vo');
      const login = await sys.http().post('/auth/login').send({ username: 'em.vo', password: PASSWORD }).expect(200);
      const r1 = await sys.http().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
      expect(r1.body.refreshToken).not.toBe(login.body.refreshToken);
      await as(sys, { token: r1.body.accessToken }).get('/auth/me').expect(200);
      const r2 = await sys.http().post('/auth/refresh').send({ refreshToken: r1.body.refreshToken }).expect(200);
      // The first token again: a replay. The session (family) ends, so the newest token dies too.
      const replay = await sys.http().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
      expect(replay.body.code).toBe('auth.invalid_refresh_token');
      await sys.http().post('/auth/refresh').send({ refreshToken: r2.body.refreshToken }).expect(401);
      // The access tokens of the ended session stop working at once, not when they expire.
      for (const token of [login.body.accessToken, r1.body.accessToken, r2.body.accessToken]) {
        const refused = await as(sys, { token }).get('/auth/me').expect(401);
        expect(refused.body.code).toBe('auth.session_ended');
      }
      // Another session of the same user is untouched.
      const other = await sys.http().post('/auth/login').send({ username: 'em.vo', password: PASSWORD }).expect(200);
      await sys.http().post('/auth/refresh').send({ refreshToken: other.body.refreshToken }).expect(200);
      await as(sys, { token: other.body.accessToken }).get('/auth/me').expect(200);
    });

    it('logout ends the session, its access token included, within the next request', async () => {
      await makeUser('giang.do');
      const login = await sys.http().post('/auth/login').send({ username: 'giang.do', password: PASSWORD }).expect(200);
      const desk = await sys.http().post('/auth/login').send({ username: 'giang.do', password: PASSWORD }).expect(200);
      await as(sys, { token: login.body.accessToken }).get('/auth/me').expect(200);
      const loggedOut = Date.now();
      await sys.http().post('/auth/logout').send({ refreshToken: login.body.refreshToken }).expect(204);
      const refused = await as(sys, { token: login.body.accessToken }).get('/auth/me').expect(401);
      expect(Date.now() - loggedOut).toBeLessThan(5000);
      expect(refused.body).toMatchObject({ status: 401, code: 'auth.session_ended' });
      await sys.http().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
      // The same account's other session (another desk) goes on.
      await as(sys, { token: desk.body.accessToken }).get('/auth/me').expect(200);
      await sys.http().post('/auth/logout').send({ refreshToken: 'unknown-token' }).expect(204);
    });

    it('refuses an unknown refresh token', async () => {
      await sys
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: 'x'.repeat(43) })
        .expect(401);
    });
  });

  describe('staff users', () => {
    it('lets an admin create, list (paginated), read and update users', async () => {
      const created = await as(sys, { token: admin })
        .post('/users')
        .send({
          username: 'hoa.ngo',
          fullName: 'Ngô Thị Hoa',
          email: 'hoa@example.vn',
          roles: ['reviewer'],
          password: PASSWORD,
        })
        .expect(201);
      expect(created.body).toMatchObject({
        username: 'hoa.ngo',
        roles: ['reviewer'],
        active: true,
        email: 'hoa@example.vn',
      });
      expect(created.body).not.toHaveProperty('passwordHash');
      const dup = await as(sys, { token: admin })
        .post('/users')
        .send({ username: 'HOA.NGO', fullName: 'x', roles: [], password: PASSWORD })
        .expect(409);
      expect(dup.body).toMatchObject({ code: 'user.username_taken', errors: [{ field: 'username' }] });

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { username: string }[]; nextCursor: string | null } } = await as(sys, {
          token: admin,
        })
          .get('/users')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((u) => u.username));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toContain('hoa.ngo');
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))).toEqual(seen);

      const reviewers = await as(sys, { token: admin }).get('/users').query({ role: 'reviewer' }).expect(200);
      expect(reviewers.body.items.map((u: { username: string }) => u.username)).toEqual(['hoa.ngo']);

      await as(sys, { token: admin }).get(`/users/${created.body.id}`).expect(200);
      const patched = await as(sys, { token: admin })
        .patch(`/users/${created.body.id}`)
        .send({ fullName: 'Ngô Thị Hoa (QA)', roles: ['reviewer', 'inspector'], email: null })
        .expect(200);
      expect(patched.body).toMatchObject({
        fullName: 'Ngô Thị Hoa (QA)',
        roles: ['reviewer', 'inspector'],
        email: null,
      });
    });

    it('validates new users: short password, unknown role, bad username', async () => {
      const res = await as(sys, { token: admin })
        .post('/users')
        .send({ username: 'x y', fullName: 'X', roles: ['boss'], password: 'short' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['password', 'roles', 'username']);
    });

    it('refuses common and one-character passwords wherever a password is set, naming the field', async () => {
      for (const password of ['aaaaaaaaaaaa', 'Password1234', 'qwertyuiop123', 'iloveyou2024!']) {
        const res = await as(sys, { token: admin })
          .post('/users')
          .send({ username: 'weak.pass', fullName: 'X', roles: [], password })
          .expect(400);
        expect({ password, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({
          password,
          fields: ['password'],
        });
      }
      const s = await staffSession(sys, ['technician']);
      const own = await as(sys, s)
        .post(`/users/${s.userId}/password`)
        .send({ currentPassword: 'whatever it is', newPassword: 'zzzzzzzzzzzzzzzz' })
        .expect(400);
      // Each field error names the constraint it failed, for clients that word it themselves.
      expect(own.body.errors).toEqual([
        { field: 'newPassword', message: expect.stringMatching(/one character/), constraint: 'isAcceptablePassword' },
      ]);
      const reset = await as(sys, { token: admin })
        .post(`/users/${s.userId}/password`)
        .send({ newPassword: 'baseball1234' })
        .expect(400);
      expect(reset.body.errors).toEqual([
        { field: 'newPassword', message: expect.stringMatching(/common/), constraint: 'isAcceptablePassword' },
      ]);
      // The first admin (ADMIN_PASSWORD, npm run user:create-admin) goes through the same rules.
      const first = await createAdminAccount(sys.app.get(DataSource), {
        username: 'first.admin',
        fullName: 'X',
        password: '1qaz2wsx3edc',
      }).catch((e: unknown) => e);
      expect(first).toBeInstanceOf(InvalidInputError);
      expect((first as InvalidInputError).details.errors).toEqual([
        { field: 'password', message: expect.stringMatching(/common/), constraint: 'isAcceptablePassword' },
      ]);
    });

    it('keeps users to themselves unless admin', async () => {
      const tech = await staffSession(sys, ['technician']);
      const other = await makeUser('khanh.bui');
      await as(sys, tech).get(`/users/${tech.userId}`).expect(200);
      await as(sys, tech).get(`/users/${other.id}`).expect(403);
      await as(sys, tech).post('/users').send({}).expect(403);
      await as(sys, { token: admin }).get(`/users/${randomUUID()}`).expect(404);
    });

    it('lets reception list the technicians it schedules, and no other role but admin list staff', async () => {
      const desk = await staffSession(sys, ['reception']);
      const tech = await staffSession(sys, ['technician']);
      const listed = await as(sys, desk).get('/users').query({ role: 'technician', limit: 200 }).expect(200);
      expect(listed.body.items.map((u: { id: string }) => u.id)).toContain(tech.userId);
      for (const role of ['technician', 'reviewer', 'inspector'] as const)
        await as(sys, await staffSession(sys, [role]))
          .get('/users')
          .expect(403);
    });

    it('never leaves the centre without an active admin', async () => {
      const me = await as(sys, { token: admin }).get('/auth/me').expect(200);
      const others = await as(sys, { token: admin })
        .get('/users')
        .query({ role: 'admin', active: true, limit: 200 })
        .expect(200);
      // Demote every other admin first (some tests promote users), then try to demote the last one.
      for (const u of others.body.items as { id: string }[]) {
        if (u.id !== me.body.user.id)
          await as(sys, { token: admin })
            .patch(`/users/${u.id}`)
            .send({ roles: ['technician'] })
            .expect(200);
      }
      const res = await as(sys, { token: admin })
        .patch(`/users/${me.body.user.id}`)
        .send({ roles: ['reception'] })
        .expect(409);
      expect(res.body.code).toBe('user.last_admin');
      await as(sys, { token: admin }).patch(`/users/${me.body.user.id}`).send({ active: false }).expect(409);
      await as(sys, { token: admin }).get('/users').expect(200);
    });

    it('changes passwords: self with the current one, admin for anyone; sessions end', async () => {
      const s = await staffSession(sys, ['reception'], 'lan.ho');
      const login = await sys.http().post('/auth/login').send({ username: 'lan.ho', password: 'irrelevant-wrong' });
      expect(login.status).toBe(401);
      const bad = await as(sys, s)
        .post(`/users/${s.userId}/password`)
        .send({ currentPassword: 'wrong wrong wrong', newPassword: 'my new passphrase 1' })
        .expect(422);
      expect(bad.body.errors).toEqual([{ field: 'currentPassword', message: expect.any(String) }]);
      await as(sys, { token: admin })
        .post(`/users/${s.userId}/password`)
        .send({ newPassword: 'set by the admin 1' })
        .expect(204);
      const fresh = await sys
        .http()
        .post('/auth/login')
        .send({ username: 'lan.ho', password: 'set by the admin 1' })
        .expect(200);
      await as(sys, { token: fresh.body.accessToken })
        .post(`/users/${s.userId}/password`)
        .send({ currentPassword: 'set by the admin 1', newPassword: 'chosen by myself 2' })
        .expect(204);
      await sys.http().post('/auth/refresh').send({ refreshToken: fresh.body.refreshToken }).expect(401);
      // Every access token of the account's old sessions is refused from the next request on.
      for (const token of [s.token, fresh.body.accessToken]) {
        const refused = await as(sys, { token }).get('/auth/me').expect(401);
        expect(refused.body.code).toBe('auth.session_ended');
      }
      const mine = await sys
        .http()
        .post('/auth/login')
        .send({ username: 'lan.ho', password: 'chosen by myself 2' })
        .expect(200);
      const other = await makeUser('minh.ly');
      await as(sys, { token: mine.body.accessToken })
        .post(`/users/${other.id}/password`)
        .send({ newPassword: 'not allowed to do this' })
        .expect(403);
      await as(sys, { token: admin }).post(`/users/${s.userId}/password`).send({ newPassword: 'short' }).expect(400);
    });
  });

  describe('business API keys', () => {
    it('are issued once in full, listed without secrets, and revoked', async () => {
      const reception = await staffSession(sys, ['reception']);
      const orgId = (await createOrganization(sys)).id;
      const created = await as(sys, reception)
        .post(`/organizations/${orgId}/api-keys`)
        .send({ name: 'ERP integration' })
        .expect(201);
      expect(created.body).toMatchObject({
        organizationId: orgId,
        name: 'ERP integration',
        createdBy: reception.userId,
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(created.body.key).toMatch(/^tdc_[a-z0-9]{8}_[\w-]{43}$/);
      expect(created.body.key.startsWith(created.body.prefix + '_')).toBe(true);
      const key: string = created.body.key;

      const me = await as(sys, { key }).get('/auth/me').expect(200);
      expect(me.body).toMatchObject({
        kind: 'business',
        organization: { id: orgId },
        apiKey: { id: created.body.id, prefix: created.body.prefix },
      });
      await as(sys, { key }).get(`/organizations/${orgId}`).expect(200);

      const list = await as(sys, { key }).get(`/organizations/${orgId}/api-keys`).expect(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({
        id: created.body.id,
        prefix: created.body.prefix,
        lastUsedAt: expect.any(String),
      });
      expect(JSON.stringify(list.body)).not.toContain(key.slice(14));
      expect(list.body.items[0]).not.toHaveProperty('key');
      expect(list.body.items[0]).not.toHaveProperty('secretHash');

      await as(sys, { key }).delete(`/organizations/${orgId}/api-keys/${created.body.id}`).expect(403);
      await as(sys, reception).delete(`/organizations/${orgId}/api-keys/${created.body.id}`).expect(204);
      await as(sys, { token: admin }).delete(`/organizations/${orgId}/api-keys/${created.body.id}`).expect(204);
      const revoked = await as(sys, { key }).get(`/organizations/${orgId}`).expect(401);
      expect(revoked.body.code).toBe('auth.api_key_revoked');
      const after = await as(sys, { token: admin }).get(`/organizations/${orgId}/api-keys`).expect(200);
      expect(after.body.items[0]).toMatchObject({ revokedAt: expect.any(String), revokedBy: reception.userId });
    });

    it('lists keys newest first across pages', async () => {
      const orgId = (await createOrganization(sys)).id;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await as(sys, { token: admin })
          .post(`/organizations/${orgId}/api-keys`)
          .send({ name: `key ${i}` })
          .expect(201);
        ids.push(r.body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await as(sys, { token: admin })
          .get(`/organizations/${orgId}/api-keys`)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...page.body.items.map((k) => k.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
    });

    it('confines a business to its own organization (another answers 404) and keeps it off staff routes (403)', async () => {
      const mine = (await createOrganization(sys)).id;
      const theirs = (await createOrganization(sys)).id;
      const key = await businessKey(sys, mine);
      await as(sys, { key }).get(`/organizations/${theirs}`).expect(404);
      await as(sys, { key }).get(`/organizations/${randomUUID()}`).expect(404);
      await as(sys, { key }).get(`/organizations/${theirs}/api-keys`).expect(404);
      const list = await as(sys, { key }).get('/organizations').expect(200);
      expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([mine]);
      const refused = await as(sys, { key }).get('/users').expect(403);
      expect(refused.body).toMatchObject({ status: 403, code: 'access.denied' });
      await as(sys, { key }).post(`/organizations/${mine}/api-keys`).send({ name: 'self-issued' }).expect(403);
      const none = await sys.http().get('/users').expect(401);
      expect(none.body).toMatchObject({ status: 401, code: 'auth.required' });
    });

    it('stops working when the organization is deactivated, and no new key is issued for it', async () => {
      const orgId = (await createOrganization(sys)).id;
      const key = await businessKey(sys, orgId);
      await as(sys, { token: admin }).post(`/organizations/${orgId}/deactivate`).expect(200);
      const res = await as(sys, { key }).get(`/organizations/${orgId}`).expect(401);
      expect(res.body.code).toBe('auth.organization_inactive');
      await as(sys, { token: admin }).post(`/organizations/${orgId}/api-keys`).send({ name: 'x' }).expect(409);
    });

    it('refuses a wrong secret with a real prefix, and both credentials at once', async () => {
      const orgId = (await createOrganization(sys)).id;
      const key = await businessKey(sys, orgId);
      const wrong = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      await as(sys, { key: wrong }).get(`/organizations/${orgId}`).expect(401);
      const both = await as(sys, { key })
        .get(`/organizations/${orgId}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(401);
      expect(both.body.code).toBe('auth.ambiguous_credentials');
    });

    it('answers 404 for a missing organization or a key of another organization', async () => {
      const a = (await createOrganization(sys)).id;
      const b = (await createOrganization(sys)).id;
      const created = await as(sys, { token: admin })
        .post(`/organizations/${a}/api-keys`)
        .send({ name: 'k' })
        .expect(201);
      await as(sys, { token: admin }).delete(`/organizations/${b}/api-keys/${created.body.id}`).expect(404);
      await as(sys, { token: admin }).post(`/organizations/${randomUUID()}/api-keys`).send({ name: 'k' }).expect(404);
    });
  });
});
