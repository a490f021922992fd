import {
  createHash,
  createPrivateKey,
  randomBytes,
  sign as signBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf, Signer } from '@signpdf/signpdf';
import * as asn1js from 'asn1js';
import {
  AlgorithmIdentifier,
  Attribute,
  Certificate,
  ContentInfo,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedAndUnsignedAttributes,
  SignedData,
  SignerInfo,
} from 'pkijs';

/** What the signature dictionary says about the signing (shown by PDF readers). */
export interface SignatureInfo {
  reason: string;
  location: string;
  /** Name of the signer as the dictionary's /Name (the certificate names the key's owner). */
  name: string;
  contactInfo: string;
  /** /M, the claimed signing time; defaults to now. */
  signingTime?: Date;
}

/** A P12's key and certificates, decoded once: node-forge spends tens of milliseconds on every PKCS#12 it opens. */
export interface SigningIdentity {
  readonly privateKey: KeyObject;
  /** The certificate matching the key, DER. */
  readonly certificate: Buffer;
  /** Every certificate in the P12 (the signer's first), DER; all are embedded so a verifier can build the chain. */
  readonly chain: readonly Buffer[];
  /** SHA-256 of the signer certificate, hex: lets a verifier tell the laboratory's key from anyone else's. */
  readonly fingerprint: string;
  readonly commonName: string;
}

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  sha1: '1.3.14.3.2.26',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const identities = new Map<string, SigningIdentity>();

/** Opens a PKCS#12 (RSA key; node-forge reads no other kind) and caches it for the life of the process. */
export function loadSigningIdentity(p12: Buffer, passphrase: string): SigningIdentity {
  const cacheKey = `${sha256(p12)}:${sha256(Buffer.from(passphrase, 'utf8'))}`;
  const cached = identities.get(cacheKey);
  if (cached) return cached;

  const parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, passphrase);
  const keyBags = [
    ...(parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(parsed.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const key = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error('The P12 holds no RSA private key');
  const certs = (parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).flatMap((b) =>
    b.cert ? [b.cert] : [],
  );
  const own = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(key.n) === 0 && pub.e?.compareTo(key.e) === 0;
  });
  if (!own) throw new Error('The P12 holds no certificate for its private key');
  const toDer = (c: forge.pki.Certificate) =>
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary');
  const certificate = toDer(own);
  const chain = [certificate, ...certs.filter((c) => c !== own).map(toDer)];
  const identity: SigningIdentity = {
    privateKey: createPrivateKey(forge.pki.privateKeyToPem(key)),
    certificate,
    chain,
    fingerprint: sha256(certificate),
    commonName: commonNameOf(new X509Certificate(certificate)),
  };
  if (identities.size > 16) identities.clear();
  identities.set(cacheKey, identity);
  return identity;
}

export function commonNameOf(cert: X509Certificate): string {
  const line = cert.subject.split('\n').find((l) => l.startsWith('CN='));
  return line ? line.slice(3) : cert.subject;
}

const attribute = (type: string, value: asn1js.AsnType): Attribute => new Attribute({ type, values: [value] });

interface DecodedIdentity {
  certificate: Certificate;
  /** The chain as asn1js read it: re-encoded as read, far cheaper than from pkijs Certificates. */
  chain: asn1js.AsnType[];
}

/** An identity's certificates decoded once: decoding them costs more than the signature. */
const decoded = new WeakMap<SigningIdentity, DecodedIdentity>();

function decode(identity: SigningIdentity): DecodedIdentity {
  let entry = decoded.get(identity);
  if (!entry) {
    entry = {
      certificate: Certificate.fromBER(new Uint8Array(identity.certificate)),
      chain: identity.chain.map((der) => asn1js.fromBER(new Uint8Array(der)).result),
    };
    decoded.set(identity, entry);
  }
  return entry;
}

/**
 * CMS SignedData, detached, in the PAdES baseline shape (ETSI.CAdES.detached): signed attributes
 * contentType, messageDigest and signing-certificate-v2 (the signing time lives in the PDF's /M).
 * The RSA operation runs in node:crypto (OpenSSL), far faster than node-forge's JavaScript, over the
 * very bytes the SignerInfo then carries.
 *
 * Only the content's digest and the signature change from one signature to the next, and both have
 * a fixed length: the structure is built with pkijs once per identity (cmsTemplate) and each
 * signature copies it and writes those two values in place. Encoding it with asn1js every time cost
 * about three times the RSA operation (≈ 0.6 ms a certificate).
 */
export function buildCmsSignature(content: Buffer, identity: SigningIdentity): Buffer {
  const t = cmsTemplate(identity);
  const cms = Buffer.from(t.der);
  createHash('sha256').update(content).digest().copy(cms, t.digestAt);
  // The signature covers the attributes encoded as a SET OF; in the SignerInfo they carry tag [0].
  const signedBytes = Buffer.from(cms.subarray(t.attributesAt, t.attributesAt + t.attributesLength));
  signedBytes[0] = 0x31;
  const signature = signBytes('sha256', signedBytes, identity.privateKey);
  if (signature.length !== t.signatureLength) throw new Error("The signature does not have the key's length");
  signature.copy(cms, t.signatureAt);
  return cms;
}

/** A CMS of one identity with where its variable parts lie. */
interface CmsTemplate {
  der: Buffer;
  digestAt: number;
  /** The signed attributes as the SignerInfo carries them ([0] IMPLICIT), messageDigest inside. */
  attributesAt: number;
  attributesLength: number;
  signatureAt: number;
  signatureLength: number;
}

const templates = new WeakMap<SigningIdentity, CmsTemplate>();

