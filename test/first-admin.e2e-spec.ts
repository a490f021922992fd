import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ensureFirstAdmin, StaffUser } from '#libs/auth';
import { loadEnv } from '#libs/core';
import { startTestSystem, type TestSystem } from './support/system.js';

const SCRIPT = resolve('dist/scripts/create-admin.js');

/** Runs the compiled command as an operator would (npm run user:create-admin runs exactly this). */
function createAdmin(
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const login = (sys: TestSystem, username: string, password: string) =>
  sys.http().post('/auth/login').send({ username, password });

describe('the first admin', () => {
  describe('from ADMIN_USERNAME and ADMIN_PASSWORD at first start', () => {
    let sys: TestSystem;
    beforeAll(async () => {
      sys = await startTestSystem({
        env: {
          ADMIN_USERNAME: 'director',
          ADMIN_PASSWORD: 'first admin passphrase',
          ADMIN_FULL_NAME: 'Giám đốc Trung tâm',
        },
      });
    });
    afterAll(async () => sys?.close());

    it('is created, and can log in as admin', async () => {
      const res = await login(sys, 'director', 'first admin passphrase').expect(200);
      expect(res.body.user).toMatchObject({ username: 'director', fullName: 'Giám đốc Trung tâm', roles: ['admin'] });
      await sys.http().get('/users').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    });

    it('is not created again, nor its password reset, once an admin exists', async () => {
      const ds = sys.app.get(DataSource);
      const env = loadEnv({ ADMIN_USERNAME: 'director', ADMIN_PASSWORD: 'a different passphrase' });
      expect(await ensureFirstAdmin(ds, env)).toBe('admin_exists');
      expect(
        await ensureFirstAdmin(ds, loadEnv({ ADMIN_USERNAME: 'deputy', ADMIN_PASSWORD: 'a different passphrase' })),
      ).toBe('admin_exists');
      expect(await ds.getRepository(StaffUser).count()).toBe(1);
      await login(sys, 'director', 'a different passphrase').expect(401);
      expect(await ensureFirstAdmin(ds, loadEnv({}))).toBe('not_configured');
    });
  });

  describe('by npm run user:create-admin', () => {
    let sys: TestSystem;
    beforeAll(async () => {
      sys = await startTestSystem();
    });
    afterAll(async () => sys?.close());

    it('starts with no account at all: nothing can log in (no default password)', async () => {
      expect(await sys.app.get(DataSource).getRepository(StaffUser).count()).toBe(0);
      for (const [u, p] of [
        ['admin', 'admin'],
        ['admin', 'password'],
        ['root', 'root'],
      ])
        await login(sys, u!, p!).expect(401);
    });

    it('creates an admin with the password from ADMIN_PASSWORD', async () => {
      const run = await createAdmin(
        ['--username', 'quan.tri', '--full-name', 'Quản trị viên', '--email', 'qt@example.vn'],
        {
          DATABASE_URL: sys.db.url,
          ADMIN_PASSWORD: 'from the environment',
        },
      );
      expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('created admin "quan.tri"') });
      expect(run.stderr).not.toContain('from the environment');
      const res = await login(sys, 'quan.tri', 'from the environment').expect(200);
      expect(res.body.user).toMatchObject({ fullName: 'Quản trị viên', email: 'qt@example.vn', roles: ['admin'] });
    });

    it('creates an admin with the password from standard input', async () => {
      const run = await createAdmin(
        ['--username', 'second.admin', '--full-name', 'Phó giám đốc'],
        { DATABASE_URL: sys.db.url },
        'piped in passphrase\n',
      );
      expect(run.code).toBe(0);
      await login(sys, 'second.admin', 'piped in passphrase').expect(200);
    });

    it('refuses a short password, a taken username or missing arguments, with one line and exit code 1', async () => {
      const short = await createAdmin(
        ['--username', 'third', '--full-name', 'X'],
        { DATABASE_URL: sys.db.url },
        'short\n',
      );
      expect(short).toMatchObject({ code: 1, stderr: 'create-admin: password must be at least 12 characters long\n' });
      const taken = await createAdmin(['--username', 'QUAN.TRI', '--full-name', 'X'], {
        DATABASE_URL: sys.db.url,
        ADMIN_PASSWORD: 'long enough passphrase',
      });
      expect(taken.code).toBe(1);
      expect(taken.stderr).toMatch(/create-admin: The username QUAN\.TRI is taken\n$/);
      const missing = await createAdmin(['--username', 'fourth'], {
        DATABASE_URL: sys.db.url,
        ADMIN_PASSWORD: 'long enough passphrase',
      });
      expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('usage: npm run user:create-admin') });
      expect(await sys.app.get(DataSource).getRepository(StaffUser).count()).toBe(2);
    });
  });
});
