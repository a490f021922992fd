import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte key written as base64 (`openssl rand -base64 32`), as SECRETS_KEY takes it; undefined otherwise. */
export function decodeSecretsKey(value: string): Buffer | undefined {
  const text = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}

/** The id of a key: the first 8 hex digits of its SHA-256, so a sealed value names the key that opens it. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Secrets the system must read back (webhook signing keys), encrypted at rest with AES-256-GCM under a
 * key from configuration. A sealed value is `v1:<key id>:<iv>:<ciphertext>:<tag>` (base64url): the key
 * id lets SECRETS_KEY be rotated (the old key stays in SECRETS_KEY_PREVIOUS to open what it sealed,
 * until everything is sealed again). `context` is bound as additional data, so a sealed value copied
 * to another row (another context) does not open.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(
    private readonly current: Buffer,
    previous: Buffer[] = [],
  ) {
    for (const k of [current, ...previous]) {
      if (k.length !== 32) throw new Error('a secrets key must be 32 bytes');
      this.keys.set(keyId(k), k);
    }
    this.currentKeyId = keyId(current);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return [VERSION, this.currentKeyId, ...parts].join(':');
  }

  /** Throws when the value is malformed, sealed under a key we do not have, or altered. */
  open(sealed: string, context: string): string {
    const [version, kid, iv, body, tag] = sealed.split(':');
    if (version !== VERSION || !kid || iv === undefined || body === undefined || tag === undefined)
      throw new Error('not a sealed secret');
    const key = this.keys.get(kid);
    if (!key) throw new Error(`the secret was sealed with key ${kid}, which is neither SECRETS_KEY nor previous`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The prefix of every value sealed under the current key (what a re-sealing pass skips). */
  get currentPrefix(): string {
    return `${VERSION}:${this.currentKeyId}:`;
  }
}
