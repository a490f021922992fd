import { createHash, timingSafeEqual, verify as verifyBytes, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { Certificate, ContentInfo, IssuerAndSerialNumber, SignedData } from 'pkijs';
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

/** Reads the CMS with pkijs (asn1js); the signed attributes are taken as the exact bytes in the file. */
function parseCms(cms: Buffer): ParsedCms {
  const asn = asn1js.fromBER(new Uint8Array(cms)); // one element; PDF /Contents is zero-padded after it
  if (asn.offset === -1) throw new Error(asn.result.error || 'not BER');
  const contentInfo = new ContentInfo({ schema: asn.result });
  if (contentInfo.contentType !== ContentInfo.SIGNED_DATA) throw new Error('not a CMS SignedData');
  const signedData = new SignedData({ schema: contentInfo.content });
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('no SignerInfo');
  const parsed: ParsedCms = {
    digestAlgorithm: signerInfo.digestAlgorithm.algorithmId,
    signatureAlgorithm: signerInfo.signatureAlgorithm.algorithmId,
    signature: Buffer.from(signerInfo.signature.valueBlock.valueHexView),
  };
  if (signerInfo.signedAttrs) {
    // pkijs keeps the attributes as they were encoded, re-tagged as the SET OF they were signed as.
    parsed.signedAttributes = Buffer.from(signerInfo.signedAttrs.encodedValue);
    for (const attribute of signerInfo.signedAttrs.attributes) {
      const value: unknown = attribute.values[0];
      if (attribute.type === OID.messageDigest && value instanceof asn1js.OctetString)
        parsed.messageDigest = Buffer.from(value.valueBlock.valueHexView);
      if (
        attribute.type === OID.signingTime &&
        (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime)
      )
        parsed.signingTime = value.toDate();
    }
  }
  const signer = findSignerCertificate(signedData, signerInfo.sid);
  if (signer !== undefined) {
    parsed.certificateDer = certificateBytes(contentInfo.content as asn1js.Sequence, signer);
    parsed.certificate = new X509Certificate(parsed.certificateDer);
  }
  return parsed;
}

/**
 * Index in SignedData.certificates of the certificate named by the SignerInfo's
 * issuerAndSerialNumber (or, for a subjectKeyIdentifier, the first certificate).
 */
function findSignerCertificate(signedData: SignedData, sid: unknown): number | undefined {
  const certificates = signedData.certificates ?? [];
  const index = certificates.findIndex(
    (c) =>
      c instanceof Certificate &&
      (!(sid instanceof IssuerAndSerialNumber) ||
        // The serial's and the issuer Name's bytes as encoded (pkijs keeps a Name's encoding).
        (c.serialNumber.isEqual(sid.serialNumber) && c.issuer.isEqual(sid.issuer.valueBeforeDecode))),
  );
  return index < 0 ? undefined : index;
}

/** The exact bytes of certificate `index` as the file holds them (SignedData's [0] IMPLICIT SET). */
function certificateBytes(signedData: asn1js.Sequence, index: number): Buffer {
  const set = signedData.valueBlock.value.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0);
  const raw = (set as asn1js.Constructed | undefined)?.valueBlock.value[index]?.valueBeforeDecodeView;
  if (!raw) throw new Error('the signer certificate cannot be read');
  return Buffer.from(raw);
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
