import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import { createSelfSignedP12, ensureDevSigningIdentity } from './dev-identity.js';
import { renderCertificate } from './render-certificate.js';
import { loadSigningIdentity, sha256, signPdf, type SignatureInfo } from './signing.js';
import { calibrationModel } from './testing/certificate-models.js';
import { hasTool, pdfsig, skipping } from './testing/pdf-tools.js';
import { verifyPdfSignature } from './verify-signature.js';

const LAB = 'Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Quảng Ngãi';
const INFO: SignatureInfo = {
  reason: 'Phát hành giấy chứng nhận HC-2026/000123',
  location: 'Quảng Ngãi, Việt Nam',
  name: 'Trần Thị Ngọc Hương',
  contactInfo: 'lab@tdc.example.vn',
  signingTime: new Date('2026-03-12T03:04:05Z'),
};

let dir: string;
let identity: { p12: Buffer; passphrase: string };
let unsigned: Buffer;
let signed: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'documents-signing-'));
  identity = ensureDevSigningIdentity(dir, LAB);
  unsigned = await renderCertificate(calibrationModel());
  signed = await signPdf(unsigned, identity.p12, identity.passphrase, INFO);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Where the hex CMS lies (between the signed ranges of /ByteRange). */
function signatureGap(pdf: Buffer): [number, number] {
  const at = pdf.lastIndexOf('/ByteRange');
  const [, from, to] = /\[\s*\d+\s+(\d+)\s+(\d+)/.exec(pdf.subarray(at, at + 120).toString('latin1'))!;
  return [Number(from), Number(to)];
}

/** Flips one bit at `offset`. */
function tamper(pdf: Buffer, offset: number): Buffer {
  const copy = Buffer.from(pdf);
  copy[offset] ^= 0x01;
  return copy;
}

describe('ensureDevSigningIdentity', () => {
  it('creates a P12 and its passphrase once, private to the owner, and reuses them', () => {
    const again = ensureDevSigningIdentity(dir, 'another name is ignored once it exists');
    expect(again.created).toBe(false);
    expect(again.p12.equals(identity.p12)).toBe(true);
    expect(again.passphrase).toBe(identity.passphrase);
    expect(again.passphrase.length).toBeGreaterThanOrEqual(32);
    expect(statSync(again.p12Path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'dev-signing', 'passphrase')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'dev-signing', 'passphrase'), 'utf8').trim()).toBe(identity.passphrase);
  });

  it('makes a ten-year self-signed RSA-2048 certificate for the laboratory, usable for signing and as an NSS trust anchor', () => {
    const p12 = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(identity.p12.toString('binary')),
      false,
      identity.passphrase,
    );
    const cert = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag]![0].cert!;
    const x509 = new X509Certificate(
      Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'),
    );
    expect(x509.subject).toContain(`CN=${LAB}`);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.checkIssued(x509)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const years = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(9.9);
    expect(years).toBeLessThan(10.1);
    const usage = cert.getExtension('keyUsage') as {
      digitalSignature?: boolean;
      nonRepudiation?: boolean;
      keyCertSign?: boolean;
    };
    expect(usage).toMatchObject({ digitalSignature: true, nonRepudiation: true, keyCertSign: true });
  });
});

