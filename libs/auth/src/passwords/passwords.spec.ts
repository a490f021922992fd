import { burnPasswordCheck, hashPassword, passwordNeedsRehash, verifyPassword } from './passwords.js';

describe('password hashing', () => {
  it('stores argon2id with a random salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(a, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword(a, '')).toBe(false);
    expect(passwordNeedsRehash(a)).toBe(false);
  });

  it('treats an unreadable hash as a mismatch, and as needing a rehash', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
    expect(passwordNeedsRehash('not-a-hash')).toBe(true);
  });

  it('asks to rehash weaker parameters', async () => {
    const argon2 = (await import('argon2')).default;
    const weak = await argon2.hash('pw', { type: argon2.argon2id, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    expect(passwordNeedsRehash(weak)).toBe(true);
  });

  it('burns a check for unknown users without failing', async () => {
    await expect(burnPasswordCheck('whatever')).resolves.toBeUndefined();
  });
});
