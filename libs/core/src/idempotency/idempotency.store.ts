import type { DataSource, Repository } from 'typeorm';
import { IdempotencyRecord } from './idempotency-record.entity.js';

export type NewIdempotencyRecord = Pick<
  IdempotencyRecord,
  'scope' | 'key' | 'method' | 'path' | 'requestHash' | 'state' | 'expiresAt'
>;

/**
 * The idempotency keys' table (`idempotency_record`), for the interceptor. A store class rather than
 * an injectable repository: the interceptor is core HTTP infrastructure built once by the app
 * module's APP_INTERCEPTOR, not an aggregate of a library's use cases.
 */
export class IdempotencyStore {
  private readonly records: Repository<IdempotencyRecord>;

  constructor(db: DataSource) {
    this.records = db.getRepository(IdempotencyRecord);
  }

  async purgeExpired(): Promise<void> {
    await this.records.createQueryBuilder().delete().where('expires_at < now()').execute();
  }

  /** Inserts the record unless the caller's key is taken; whether it was inserted. */
  async claim(record: NewIdempotencyRecord): Promise<boolean> {
    const inserted = await this.records.createQueryBuilder().insert().values(record).orIgnore().execute();
    return (inserted.raw as unknown[]).length > 0;
  }

  find(scope: string, key: string): Promise<IdempotencyRecord> {
    return this.records.findOneByOrFail({ scope, key });
  }

  /** Takes over an in-progress record left by a crashed request. */
  async restart(scope: string, key: string, at: Date): Promise<void> {
    await this.records.update({ scope, key }, { createdAt: at });
  }

  async complete(scope: string, key: string, responseStatus: number, responseBody: object | null): Promise<void> {
    await this.records.update(
      { scope, key },
      { state: 'completed', responseStatus, responseBody: responseBody as object },
    );
  }

  async forget(scope: string, key: string): Promise<void> {
    await this.records.delete({ scope, key });
  }
}
