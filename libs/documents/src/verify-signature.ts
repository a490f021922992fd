import { createHash, timingSafeEqual, verify as verifyBytes, X509Certificate } from 'node:crypto';
import { DerError, oidOf, readDer, timeOf, type DerNode } from './der.js';
import { commonNameOf, OID, sha256 } from './signing.js';

export interface PdfSignatureCheck {
  /** The file carries a signature (/ByteRange and /Contents). */
  signed: boolean;
  /**
   * The signed bytes are unchanged: the digest matches the signed messageDigest, the signature over
   * the attributes verifies with the embedded certificate's key, and the signed range covers the
   * whole file (nothing appended after signing). Says nothing about WHO signed: compare
   * `certificateFingerprint` with the laboratory's, or the file's hash with the one stored at issue.
   */
  intact: boolean;
  signerName?: string;
  signedAt?: Date;
  /** SHA-256 of the signer's certificate, hex. */
  certificateFingerprint?: string;
  /** False when bytes were added after the signed range (an incremental update after signing). */
  coversWholeFile?: boolean;
  /** Why `intact` is false, for logs and support. */
  problem?: string;
}

const HASHES: Record<string, string> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
  [OID.sha1]: 'sha1',
};

/**
 * Checks the last signature of a PDF in plain JS (no poppler): byte ranges, CMS structure, message
 * digest, and the RSA/ECDSA signature over the signed attributes. Never throws on a bad file.
 */
export function verifyPdfSignature(pdf: Buffer): PdfSignatureCheck {
  const at = pdf.lastIndexOf('/ByteRange');
  if (at < 0) return { signed: false, intact: false };
  const m = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(
    pdf.subarray(at, at + 120).toString('latin1'),
  );
  if (!m) return { signed: true, intact: false, problem: 'unreadable /ByteRange' };
  const [a, b, c, d] = m.slice(1).map(Number);
  if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length)
    return { signed: true, intact: false, problem: 'impossible /ByteRange' };
  const coversWholeFile = c + d === pdf.length;
  const gap = pdf.subarray(b, c).toString('latin1');
  if (!/^<[0-9a-fA-F\s]*>$/.test(gap))
    return { signed: true, intact: false, coversWholeFile, problem: '/ByteRange does not frame the /Contents' };
  const cms = Buffer.from(gap.slice(1, -1).replace(/\s/g, ''), 'hex');
  const signedAt = signingTimeFromDictionary(pdf, at);

  let parsed: ParsedCms;
  try {
    parsed = parseCms(cms);
  } catch (e) {
    return {
      signed: true,
      intact: false,
      coversWholeFile,
      signedAt,
      problem: `unreadable CMS: ${(e as Error).message}`,
    };
  }
  const result: PdfSignatureCheck = {
    signed: true,
    intact: false,
    coversWholeFile,
    signerName: parsed.certificate ? commonNameOf(parsed.certificate) : undefined,
    signedAt: parsed.signingTime ?? signedAt,
    certificateFingerprint: parsed.certificateDer ? sha256(parsed.certificateDer) : undefined,
  };
  const hash = HASHES[parsed.digestAlgorithm];
  if (!hash) return { ...result, problem: `unsupported digest ${parsed.digestAlgorithm}` };
  if (!parsed.certificate) return { ...result, problem: 'no certificate matches the signer' };

  const digest = createHash(hash)
    .update(pdf.subarray(a, a + b))
    .update(pdf.subarray(c, c + d))
    .digest();
  let signatureOk: boolean;
  if (parsed.signedAttributes) {
    if (
      !parsed.messageDigest ||
      parsed.messageDigest.length !== digest.length ||
      !timingSafeEqual(parsed.messageDigest, digest)
    ) {
      return { ...result, problem: 'digest mismatch: the signed bytes were changed' };
    }
    signatureOk = verifySignature(hash, parsed.signedAttributes, parsed);
  } else {
    signatureOk = verifySignature(hash, Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]), parsed);
  }
  if (!signatureOk) return { ...result, problem: 'the signature does not verify with the certificate' };
  if (!coversWholeFile) return { ...result, problem: 'bytes were added after the signed range' };
  return { ...result, intact: true };
}

