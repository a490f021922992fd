import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ENV, type Env } from '#libs/core';
import {
  ensureDevSigningIdentity,
  loadSigningIdentity,
  type LaboratoryInfo,
  type SigningIdentity,
} from '#libs/documents';

/**
 * What every certificate of this installation shares: the laboratory as printed, the signing
 * identity and the public address the QR codes point to. Loaded once at start-up; a P12 that cannot
 * be opened stops the process with one line saying why.
 */
@Injectable()
export class CertificateSettings implements OnModuleInit {
  private readonly logger = new Logger('Certificates');
  private loaded?: SigningIdentity;
  readonly laboratory: LaboratoryInfo;
  readonly publicBaseUrl: string;
  /** The laboratory's logo (PNG or JPEG, checked by loadEnv), read once; drawn on every page. */
  readonly logo?: Buffer;

  constructor(@Inject(ENV) private readonly env: Env) {
    this.laboratory = {
      name: env.LABORATORY_NAME,
      address: env.LABORATORY_ADDRESS ?? '(LABORATORY_ADDRESS chưa được cấu hình)',
      ...(env.LABORATORY_ACCREDITATION ? { accreditation: env.LABORATORY_ACCREDITATION } : {}),
      ...(env.LABORATORY_PHONE ? { phone: env.LABORATORY_PHONE } : {}),
      ...(env.LABORATORY_EMAIL ? { email: env.LABORATORY_EMAIL } : {}),
    };
    if (env.LABORATORY_LOGO_PATH !== undefined) this.logo = readLogo(env.LABORATORY_LOGO_PATH);
    this.publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  }

  onModuleInit(): void {
    this.loaded = this.loadIdentity();
  }

  get identity(): SigningIdentity {
    return (this.loaded ??= this.loadIdentity());
  }

  /** The public page of a certificate: printed on it and encoded in its QR code. */
  verificationUrl(number: string): string {
    return `${this.publicBaseUrl}/verify/${encodeURIComponent(number)}`;
  }

  private loadIdentity(): SigningIdentity {
    const { SIGNING_P12_PATH: path, SIGNING_P12_PASSPHRASE: passphrase } = this.env;
    if (path === undefined || passphrase === undefined) {
      // Development and tests only: loadEnv requires both in production.
      const dev = ensureDevSigningIdentity(
        join(this.env.DATA_DIR, 'signing'),
        `${this.env.LABORATORY_NAME} (development)`,
      );
      if (dev.created) this.logger.warn(`created a self-signed development signing identity at ${dev.p12Path}`);
      return loadSigningIdentity(dev.p12, dev.passphrase);
    }
    let p12: Buffer;
    try {
      p12 = readFileSync(path);
    } catch (e) {
      throw new Error(`SIGNING_P12_PATH ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    let identity: SigningIdentity;
    try {
      identity = loadSigningIdentity(p12, passphrase);
    } catch (e) {
      throw new Error(
        `SIGNING_P12_PATH ${path} cannot be opened with SIGNING_P12_PASSPHRASE: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const validTo = new Date(new X509Certificate(identity.certificate).validTo);
    if (validTo.getTime() < Date.now()) {
      throw new Error(`the signing certificate in SIGNING_P12_PATH ${path} expired on ${validTo.toISOString()}`);
    }
    return identity;
  }
}

function readLogo(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`LABORATORY_LOGO_PATH ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}
