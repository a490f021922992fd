import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadEnv } from '#libs/core';
import { jwtSecretPath, loadJwtSecret } from './jwt-secret.js';

describe('loadJwtSecret', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tdc-jwt-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('uses JWT_SECRET when set and writes nothing', async () => {
    const env = loadEnv({ DATA_DIR: dir, JWT_SECRET: 's'.repeat(40) });
    expect((await loadJwtSecret(env)).toString()).toBe('s'.repeat(40));
    await expect(stat(jwtSecretPath(env))).rejects.toThrow(/ENOENT/);
  });

  it('generates one secret outside production, keeps it 0600 and reuses it after a restart', async () => {
    const env = loadEnv({ DATA_DIR: dir, NODE_ENV: 'development' });
    const first = await loadJwtSecret(env);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect((await stat(jwtSecretPath(env))).mode & 0o777).toBe(0o600);
    expect((await loadJwtSecret(env)).equals(first)).toBe(true);
    const both = await Promise.all([loadJwtSecret(env), loadJwtSecret(env)]);
    expect(both.every((b) => b.equals(first))).toBe(true);
  });

  it('fails in production without JWT_SECRET, naming it', async () => {
    const env = loadEnv({ DATA_DIR: dir, NODE_ENV: 'development' });
    env.NODE_ENV = 'production';
    await expect(loadJwtSecret(env)).rejects.toThrow(ConfigurationError);
    await expect(loadJwtSecret(env)).rejects.toThrow('JWT_SECRET');
  });

  it('refuses a truncated secret file', async () => {
    const env = loadEnv({ DATA_DIR: dir });
    await mkdir(join(dir, 'secrets'));
    await writeFile(jwtSecretPath(env), 'short\n');
    await expect(loadJwtSecret(env)).rejects.toThrow(/shorter than 32 characters/);
  });
});
