import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { StaffUser, UserService } from '#libs/auth';
import { businessKey, createOrganization, staffSession } from './support/auth.js';
import { startTestSystem, type TestSystem } from './support/system.js';

const PASSWORD = 'a long enough passphrase';

describe('auth: staff sessions, users, API keys', () => {
  let sys: TestSystem;
  let admin: string;
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = (await staffSession(sys, ['admin'])).token;
  });
  afterAll(async () => sys?.close());

  const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

  async function makeUser(
    username: string,
    roles: ('admin' | 'reception' | 'technician' | 'reviewer' | 'inspector')[] = ['technician'],
  ) {
    return sys.app.get(UserService).create({ username, fullName: 'Trần Thị Bình', roles, password: PASSWORD });
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
      const me = await sys
        .http()
        .get('/auth/me')
        .set(...bearer(res.body.accessToken))
        .expect(200);
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
      await sys
        .http()
        .patch(`/users/${user.id}`)
        .set(...bearer(admin))
        .send({ active: false })
        .expect(200);
      await sys
        .http()
        .get('/auth/me')
        .set(...bearer(login.body.accessToken))
        .expect(401);
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

  describe('lockout', () => {
    const attempt = (username: string, password: string) => sys.http().post('/auth/login').send({ username, password });
    const row = (id: string) => sys.app.get(DataSource).getRepository(StaffUser).findOneByOrFail({ id });

    it('locks the account for 15 minutes after 5 consecutive failures (429 auth.locked, Retry-After)', async () => {
      const user = await makeUser('lock.me');
      for (let i = 1; i <= 4; i++) {
        await attempt('lock.me', `wrong guess ${i}`).expect(401);
        expect((await row(user.id)).failedLoginCount).toBe(i);
      }
      const before = Date.now();
      await attempt('lock.me', 'wrong guess 5').expect(401);
      const lockedUntil = (await row(user.id)).lockedUntil!;
      expect(lockedUntil.getTime()).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1000);
      expect(lockedUntil.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);

      // Even the right password is refused while locked, and the attempt does not extend the lock.
      const refused = await attempt('lock.me', PASSWORD).expect(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, code: 'auth.locked' });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      await attempt('lock.me', 'wrong again').expect(429);
      expect((await row(user.id)).lockedUntil).toEqual(lockedUntil);
      const view = await sys
        .http()
        .get(`/users/${user.id}`)
        .set(...bearer(admin))
        .expect(200);
      expect(view.body.lockedUntil).toBe(lockedUntil.toISOString());

      // The window passes (moved into the past rather than waited for): the right password works again.
      await sys.app
        .get(DataSource)
        .getRepository(StaffUser)
        .update({ id: user.id }, { lockedUntil: new Date(Date.now() - 1000) });
      await attempt('lock.me', PASSWORD).expect(200);
      expect(await row(user.id)).toMatchObject({ failedLoginCount: 0, lockedUntil: null });
    });

    it('resets the count on success, so failures must be consecutive', async () => {
      const user = await makeUser('careless.typist');
      for (let i = 0; i < 4; i++) await attempt('careless.typist', 'typo typo typo').expect(401);
      await attempt('careless.typist', PASSWORD).expect(200);
      expect((await row(user.id)).failedLoginCount).toBe(0);
      for (let i = 0; i < 4; i++) await attempt('careless.typist', 'typo typo typo').expect(401);
      await attempt('careless.typist', PASSWORD).expect(200);
    });

    it('is lifted by an admin password reset', async () => {
      const user = await makeUser('forgetful');
      for (let i = 0; i < 5; i++) await attempt('forgetful', 'which one was it').expect(401);
      await attempt('forgetful', PASSWORD).expect(429);
      await sys
        .http()
        .post(`/users/${user.id}/password`)
        .set(...bearer(admin))
        .send({ newPassword: 'a brand new passphrase' })
        .expect(204);
      await attempt('forgetful', 'a brand new passphrase').expect(200);
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
      await sys
        .http()
        .get('/users')
        .set(...bearer(s.token))
        .expect(403);
      await sys
        .http()
        .patch(`/users/${s.userId}`)
        .set(...bearer(admin))
        .send({ roles: ['technician', 'admin'] })
        .expect(200);
      await sys
        .http()
        .get('/users')
        .set(...bearer(s.token))
        .expect(200);
    });

    it('ignores bad credentials on public routes: a stale access token does not block a refresh or a login', async () => {
      await sys.http().get('/health/live').set('Authorization', 'Bearer nonsense').expect(200);
      await sys.http().get('/health/live').set('X-Api-Key', 'tdc_nonsense').expect(200);
      await makeUser('stale.token');
      const login = await sys
        .http()
        .post('/auth/login')
        .send({ username: 'stale.token', password: PASSWORD })
        .expect(200);
      const [h, p] = (login.body.accessToken as string).split('.');
      const expired = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), exp: 1 })).toString('base64url')}.x`;
      await sys
        .http()
        .post('/auth/refresh')
        .set('Authorization', `Bearer ${expired}`)
        .send({ refreshToken: login.body.refreshToken })
        .expect(200);
      await sys
        .http()
        .post('/auth/login')
        .set('Authorization', `Bearer ${expired}`)
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
      await sys
        .http()
        .get('/auth/me')
        .set(...bearer(r1.body.accessToken))
        .expect(200);
      const r2 = await sys.http().post('/auth/refresh').send({ refreshToken: r1.body.refreshToken }).expect(200);
      // The first token again: a replay. The session (family) ends, so the newest token dies too.
      const replay = await sys.http().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
      expect(replay.body.code).toBe('auth.invalid_refresh_token');
      await sys.http().post('/auth/refresh').send({ refreshToken: r2.body.refreshToken }).expect(401);
      // Another session of the same user is untouched.
      const other = await sys.http().post('/auth/login').send({ username: 'em.vo', password: PASSWORD }).expect(200);
      await sys.http().post('/auth/refresh').send({ refreshToken: other.body.refreshToken }).expect(200);
    });

    it('logout ends the session', async () => {
      await makeUser('giang.do');
      const login = await sys.http().post('/auth/login').send({ username: 'giang.do', password: PASSWORD }).expect(200);
      await sys.http().post('/auth/logout').send({ refreshToken: login.body.refreshToken }).expect(204);
      await sys.http().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
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
      const created = await sys
        .http()
        .post('/users')
        .set(...bearer(admin))
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
      const dup = await sys
        .http()
        .post('/users')
        .set(...bearer(admin))
        .send({ username: 'HOA.NGO', fullName: 'x', roles: [], password: PASSWORD })
        .expect(409);
      expect(dup.body).toMatchObject({ code: 'user.username_taken', errors: [{ field: 'username' }] });

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { username: string }[]; nextCursor: string | null } } = await sys
          .http()
          .get('/users')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(...bearer(admin))
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((u) => u.username));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toContain('hoa.ngo');
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))).toEqual(seen);

      const reviewers = await sys
        .http()
        .get('/users')
        .query({ role: 'reviewer' })
        .set(...bearer(admin))
        .expect(200);
      expect(reviewers.body.items.map((u: { username: string }) => u.username)).toEqual(['hoa.ngo']);

      await sys
        .http()
        .get(`/users/${created.body.id}`)
        .set(...bearer(admin))
        .expect(200);
      const patched = await sys
        .http()
        .patch(`/users/${created.body.id}`)
        .set(...bearer(admin))
        .send({ fullName: 'Ngô Thị Hoa (QA)', roles: ['reviewer', 'inspector'], email: null })
        .expect(200);
      expect(patched.body).toMatchObject({
        fullName: 'Ngô Thị Hoa (QA)',
        roles: ['reviewer', 'inspector'],
        email: null,
      });
    });

    it('validates new users: short password, unknown role, bad username', async () => {
      const res = await sys
        .http()
        .post('/users')
        .set(...bearer(admin))
        .send({ username: 'x y', fullName: 'X', roles: ['boss'], password: 'short' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['password', 'roles', 'username']);
    });

    it('keeps users to themselves unless admin', async () => {
      const tech = await staffSession(sys, ['technician']);
      const other = await makeUser('khanh.bui');
      await sys
        .http()
        .get(`/users/${tech.userId}`)
        .set(...bearer(tech.token))
        .expect(200);
      await sys
        .http()
        .get(`/users/${other.id}`)
        .set(...bearer(tech.token))
        .expect(403);
      await sys
        .http()
        .post('/users')
        .set(...bearer(tech.token))
        .send({})
        .expect(403);
      await sys
        .http()
        .get(`/users/${randomUUID()}`)
        .set(...bearer(admin))
        .expect(404);
    });

    it('never leaves the centre without an active admin', async () => {
      const me = await sys
        .http()
        .get('/auth/me')
        .set(...bearer(admin))
        .expect(200);
      const others = await sys
        .http()
        .get('/users')
        .query({ role: 'admin', active: true, limit: 200 })
        .set(...bearer(admin))
        .expect(200);
      // Demote every other admin first (some tests promote users), then try to demote the last one.
      for (const u of others.body.items as { id: string }[]) {
        if (u.id !== me.body.user.id)
          await sys
            .http()
            .patch(`/users/${u.id}`)
            .set(...bearer(admin))
            .send({ roles: ['technician'] })
            .expect(200);
      }
      const res = await sys
        .http()
        .patch(`/users/${me.body.user.id}`)
        .set(...bearer(admin))
        .send({ roles: ['reception'] })
        .expect(409);
      expect(res.body.code).toBe('user.last_admin');
      await sys
        .http()
        .patch(`/users/${me.body.user.id}`)
        .set(...bearer(admin))
        .send({ active: false })
        .expect(409);
      await sys
        .http()
        .get('/users')
        .set(...bearer(admin))
        .expect(200);
    });

    it('changes passwords: self with the current one, admin for anyone; sessions end', async () => {
      const s = await staffSession(sys, ['reception'], 'lan.ho');
      const login = await sys.http().post('/auth/login').send({ username: 'lan.ho', password: 'irrelevant-wrong' });
      expect(login.status).toBe(401);
      const bad = await sys
        .http()
        .post(`/users/${s.userId}/password`)
        .set(...bearer(s.token))
        .send({ currentPassword: 'wrong wrong wrong', newPassword: 'my new passphrase 1' })
        .expect(422);
      expect(bad.body.errors).toEqual([{ field: 'currentPassword', message: expect.any(String) }]);
      await sys
        .http()
        .post(`/users/${s.userId}/password`)
        .set(...bearer(admin))
        .send({ newPassword: 'set by the admin 1' })
        .expect(204);
      const fresh = await sys
        .http()
        .post('/auth/login')
        .send({ username: 'lan.ho', password: 'set by the admin 1' })
        .expect(200);
      await sys
        .http()
        .post(`/users/${s.userId}/password`)
        .set(...bearer(fresh.body.accessToken))
        .send({ currentPassword: 'set by the admin 1', newPassword: 'chosen by myself 2' })
        .expect(204);
      await sys.http().post('/auth/refresh').send({ refreshToken: fresh.body.refreshToken }).expect(401);
      await sys.http().post('/auth/login').send({ username: 'lan.ho', password: 'chosen by myself 2' }).expect(200);
      const other = await makeUser('minh.ly');
      await sys
        .http()
        .post(`/users/${other.id}/password`)
        .set(...bearer(fresh.body.accessToken))
        .send({ newPassword: 'not allowed to do this' })
        .expect(403);
      await sys
        .http()
        .post(`/users/${s.userId}/password`)
        .set(...bearer(admin))
        .send({ newPassword: 'short' })
        .expect(400);
    });
  });

  describe('business API keys', () => {
    it('are issued once in full, listed without secrets, and revoked', async () => {
      const reception = await staffSession(sys, ['reception']);
      const orgId = await createOrganization(sys);
      const created = await sys
        .http()
        .post(`/organizations/${orgId}/api-keys`)
        .set(...bearer(reception.token))
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

      const me = await sys.http().get('/auth/me').set('X-Api-Key', key).expect(200);
      expect(me.body).toMatchObject({
        kind: 'business',
        organization: { id: orgId },
        apiKey: { id: created.body.id, prefix: created.body.prefix },
      });
      await sys.http().get(`/organizations/${orgId}`).set('X-Api-Key', key).expect(200);

      const list = await sys.http().get(`/organizations/${orgId}/api-keys`).set('X-Api-Key', key).expect(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({
        id: created.body.id,
        prefix: created.body.prefix,
        lastUsedAt: expect.any(String),
      });
      expect(JSON.stringify(list.body)).not.toContain(key.slice(14));
      expect(list.body.items[0]).not.toHaveProperty('key');
      expect(list.body.items[0]).not.toHaveProperty('secretHash');

      await sys.http().delete(`/organizations/${orgId}/api-keys/${created.body.id}`).set('X-Api-Key', key).expect(403);
      await sys
        .http()
        .delete(`/organizations/${orgId}/api-keys/${created.body.id}`)
        .set(...bearer(reception.token))
        .expect(204);
      await sys
        .http()
        .delete(`/organizations/${orgId}/api-keys/${created.body.id}`)
        .set(...bearer(admin))
        .expect(204);
      const revoked = await sys.http().get(`/organizations/${orgId}`).set('X-Api-Key', key).expect(401);
      expect(revoked.body.code).toBe('auth.api_key_revoked');
      const after = await sys
        .http()
        .get(`/organizations/${orgId}/api-keys`)
        .set(...bearer(admin))
        .expect(200);
      expect(after.body.items[0]).toMatchObject({ revokedAt: expect.any(String), revokedBy: reception.userId });
    });

    it('lists keys newest first across pages', async () => {
      const orgId = await createOrganization(sys);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await sys
          .http()
          .post(`/organizations/${orgId}/api-keys`)
          .set(...bearer(admin))
          .send({ name: `key ${i}` })
          .expect(201);
        ids.push(r.body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await sys
          .http()
          .get(`/organizations/${orgId}/api-keys`)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(...bearer(admin))
          .expect(200);
        seen.push(...page.body.items.map((k) => k.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
    });

    it('confines a business to its own organization (another answers 404) and keeps it off staff routes (403)', async () => {
      const mine = await createOrganization(sys);
      const theirs = await createOrganization(sys);
      const key = await businessKey(sys, mine);
      await sys.http().get(`/organizations/${theirs}`).set('X-Api-Key', key).expect(404);
      await sys.http().get(`/organizations/${randomUUID()}`).set('X-Api-Key', key).expect(404);
      await sys.http().get(`/organizations/${theirs}/api-keys`).set('X-Api-Key', key).expect(404);
      const list = await sys.http().get('/organizations').set('X-Api-Key', key).expect(200);
      expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([mine]);
      const refused = await sys.http().get('/users').set('X-Api-Key', key).expect(403);
      expect(refused.body).toMatchObject({ status: 403, code: 'access.denied' });
      await sys
        .http()
        .post(`/organizations/${mine}/api-keys`)
        .set('X-Api-Key', key)
        .send({ name: 'self-issued' })
        .expect(403);
      const none = await sys.http().get('/users').expect(401);
      expect(none.body).toMatchObject({ status: 401, code: 'auth.required' });
    });

    it('stops working when the organization is deactivated, and no new key is issued for it', async () => {
      const orgId = await createOrganization(sys);
      const key = await businessKey(sys, orgId);
      await sys
        .http()
        .post(`/organizations/${orgId}/deactivate`)
        .set(...bearer(admin))
        .expect(200);
      const res = await sys.http().get(`/organizations/${orgId}`).set('X-Api-Key', key).expect(401);
      expect(res.body.code).toBe('auth.organization_inactive');
      await sys
        .http()
        .post(`/organizations/${orgId}/api-keys`)
        .set(...bearer(admin))
        .send({ name: 'x' })
        .expect(409);
    });

    it('refuses a wrong secret with a real prefix, and both credentials at once', async () => {
      const orgId = await createOrganization(sys);
      const key = await businessKey(sys, orgId);
      const wrong = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      await sys.http().get(`/organizations/${orgId}`).set('X-Api-Key', wrong).expect(401);
      const both = await sys
        .http()
        .get(`/organizations/${orgId}`)
        .set('X-Api-Key', key)
        .set(...bearer(admin))
        .expect(401);
      expect(both.body.code).toBe('auth.ambiguous_credentials');
    });

    it('answers 404 for a missing organization or a key of another organization', async () => {
      const a = await createOrganization(sys);
      const b = await createOrganization(sys);
      const created = await sys
        .http()
        .post(`/organizations/${a}/api-keys`)
        .set(...bearer(admin))
        .send({ name: 'k' })
        .expect(201);
      await sys
        .http()
        .delete(`/organizations/${b}/api-keys/${created.body.id}`)
        .set(...bearer(admin))
        .expect(404);
      await sys
        .http()
        .post(`/organizations/${randomUUID()}/api-keys`)
        .set(...bearer(admin))
        .send({ name: 'k' })
        .expect(404);
    });
  });
});
