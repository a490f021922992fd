import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSecretsKey, keyId, SecretBox } from './secret-box.js';
import { loadSecretBox, secretsKeyPath } from './secrets-key.js';

const key = (fill: number) => Buffer.alloc(32, fill);

describe('SecretBox', () => {
  it('seals with AES-256-GCM under a named key and opens only with the same key and context', () => {
    const box = new SecretBox(key(1));
    const sealed = box.seal('whsec_abc', 'webhook_endpoint.secret:1');
    expect(sealed).toMatch(new RegExp(`^v1:${keyId(key(1))}:[\\w-]{16}:[\\w-]+:[\\w-]{22}$`));
    expect(sealed).not.toContain('whsec_abc');
    expect(box.seal('whsec_abc', 'webhook_endpoint.secret:1')).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed, 'webhook_endpoint.secret:1')).toBe('whsec_abc');
    expect(() => box.open(sealed, 'webhook_endpoint.secret:2')).toThrow();
    expect(() => new SecretBox(key(2)).open(sealed, 'webhook_endpoint.secret:1')).toThrow(/sealed with key/);
    const [v, kid, iv, body, tag] = sealed.split(':') as string[];
    const flipped = Buffer.from(body as string, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() =>
      box.open([v, kid, iv, flipped.toString('base64url'), tag].join(':'), 'webhook_endpoint.secret:1'),
    ).toThrow();
    expect(() => box.open('whsec_abc', 'x')).toThrow('not a sealed secret');
  });

  it('opens what a previous key sealed, and seals only under the current one', () => {
    const old = new SecretBox(key(1));
    const sealed = old.seal('s', 'c');
    const rotated = new SecretBox(key(2), [key(1)]);
    expect(rotated.open(sealed, 'c')).toBe('s');
    expect(rotated.seal('s', 'c').startsWith(rotated.currentPrefix)).toBe(true);
    expect(sealed.startsWith(rotated.currentPrefix)).toBe(false);
  });
});

describe('loadSecretBox', () => {
  it('generates a key once under DATA_DIR (0600) outside production, and keeps it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const env = { DATA_DIR: dir, NODE_ENV: 'development' as const };
    const sealed = (await loadSecretBox(env)).seal('s', 'c');
    expect(statSync(secretsKeyPath(env)).mode & 0o777).toBe(0o600);
    expect(decodeSecretsKey(readFileSync(secretsKeyPath(env), 'utf8'))).toHaveLength(32);
    expect((await loadSecretBox(env)).open(sealed, 'c')).toBe('s');
  });

  it('takes SECRETS_KEY when set, and requires it in production', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const box = await loadSecretBox({ DATA_DIR: dir, NODE_ENV: 'production', SECRETS_KEY: key(3).toString('base64') });
    expect(box.currentKeyId).toBe(keyId(key(3)));
    await expect(loadSecretBox({ DATA_DIR: dir, NODE_ENV: 'production' })).rejects.toThrow(
      'SECRETS_KEY is required when NODE_ENV is production',
    );
  });

  it('reads only 32-byte base64 keys', () => {
    expect(decodeSecretsKey(key(4).toString('base64'))).toEqual(key(4));
    expect(decodeSecretsKey(Buffer.alloc(16).toString('base64'))).toBeUndefined();
    expect(decodeSecretsKey('not base64 at all!')).toBeUndefined();
  });
});
