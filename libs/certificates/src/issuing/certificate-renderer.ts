import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ENV, type Env } from '#libs/core';
import { RenderPool, type SignedCertificate, type SignedCertificateRequest } from '#libs/documents';

/**
 * The process's render threads (libs/documents' RenderPool, `CERTIFICATE_RENDER_THREADS`, default the
 * cores): CertificateIssuer renders and signs there while its transaction waits on this thread. The
 * threads start with the first certificate (an API process that never amends starts none) and stop
 * at shutdown, after the certificates already sent to them.
 */
@Injectable()
export class CertificateRenderer implements OnApplicationShutdown {
  private readonly logger = new Logger('Certificates');
  private readonly pool: RenderPool;

  constructor(@Inject(ENV) env: Env) {
    this.pool = new RenderPool({
      ...(env.CERTIFICATE_RENDER_THREADS !== undefined ? { threads: env.CERTIFICATE_RENDER_THREADS } : {}),
      log: (level, message) => this.logger[level](message),
    });
  }

  /** Renders, signs and hashes `request` (pure CPU: nothing is stored). */
  signed(request: SignedCertificateRequest): Promise<SignedCertificate> {
    return this.pool.render(request);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
