import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError, type Env } from '../config/env.js';
import { decodeSecretsKey, SecretBox } from './secret-box.js';

/** Where a generated secrets key lives (development and single-machine installs only). */
export function secretsKeyPath(env: Pick<Env, 'DATA_DIR'>): string {
  return join(env.DATA_DIR, 'secrets', 'secrets-key');
}

async function generatedKey(env: Pick<Env, 'DATA_DIR'>): Promise<Buffer> {
  const file = secretsKeyPath(env);
  await mkdir(join(env.DATA_DIR, 'secrets'), { recursive: true, mode: 0o700 });
  try {
    // 'wx': two processes starting at once cannot both write; the loser reads the winner's key.
    await writeFile(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  await chmod(file, 0o600);
  const key = decodeSecretsKey(await readFile(file, 'utf8'));
  if (!key) throw new ConfigurationError([`${file} does not hold a 32-byte base64 key`]);
  return key;
}

/**
 * The key that seals secrets at rest: SECRETS_KEY when set (required in production, where every
 * process must share it); otherwise one generated at first start and kept in
 * DATA_DIR/secrets/secrets-key (0600). Keys in SECRETS_KEY_PREVIOUS only open what they sealed.
 */
export async function loadSecretBox(
  env: Pick<Env, 'DATA_DIR' | 'NODE_ENV' | 'SECRETS_KEY' | 'SECRETS_KEY_PREVIOUS'>,
): Promise<SecretBox> {
  let current = env.SECRETS_KEY ? decodeSecretsKey(env.SECRETS_KEY) : undefined;
  if (!current) {
    if (env.NODE_ENV === 'production')
      throw new ConfigurationError(['SECRETS_KEY is required when NODE_ENV is production']);
    current = await generatedKey(env);
  }
  const previous = (env.SECRETS_KEY_PREVIOUS ?? '')
    .split(',')
    .filter((k) => k.trim() !== '')
    .map((k) => decodeSecretsKey(k) as Buffer);
  return new SecretBox(current, previous);
}
