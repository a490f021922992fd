import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadEnv } from './env.js';

/** What production requires besides JWT_SECRET. */
const PRODUCTION = {
  NODE_ENV: 'production',
  SIGNING_P12_PATH: '/run/secrets/signing.p12',
  SIGNING_P12_PASSPHRASE: 'passphrase',
  PUBLIC_BASE_URL: 'https://lims.tdc.example.vn',
  LABORATORY_ADDRESS: '56 Hùng Vương, Quảng Ngãi',
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
};

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

  it('takes CERTIFICATE_RENDER_THREADS from 0 to 64, unset (the cores) when empty', () => {
    expect(loadEnv({}).CERTIFICATE_RENDER_THREADS).toBeUndefined();
    expect(loadEnv({ CERTIFICATE_RENDER_THREADS: '' }).CERTIFICATE_RENDER_THREADS).toBeUndefined();
    expect(loadEnv({ CERTIFICATE_RENDER_THREADS: '0' }).CERTIFICATE_RENDER_THREADS).toBe(0);
    expect(loadEnv({ CERTIFICATE_RENDER_THREADS: '3' }).CERTIFICATE_RENDER_THREADS).toBe(3);
    expect(() => loadEnv({ CERTIFICATE_RENDER_THREADS: '65' })).toThrow(
      'Invalid configuration: CERTIFICATE_RENDER_THREADS must be an integer between 0 and 64 (got "65")',
    );
    expect(() => loadEnv({ CERTIFICATE_RENDER_THREADS: 'many' })).toThrow(
      /CERTIFICATE_RENDER_THREADS must be an integer/,
    );
  });

  it('draws certificates ahead of their number unless CERTIFICATE_DRAW_AHEAD is false', () => {
    expect(loadEnv({}).CERTIFICATE_DRAW_AHEAD).toBe(true);
    expect(loadEnv({ CERTIFICATE_DRAW_AHEAD: 'false' }).CERTIFICATE_DRAW_AHEAD).toBe(false);
    expect(() => loadEnv({ CERTIFICATE_DRAW_AHEAD: 'sometimes' })).toThrow(
      /CERTIFICATE_DRAW_AHEAD must be true or false/,
    );
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

  it('takes MIGRATION_DATABASE_URL only with DATABASE_URL, and never echoes a database URL (it holds a password)', () => {
    expect(() => loadEnv({ MIGRATION_DATABASE_URL: 'postgres://owner:pw@db/x' })).toThrow(
      'Invalid configuration: DATABASE_URL is required with MIGRATION_DATABASE_URL',
    );
    const env = loadEnv({
      MIGRATION_DATABASE_URL: 'postgres://owner:pw@db/x',
      DATABASE_URL: 'postgres://tdc_app:pw@db/x',
    });
    expect(env.MIGRATION_DATABASE_URL).toBe('postgres://owner:pw@db/x');
    expect(() => loadEnv({ DATABASE_URL: 'mysql://u:s3cret@x' })).toThrow(/DATABASE_URL .*\(got 18 characters\)/);
    expect(() => loadEnv({ DATABASE_URL: 'mysql://u:s3cret@x' })).not.toThrow(/s3cret/);
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(loadEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('requires JWT_SECRET in production, naming it in one line', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(
      'Invalid configuration: JWT_SECRET is required when NODE_ENV is production',
    );
    expect(loadEnv({ ...PRODUCTION, JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toBe('x'.repeat(32));
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

  it('requires the signing identity, the public address and the laboratory address in production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(
      'Invalid configuration: SECRETS_KEY is required when NODE_ENV is production; SIGNING_P12_PATH is required when NODE_ENV is production; SIGNING_P12_PASSPHRASE is required when NODE_ENV is production; PUBLIC_BASE_URL is required when NODE_ENV is production; LABORATORY_ADDRESS is required when NODE_ENV is production',
    );
  });

  it('takes SIGNING_P12_PATH and SIGNING_P12_PASSPHRASE together, never echoing the passphrase', () => {
    expect(() => loadEnv({ SIGNING_P12_PATH: '/x.p12' })).toThrow(
      'Invalid configuration: SIGNING_P12_PASSPHRASE is required with SIGNING_P12_PATH',
    );
    expect(() => loadEnv({ SIGNING_P12_PASSPHRASE: 'secret words' })).toThrow(
      'Invalid configuration: SIGNING_P12_PATH is required with SIGNING_P12_PASSPHRASE',
    );
    expect(() => loadEnv({ PUBLIC_BASE_URL: 'ftp://x', SIGNING_P12_PASSPHRASE: 'secret words' })).not.toThrow(
      /secret words/,
    );
  });

  it('reads the public verification rate limit and the public base URL', () => {
    expect(loadEnv({})).toMatchObject({
      PUBLIC_RATE_LIMIT: 60,
      PUBLIC_RATE_LIMIT_WINDOW_MS: 60000,
      PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS: 10,
    });
    expect(loadEnv({ PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS: '25' }).PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS).toBe(25);
    expect(() => loadEnv({ PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS: '0' })).toThrow(
      'PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS must be an integer number of milliseconds between 1 and 1000',
    );
    expect(loadEnv({ PUBLIC_RATE_LIMIT: '100000' }).PUBLIC_RATE_LIMIT).toBe(100000);
    expect(() => loadEnv({ PUBLIC_RATE_LIMIT: '0' })).toThrow(
      'PUBLIC_RATE_LIMIT must be an integer between 1 and 1000000',
    );
    expect(loadEnv({ PUBLIC_BASE_URL: 'https://lims.example.vn/tdc' }).PUBLIC_BASE_URL).toBe(
      'https://lims.example.vn/tdc',
    );
    expect(() => loadEnv({ PUBLIC_BASE_URL: 'lims.example.vn' })).toThrow(/PUBLIC_BASE_URL must be an http\(s\) URL/);
  });

  it('reads the queue timeout and the outbox reconciliation, within their bounds', () => {
    expect(loadEnv({})).toMatchObject({
      QUEUE_TIMEOUT_MS: 2000,
      OUTBOX_RECONCILE_INTERVAL_MS: 30000,
      OUTBOX_RECONCILE_BATCH: 500,
    });
    expect(loadEnv({ OUTBOX_RECONCILE_INTERVAL_MS: '1000' }).OUTBOX_RECONCILE_INTERVAL_MS).toBe(1000);
    expect(() => loadEnv({ OUTBOX_RECONCILE_INTERVAL_MS: '10' })).toThrow(
      'OUTBOX_RECONCILE_INTERVAL_MS must be an integer number of milliseconds between 100 and 3600000 (got "10")',
    );
    expect(() => loadEnv({ QUEUE_TIMEOUT_MS: 'soon' })).toThrow(/QUEUE_TIMEOUT_MS must be an integer number/);
    expect(() => loadEnv({ OUTBOX_RECONCILE_BATCH: '0' })).toThrow(/OUTBOX_RECONCILE_BATCH must be an integer/);
  });

  it('takes a PNG or JPEG logo and names LABORATORY_LOGO_PATH in one line when the file is missing or not an image', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logo-'));
    const png = join(dir, 'logo.png');
    const jpeg = join(dir, 'logo.jpg');
    const gif = join(dir, 'logo.gif');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    writeFileSync(jpeg, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    writeFileSync(gif, 'GIF89a……');
    expect(loadEnv({ LABORATORY_LOGO_PATH: png }).LABORATORY_LOGO_PATH).toBe(png);
    expect(loadEnv({ LABORATORY_LOGO_PATH: jpeg }).LABORATORY_LOGO_PATH).toBe(jpeg);
    expect(loadEnv({ LABORATORY_LOGO_PATH: '' }).LABORATORY_LOGO_PATH).toBeUndefined();
    expect(() => loadEnv({ LABORATORY_LOGO_PATH: gif })).toThrow(
      `Invalid configuration: LABORATORY_LOGO_PATH ${gif} is not a PNG or JPEG file`,
    );
    expect(() => loadEnv({ LABORATORY_LOGO_PATH: join(dir, 'missing.png') })).toThrow(
      `Invalid configuration: LABORATORY_LOGO_PATH ${join(dir, 'missing.png')} cannot be read (ENOENT)`,
    );
  });

  it('reads EGRESS_ALLOW and names a bad entry in one line', () => {
    expect(loadEnv({ EGRESS_ALLOW: 'erp.lab.internal, 10.20.0.0/16' }).EGRESS_ALLOW).toBe(
      'erp.lab.internal, 10.20.0.0/16',
    );
    expect(() => loadEnv({ EGRESS_ALLOW: 'erp.lab.internal, 10.0.0.0/40' })).toThrow(
      'Invalid configuration: EGRESS_ALLOW entry "10.0.0.0/40" is not a CIDR range like 10.20.0.0/16 or fd00:1::/64',
    );
  });

  it('takes SECRETS_KEY as 32 bytes in base64, never echoing it', () => {
    const key = Buffer.alloc(32, 9).toString('base64');
    expect(loadEnv({ SECRETS_KEY: key, SECRETS_KEY_PREVIOUS: key }).SECRETS_KEY).toBe(key);
    expect(() => loadEnv({ SECRETS_KEY: 'c2hvcnQga2V5' })).toThrow(
      'Invalid configuration: SECRETS_KEY must be 32 bytes in base64, e.g. from openssl rand -base64 32 (got 12 characters)',
    );
    expect(() => loadEnv({ SECRETS_KEY_PREVIOUS: `${key},c2hvcnQga2V5` })).toThrow(
      'Invalid configuration: SECRETS_KEY_PREVIOUS must be comma-separated 32-byte base64 keys',
    );
    expect(() => loadEnv({ ...PRODUCTION, JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: undefined })).toThrow(
      'Invalid configuration: SECRETS_KEY is required when NODE_ENV is production',
    );
  });
});