/** Encodes the CMS once with random stand-ins for the digest and the signature, and finds them in it. */
function cmsTemplate(identity: SigningIdentity): CmsTemplate {
  let t = templates.get(identity);
  if (t) return t;
  const signatureLength = Math.ceil((identity.privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (signatureLength === 0) throw new Error('The signing key is not an RSA key');
  const digest = randomBytes(32);
  const signature = randomBytes(signatureLength);
  const { der, attributes } = encodeCms(digest, signature, identity);
  t = {
    der,
    digestAt: indexOnce(der, digest),
    attributesAt: indexOnce(der, attributes),
    attributesLength: attributes.length,
    signatureAt: indexOnce(der, signature),
    signatureLength,
  };
  templates.set(identity, t);
  return t;
}

function indexOnce(haystack: Buffer, needle: Buffer): number {
  const at = haystack.indexOf(needle);
  if (at < 0 || haystack.indexOf(needle, at + 1) >= 0)
    throw new Error('CMS template: a part is not found exactly once');
  return at;
}

/** The CMS built with pkijs for a given digest and signature; with its signed attributes' encoding. */
function encodeCms(digest: Buffer, signature: Buffer, identity: SigningIdentity): { der: Buffer; attributes: Buffer } {
  const { certificate, chain } = decode(identity);
  // ESSCertIDv2 with the default hash (SHA-256) left out, and the issuer/serial of the certificate.
  const essCertId = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: createHash('sha256').update(identity.certificate).digest() }),
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.Constructed({
                idBlock: { tagClass: 3, tagNumber: 4 },
                value: [certificate.issuer.toSchema()],
              }),
            ],
          }),
          certificate.serialNumber,
        ],
      }),
    ],
  });
  // DER orders a SET OF by the encodings of its elements.
  const ordered = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
    attribute(OID.signingCertificateV2, new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })),
  ]
    .map((a) => ({ a, der: Buffer.from(a.toSchema().toBER()) }))
    .sort((x, y) => Buffer.compare(x.der, y.der))
    .map(({ a }) => a);
  const signedAttrs = new SignedAndUnsignedAttributes({ type: 0, attributes: ordered });
  const attributes = Buffer.from(signedAttrs.toSchema().toBER());
  const sha256Algorithm = () => new AlgorithmIdentifier({ algorithmId: OID.sha256 });
  const signerInfo = new SignerInfo({
    version: 1,
    sid: new IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: sha256Algorithm(),
    signedAttrs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const signedData = new SignedData({
    version: 1,
    digestAlgorithms: [sha256Algorithm()],
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [signerInfo],
  }).toSchema(true);
  // certificates [0] IMPLICIT, after encapContentInfo: every certificate of the P12, as it was encoded.
  const certificates = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: chain });
  signedData.valueBlock.value.splice(3, 0, certificates);
  const cms = new ContentInfo({ contentType: ContentInfo.SIGNED_DATA, content: signedData });
  return { der: Buffer.from(cms.toSchema().toBER()), attributes };
}

/** A @signpdf Signer over a decoded identity; make a new one per signature, as @signpdf expects. */
export class CmsSigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return buildCmsSignature(pdfBuffer, this.identity);
  }
}

/**
 * Adds a signature field to the PDF (an incremental update, so any PDF works) and fills it with a
 * detached CMS signature over the whole file. The P12 is decoded once per process and cached.
 */
export async function signPdf(pdf: Buffer, p12: Buffer, passphrase: string, info: SignatureInfo): Promise<Buffer> {
  return signPdfWith(pdf, loadSigningIdentity(p12, passphrase), info);
}

export async function signPdfWith(pdf: Buffer, identity: SigningIdentity, info: SignatureInfo): Promise<Buffer> {
  const signingTime = info.signingTime ?? new Date();
  // Room for the CMS: the certificates, the signature, the attributes, and slack; hex doubles it.
  const signatureLength = Math.max(8192, identity.chain.reduce((s, c) => s + c.length, 0) + 2048);
  const texts = [info.reason, info.location, info.name, info.contactInfo].map(pdfTextString);
  let prepared = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: texts[0].placeholder,
    location: texts[1].placeholder,
    name: texts[2].placeholder,
    contactInfo: texts[3].placeholder,
    signingTime,
    signatureLength,
    subFilter: 'ETSI.CAdES.detached',
    appName: 'TDC-LIMS',
  });
  for (const t of texts) prepared = t.restore(prepared);
  return new SignPdf().sign(prepared, new CmsSigner(identity), signingTime);
}

/**
 * placeholder-plain writes a non-ASCII string as UTF-16 and then UTF-8-encodes those bytes again,
 * so "Phát hành" would reach readers garbled. It is given an ASCII stand-in of exactly the length
 * of the correct hex string <FEFF…>, which then replaces it byte for byte: no offset moves.
 */
function pdfTextString(value: string): { placeholder: string; restore: (pdf: Buffer) => Buffer } {
  const text = value.normalize('NFC');
  if (/^[\x20-\x7e]*$/.test(text)) return { placeholder: text, restore: (pdf) => pdf };
  const hex = `<${Buffer.from(`\ufeff${text}`, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const placeholder = Array.from(randomBytes(hex.length - 2), (b) => alphabet[b % alphabet.length]).join('');
  return {
    placeholder,
    restore: (pdf) => {
      const literal = Buffer.from(`(${placeholder})`, 'latin1');
      const at = pdf.lastIndexOf(literal);
      if (at < 0 || pdf.indexOf(literal) !== at) throw new Error('Signature dictionary text not found exactly once');
      const out = Buffer.from(pdf);
      out.write(hex, at, 'latin1');
      return out;
    },
  };
}
