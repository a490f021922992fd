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
  private readonly drawAhead: boolean;

  constructor(@Inject(ENV) env: Env) {
    this.drawAhead = env.CERTIFICATE_DRAW_AHEAD;
    this.pool = new RenderPool({
      ...(env.CERTIFICATE_RENDER_THREADS !== undefined ? { threads: env.CERTIFICATE_RENDER_THREADS } : {}),
      log: (level, message) => this.logger[level](message),
    });
  }

  /**
   * Renders, signs and hashes `request` (pure CPU: nothing is stored). `urgent`: the caller holds its
   * series (a number taken): ahead of the documents waiting that are only drawn ahead of their number.
   */
  signed(request: SignedCertificateRequest, urgent: boolean): Promise<SignedCertificate> {
    return this.pool.render(request, { urgent });
  }

  /**
   * Whether an issue may draw its document ahead of its number (CertificateIssuer): allowed
   * (CERTIFICATE_DRAW_AHEAD), and drawn beside the issuing thread (render threads started), so that
   * it costs that thread nothing.
   */
  get drawsAhead(): boolean {
    return this.drawAhead && this.pool.rendersAside;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
