import { dictionary } from '@zxcvbn-ts/language-common';
import { passwordWeakness } from './password-policy.js';

describe('password policy', () => {
  it('refuses passwords that are mostly one character', () => {
    for (const p of [
      'aaaaaaaaaaaa',
      'aaaaaaaaaaab',
      'ÂÂÂÂÂÂÂÂÂÂÂÂÂ',
      '            x',
      'ababababababab',
      '1111111111112',
    ])
      expect(passwordWeakness(p)).toMatch(/mostly one character/);
  });

  it('refuses the common passwords of the shipped list, in any case and with digits or symbols around', () => {
    const long = dictionary['passwords-common'].filter((p) => p.length >= 12);
    expect(long.length).toBeGreaterThan(100);
    for (const p of long.slice(0, 50))
      expect({ p, weak: passwordWeakness(p) !== undefined }).toEqual({ p, weak: true });
    for (const p of [
      'Password1234',
      'QWERTYUIOP123',
      'iloveyou2024!',
      '!!sunshine2025',
      'football1234',
      'passwordpassword',
    ])
      expect({ p, weak: passwordWeakness(p) }).toEqual({ p, weak: expect.stringMatching(/common/) });
  });

  it('refuses a short unit repeated', () => {
    expect(passwordWeakness('abc12abc12abc12')).toMatch(/repeated/);
    expect(passwordWeakness('monkeymonkey')).toMatch(/repeated/);
  });

  it('accepts passphrases and random passwords', () => {
    for (const p of [
      'a long enough passphrase',
      'correct horse battery staple',
      'Tôi đi làm lúc bảy giờ',
      'kT9#vL2!qW7$',
      'set by the admin 1',
      'xyz!xyz!xyz!abc',
    ])
      expect({ p, weak: passwordWeakness(p) }).toEqual({ p, weak: undefined });
  });
});