describe('signPdf and verifyPdfSignature', () => {
  it('signs so that the JS verifier finds it intact, by the laboratory, at the stated time', () => {
    expect(signed.subarray(0, unsigned.length - 1).equals(unsigned.subarray(0, unsigned.length - 1))).toBe(true); // an incremental update
    const check = verifyPdfSignature(signed);
    expect(check).toMatchObject({ signed: true, intact: true, coversWholeFile: true, signerName: LAB });
    expect(check.signedAt?.toISOString()).toBe('2026-03-12T03:04:05.000Z');
    expect(check.certificateFingerprint).toBe(loadSigningIdentity(identity.p12, identity.passphrase).fingerprint);
  });

  it('is reported valid by pdfsig (poppler)', () => {
    if (!hasTool('pdfsig')) return skipping('pdfsig', 'the pdfsig signature check');
    const report = pdfsig(signed);
    expect(report).toContain('Signature is Valid.');
    expect(report).toContain(`Signer Certificate Common Name: ${LAB}`);
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain('Total document signed');
    expect(report).not.toContain('Syntax Error');
  });

  it('writes the Vietnamese reason, name and location as proper PDF text strings', () => {
    const dict = signed.subarray(signed.lastIndexOf('/ByteRange')).toString('latin1');
    const text = (key: string) => {
      const hex = new RegExp(`/${key} <FEFF([0-9A-F]+)>`).exec(dict)?.[1];
      return hex && Buffer.from(hex, 'hex').swap16().toString('utf16le');
    };
    expect(text('Reason')).toBe(INFO.reason);
    expect(text('Name')).toBe(INFO.name);
    expect(text('Location')).toBe(INFO.location);
    expect(dict).toContain('/ContactInfo (lab@tdc.example.vn)');
  });

  it('detects one changed byte in the signed content', () => {
    const offset = signed.indexOf('/MediaBox [0 0 595.28') + 14; // a digit of the page width
    expect(offset).toBeGreaterThan(14);
    const bad = tamper(signed, offset);
    expect(verifyPdfSignature(bad)).toMatchObject({
      signed: true,
      intact: false,
      problem: expect.stringContaining('digest mismatch'),
    });
    if (!hasTool('pdfsig')) return skipping('pdfsig', 'the pdfsig tamper check');
    expect(pdfsig(bad)).toContain('Digest Mismatch.');
  });

  it('detects a changed byte in the signature itself', () => {
    const at = signed.lastIndexOf('/ByteRange');
    const [, b] = /\[\s*\d+\s+(\d+)/.exec(signed.subarray(at, at + 80).toString('latin1'))!;
    const hexStart = Number(b) + 1;
    const cms = asn1js.fromBER(
      Buffer.from(
        signed
          .subarray(hexStart, hexStart + 40_000)
          .toString('latin1')
          .replace(/>.*$/s, ''),
        'hex',
      ),
    );
    // The RSA signature is the last element of the CMS: change a hex digit 10 bytes before its end.
    const inside = hexStart + 2 * (cms.offset - 10);
    const bad = Buffer.from(signed);
    bad[inside] = bad[inside] === 0x30 ? 0x31 : 0x30;
    expect(verifyPdfSignature(bad)).toMatchObject({
      intact: false,
      problem: 'the signature does not verify with the certificate',
    });
  });

  it('does not call a file intact when bytes were appended after signing', () => {
    const check = verifyPdfSignature(Buffer.concat([signed, Buffer.from('\n% appended\n')]));
    expect(check).toMatchObject({ signed: true, intact: false, coversWholeFile: false });
  });

  it('says a garbled or truncated CMS is unreadable, without throwing', () => {
    const at = signed.lastIndexOf('/ByteRange');
    const [, b] = /\[\s*\d+\s+(\d+)/.exec(signed.subarray(at, at + 80).toString('latin1'))!;
    const hexStart = Number(b) + 1;
    for (const [offset, hex] of [
      [0, 'ffffffff'], // not a SEQUENCE
      [4, '0000'], // a length that ends the element early
      [60, 'ffffffffffffffff'], // inside the SignedData
    ] as const) {
      const bad = Buffer.from(signed);
      bad.write(hex, hexStart + offset, 'latin1');
      const check = verifyPdfSignature(bad);
      expect(check).toMatchObject({ signed: true, intact: false });
      expect(check.problem).toBeDefined();
    }
  });

  it('says an unsigned PDF is unsigned', () => {
    expect(verifyPdfSignature(unsigned)).toEqual({ signed: false, intact: false });
    expect(verifyPdfSignature(Buffer.from('not a pdf'))).toEqual({ signed: false, intact: false });
  });

  it('signs again and again with the same P12 (a new signer each time)', async () => {
    const first = await signPdf(unsigned, identity.p12, identity.passphrase, { ...INFO, signingTime: undefined });
    const second = await signPdf(unsigned, identity.p12, identity.passphrase, { ...INFO, signingTime: undefined });
    expect(verifyPdfSignature(first).intact).toBe(true);
    expect(verifyPdfSignature(second).intact).toBe(true);
  });

  it('signs different documents with one identity, each over its own digest (the CMS is built once per identity)', async () => {
    const other = await renderCertificate({ ...calibrationModel(), number: 'HC-2026/000999' });
    const a = await signPdf(unsigned, identity.p12, identity.passphrase, INFO);
    const b = await signPdf(other, identity.p12, identity.passphrase, INFO);
    expect(verifyPdfSignature(a).intact).toBe(true);
    expect(verifyPdfSignature(b).intact).toBe(true);
    // a's signature in b's place: same identity, same length, but not b's digest.
    const [aFrom, aTo] = signatureGap(a);
    const [bFrom, bTo] = signatureGap(b);
    expect(aTo - aFrom).toBe(bTo - bFrom);
    const crossed = Buffer.concat([b.subarray(0, bFrom), a.subarray(aFrom, aTo), b.subarray(bTo)]);
    expect(verifyPdfSignature(crossed)).toMatchObject({ signed: true, intact: false });
  });

  it('refuses a wrong passphrase', async () => {
    await expect(signPdf(unsigned, identity.p12, 'wrong', INFO)).rejects.toThrow(
      /MAC could not be verified|Invalid password/,
    );
  });

  it('tells signatures by another key apart by their certificate fingerprint', async () => {
    const otherP12 = createSelfSignedP12(LAB, 'other-passphrase');
    const forged = await signPdf(unsigned, otherP12, 'other-passphrase', INFO);
    const check = verifyPdfSignature(forged);
    expect(check.intact).toBe(true); // intact, and with the same name …
    expect(check.signerName).toBe(LAB);
    expect(check.certificateFingerprint).not.toBe(verifyPdfSignature(signed).certificateFingerprint); // … but not the laboratory's key
  });
});

describe('sha256', () => {
  it('is the hex SHA-256 of the bytes', () => {
    expect(sha256(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
