import { ConfigurationError, loadEnv } from './env.js';

describe('loadEnv', () => {
  it('gives sane defaults with nothing set', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, NODE_ENV: 'development', RUN_MIGRATIONS: true, DATA_DIR: './.data' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('converts numbers and booleans', () => {
    const env = loadEnv({ PORT: '8080', RUN_MIGRATIONS: 'false', WORKER_CONCURRENCY: '16' });
    expect(env).toMatchObject({ PORT: 8080, RUN_MIGRATIONS: false, WORKER_CONCURRENCY: 16 });
  });

  it('names a malformed variable and what it expects, in one line', () => {
    let error: unknown;
    try {
      loadEnv({ PORT: 'abc' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toBe('Invalid configuration: PORT must be an integer port number between 0 and 65535 (got "abc")');
    expect(message).not.toContain('\n');
  });

  it('lists every bad variable', () => {
    expect(() => loadEnv({ DATABASE_URL: 'mysql://x', REDIS_URL: 'http://y', LOG_LEVEL: 'loud' })).toThrow(
      /DATABASE_URL must be a postgres:\/\/.*; REDIS_URL must be a redis:\/\/.*; LOG_LEVEL must be one of/,
    );
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(loadEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('requires JWT_SECRET in production, naming it in one line', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(
      'Invalid configuration: JWT_SECRET is required when NODE_ENV is production',
    );
    expect(loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toBe('x'.repeat(32));
    expect(loadEnv({ NODE_ENV: 'development' }).JWT_SECRET).toBeUndefined();
  });

  it('refuses a short JWT_SECRET without echoing it', () => {
    let message = '';
    try {
      loadEnv({ JWT_SECRET: 'short-secret-value' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('Invalid configuration: JWT_SECRET must be at least 32 characters long (got 18 characters)');
  });

  it('takes a first admin as ADMIN_USERNAME and ADMIN_PASSWORD together, never echoing the password', () => {
    expect(loadEnv({ ADMIN_USERNAME: 'director', ADMIN_PASSWORD: 'long enough passphrase' })).toMatchObject({
      ADMIN_USERNAME: 'director',
    });
    expect(() => loadEnv({ ADMIN_USERNAME: 'director' })).toThrow(
      'Invalid configuration: ADMIN_PASSWORD is required with ADMIN_USERNAME',
    );
    expect(() => loadEnv({ ADMIN_PASSWORD: 'long enough passphrase' })).toThrow(
      'Invalid configuration: ADMIN_USERNAME is required with ADMIN_PASSWORD',
    );
    expect(() => loadEnv({ ADMIN_USERNAME: 'director', ADMIN_PASSWORD: 'hunter2' })).toThrow(
      'Invalid configuration: ADMIN_PASSWORD must be at least 12 characters long (got 7 characters)',
    );
    expect(() => loadEnv({ ADMIN_USERNAME: 'no spaces please', ADMIN_PASSWORD: 'long enough passphrase' })).toThrow(
      /^Invalid configuration: ADMIN_USERNAME must be 3 to 64/,
    );
  });
});
