import argon2 from 'argon2';

/**
 * Password hashing: argon2id (RFC 9106) in its PHC string (`$argon2id$v=19$m=…,p=…,t=…$salt$hash`),
 * so parameters can be raised later and old hashes still verify (and get re-hashed at the next login).
 * 19 MiB, 2 passes, 1 lane: the OWASP baseline, ≈ 20–40 ms a login on a small server.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Password policy: length is what matters (NIST SP 800-63B); no composition rules. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** False for a wrong password or an unreadable hash; never throws for bad input. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export function passwordNeedsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, OPTIONS);
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;
/**
 * Verifies against a throw-away hash, so that a login with an unknown username costs the same time
 * as one with a wrong password and does not tell whether the username exists.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password-' + Math.random());
  await verifyPassword(await dummy, password);
}
