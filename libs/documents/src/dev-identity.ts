import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface DevSigningIdentity {
  p12: Buffer;
  passphrase: string;
  /** Where the P12 lives; its passphrase is in `passphrase` beside it (both mode 0600). */
  p12Path: string;
  /** True when this call made it. */
  created: boolean;
}

const FOLDER = 'dev-signing';
const P12_FILE = 'signing.p12';
const PASSPHRASE_FILE = 'passphrase';

/**
 * Development only: a self-signed RSA-2048 signing certificate for `commonName` (the laboratory),
 * valid ten years, made on first call under `dir` and reused afterwards. Production signs with the
 * P12 from configuration. Safe when API and worker start together: the identity is built in a
 * private folder and moved into place in one rename; whoever loses the race uses the winner's.
 */
export function ensureDevSigningIdentity(dir: string, commonName = 'TĐC LIMS development signing'): DevSigningIdentity {
  const folder = join(dir, FOLDER);
  const existing = read(folder);
  if (existing) return existing;

  mkdirSync(dir, { recursive: true });
  const staging = join(dir, `.${FOLDER}-${randomUUID()}`);
  mkdirSync(staging, { mode: 0o700 });
  try {
    const passphrase = randomBytes(24).toString('base64url');
    writeFileSync(join(staging, P12_FILE), createSelfSignedP12(commonName, passphrase), { mode: 0o600 });
    writeFileSync(join(staging, PASSPHRASE_FILE), `${passphrase}\n`, { mode: 0o600 });
    renameSync(staging, folder);
    chmodSync(folder, 0o700);
    return { ...read(folder)!, created: true };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const winner = read(folder);
    if (winner) return winner;
    throw error;
  }
}

function read(folder: string): DevSigningIdentity | undefined {
  const p12Path = join(folder, P12_FILE);
  const passphrasePath = join(folder, PASSPHRASE_FILE);
  if (!existsSync(p12Path) || !existsSync(passphrasePath)) return undefined;
  return {
    p12: readFileSync(p12Path),
    passphrase: readFileSync(passphrasePath, 'utf8').trim(),
    p12Path,
    created: false,
  };
}

/** keyUsage digitalSignature + nonRepudiation for signing, keyCertSign (with cA) so an NSS database can trust it as its own root. */
export function createSelfSignedP12(commonName: string, passphrase: string, years = 10): Buffer {
  // Key generation in OpenSSL: node-forge's pure-JS RSA keygen takes seconds on a slow machine.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  ) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // A positive serial of 16 random bytes.
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime());
  cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + years);
  // forge encodes UTF8String values itself: pass the JS string.
  const name = [
    {
      name: 'commonName',
      value: commonName.normalize('NFC'),
      valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
    },
    { name: 'organizationalUnitName', value: 'Development signing identity - not for issued certificates' },
    { name: 'countryName', value: 'VN' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true, keyCertSign: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, {
    algorithm: 'aes256',
    friendlyName: 'tdc-lims-dev-signing',
  });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}
