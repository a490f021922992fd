import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ENV, type Env } from '#libs/core';
import { CertificateRepository } from '../certificate.repository.js';
import { CERTIFICATE_STORAGE, type CertificateStorage, type StoredFile } from './certificate-storage.js';

const BATCH = 500;

export interface SweepReport {
  examined: number;
  removed: string[];
}

/**
 * Worker only: removes stored certificate files that no certificate row points at once they are
 * older than STORED_FILE_GRACE_MS, e.g. the file of an issue whose transaction rolled back, or a
 * partial file a crash left. An issue writes its file before its row commits, so a young file is
 * never touched; a file re-put by a retry is dated anew by the storage.
 */
@Injectable()
export class StoredFileSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Certificates');
  private timer?: NodeJS.Timeout;
  private running?: Promise<SweepReport>;

  constructor(
    @Inject(CERTIFICATE_STORAGE) private readonly storage: CertificateStorage,
    private readonly certificates: CertificateRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepLogged(), this.env.STORED_FILE_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async sweepLogged(): Promise<void> {
    try {
      const report = await this.sweep();
      if (report.removed.length)
        this.logger.log(`removed ${report.removed.length} stored files no certificate points at`);
    } catch (e) {
      this.logger.warn(`stored-file sweep failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** One pass over the storage; one at a time per process. */
  sweep(now = new Date()): Promise<SweepReport> {
    this.running ??= this.pass(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(now: Date): Promise<SweepReport> {
    const cutoff = now.getTime() - this.env.STORED_FILE_GRACE_MS;
    const report: SweepReport = { examined: 0, removed: [] };
    let batch: StoredFile[] = [];
    for await (const file of this.storage.list()) {
      report.examined++;
      if (file.modifiedAt.getTime() < cutoff) batch.push(file);
      if (batch.length === BATCH) {
        await this.removeOrphans(batch, report);
        batch = [];
      }
    }
    await this.removeOrphans(batch, report);
    return report;
  }

  private async removeOrphans(files: StoredFile[], report: SweepReport): Promise<void> {
    const referenced = await this.certificates.referencedKeys(files.filter((f) => !f.partial).map((f) => f.key));
    for (const file of files) {
      if (referenced.has(file.key)) continue;
      await this.storage.remove(file.key);
      report.removed.push(file.key);
    }
  }
}
