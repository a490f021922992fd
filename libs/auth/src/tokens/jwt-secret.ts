import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError, type Env } from '#libs/core';

/** Where a generated signing secret lives (development and single-machine installs only). */
export function jwtSecretPath(env: Env): string {
  return join(env.DATA_DIR, 'secrets', 'jwt-secret');
}

/**
 * The access-token signing key: JWT_SECRET when set; otherwise (never in production) a random one
 * generated at first start and kept in DATA_DIR/secrets/jwt-secret (0600), so that tokens survive a
 * restart. Production must set JWT_SECRET: several API processes have to share one key.
 */
export async function loadJwtSecret(env: Env): Promise<Buffer> {
  if (env.JWT_SECRET) return Buffer.from(env.JWT_SECRET, 'utf8');
  if (env.NODE_ENV === 'production')
    throw new ConfigurationError(['JWT_SECRET is required when NODE_ENV is production']);
  const file = jwtSecretPath(env);
  await mkdir(join(env.DATA_DIR, 'secrets'), { recursive: true, mode: 0o700 });
  try {
    // 'wx': two processes starting at once cannot both write; the loser reads the winner's secret.
    await writeFile(file, randomBytes(48).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  await chmod(file, 0o600);
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32)
    throw new ConfigurationError([
      `${file} holds a secret shorter than 32 characters; delete it to generate a new one`,
    ]);
  return Buffer.from(secret, 'utf8');
}