interface ParsedCms {
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signature: Buffer;
  /** The signed attributes re-tagged as the SET OF they were signed as; absent when content was signed directly. */
  signedAttributes?: Buffer;
  messageDigest?: Buffer;
  signingTime?: Date;
  certificate?: X509Certificate;
  certificateDer?: Buffer;
}

function parseCms(cms: Buffer): ParsedCms {
  const contentInfo = readDer(cms);
  if (oidOf(contentInfo.children[0]) !== OID.signedData) throw new DerError('not a CMS SignedData');
  const signedData = contentInfo.children[1].children[0];
  const certificates = signedData.children.find((n) => n.tag === 0xa0)?.children ?? [];
  const signerInfos = signedData.children[signedData.children.length - 1];
  const signerInfo = signerInfos.children[0];
  if (!signerInfo) throw new DerError('no SignerInfo');
  const [, sid, digestAlgorithm, ...rest] = signerInfo.children;
  const attrs = rest[0].tag === 0xa0 ? rest.shift() : undefined;
  const [signatureAlgorithm, signature] = rest;

  const parsed: ParsedCms = {
    digestAlgorithm: oidOf(digestAlgorithm.children[0]),
    signatureAlgorithm: oidOf(signatureAlgorithm.children[0]),
    signature: Buffer.from(signature.content),
  };
  if (attrs) {
    parsed.signedAttributes = Buffer.concat([Buffer.from([0x31]), attrs.raw.subarray(1)]);
    for (const attribute of attrs.children) {
      const type = oidOf(attribute.children[0]);
      const value = attribute.children[1].children[0];
      if (type === OID.messageDigest) parsed.messageDigest = Buffer.from(value.content);
      if (type === OID.signingTime) parsed.signingTime = timeOf(value);
    }
  }
  const signer = findSignerCertificate(certificates, sid);
  if (signer) {
    parsed.certificateDer = Buffer.from(signer.raw);
    parsed.certificate = new X509Certificate(parsed.certificateDer);
  }
  return parsed;
}

/** The certificate named by the SignerInfo's issuerAndSerialNumber (or subjectKeyIdentifier: first certificate). */
function findSignerCertificate(certificates: DerNode[], sid: DerNode): DerNode | undefined {
  if (sid.tag !== 0x30) return certificates[0];
  const [issuer, serial] = sid.children;
  return certificates.find((cert) => {
    const tbs = cert.children[0];
    const fields = tbs.children[0].tag === 0xa0 ? tbs.children.slice(1) : tbs.children;
    return fields[0].raw.equals(serial.raw) && fields[2].raw.equals(issuer.raw);
  });
}

function verifySignature(hash: string, data: Buffer, parsed: ParsedCms): boolean {
  try {
    return verifyBytes(hash, data, parsed.certificate!.publicKey, parsed.signature);
  } catch {
    return false;
  }
}

/** /M (D:YYYYMMDDHHmmSS+HH'mm') of the signature dictionary holding the /ByteRange at `at`. */
function signingTimeFromDictionary(pdf: Buffer, at: number): Date | undefined {
  const from = Math.max(0, pdf.lastIndexOf('obj', at));
  const to = pdf.indexOf('endobj', at);
  const dict = pdf.subarray(from, to < 0 ? Math.min(pdf.length, at + 4096) : to).toString('latin1');
  const m = /\/M\s*\(D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz]|[+-]\d{2}'?\d{2}'?)?\)/.exec(dict);
  if (!m) return undefined;
  const [year, month = '01', day = '01', hour = '00', minute = '00', second = '00'] = m.slice(1, 7);
  const zone = m[7];
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(/'/g, '');
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return new Date(Date.UTC(+year, +month - 1, +day, +hour, +minute, +second) - offsetMinutes * 60_000);
}
