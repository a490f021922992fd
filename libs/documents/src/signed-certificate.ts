import type { CertificateModel } from './certificate-model.js';
import { renderCertificate, type RenderOptions } from './render-certificate.js';
import { sha256, signPdfWith, type SignatureInfo, type SigningIdentity } from './signing.js';

/** Everything the CPU-bound part of issuing a certificate needs: the model as printed, the signer, the signature's texts. */
export interface SignedCertificateRequest {
  model: CertificateModel;
  render: RenderOptions;
  identity: SigningIdentity;
  signature: SignatureInfo;
}

/** A rendered and signed certificate PDF with its SHA-256 (hex), ready to be stored under it. */
export interface SignedCertificate {
  pdf: Buffer;
  sha256: string;
}

/**
 * Renders the certificate, signs it and hashes the signed file: pure CPU, no I/O beyond the fonts
 * read once per thread. What a render thread runs (render-worker.ts), and what RenderPool runs on the
 * calling thread when it has no threads.
 */
export async function produceSignedCertificate(request: SignedCertificateRequest): Promise<SignedCertificate> {
  const pdf = await renderCertificate(request.model, request.render);
  const signed = await signPdfWith(pdf, request.identity, request.signature);
  return { pdf: signed, sha256: sha256(signed) };
}
