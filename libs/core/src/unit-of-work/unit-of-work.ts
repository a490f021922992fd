import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseModule } from '../database/database.module.js';

export type AfterCommitHook = () => Promise<void> | void;

/**
 * Rows of one kind that a transaction writes once, just before it commits, however many services
 * added to them (e.g. the audit trail's entries: one multi-row INSERT per transaction). `key`
 * identifies the batch (a module-level Symbol); `write` must write every row it is given, in order.
 */
export interface BeforeCommitBatch<T> {
  readonly key: symbol;
  write(manager: EntityManager, rows: T[]): Promise<void>;
}

interface PendingBatch {
  rows: unknown[];
  write(manager: EntityManager, rows: unknown[]): Promise<void>;
}

/**
 * One transaction of a use case: its EntityManager and what to do once it has committed. Services
 * that join a caller's transaction take it as their first parameter, named `tx`.
 */
export class Tx {
  private readonly hooks: AfterCommitHook[] = [];
  private readonly batches = new Map<symbol, PendingBatch>();

  /**
   * `deferWrites`: UnitOfWork's transactions hold writeBeforeCommit's rows until just before COMMIT.
   * A Tx made by hand around a transaction (`new Tx(manager)`, in tests) writes them at once, since
   * nothing would write them later.
   */
  constructor(
    readonly manager: EntityManager,
    private readonly options: { deferWrites?: boolean } = {},
  ) {}

  /**
   * Adds rows to the transaction's batch `batch`, written in one call of `batch.write` just before
   * the transaction commits (inside it: a failing write rolls everything back), after everything
   * the use case did. Rows keep the order they were added in. Fewer statements, and what a write
   * locks (the audit trail's hash chain) is held only from the end of the use case to its commit.
   */
  async writeBeforeCommit<T>(batch: BeforeCommitBatch<T>, rows: readonly T[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.options.deferWrites) return batch.write(this.manager, [...rows]);
    const pending = this.batches.get(batch.key);
    if (pending) pending.rows.push(...rows);
    else this.batches.set(batch.key, { rows: [...rows], write: batch.write as PendingBatch['write'] });
  }

  /** @internal UnitOfWork only: writes the pending batches, in the order each was first added to. */
  async beforeCommit(): Promise<void> {
    // A write may add rows to another batch: until none is left.
    for (let next = this.batches.entries().next(); !next.done; next = this.batches.entries().next()) {
      const [key, batch] = next.value;
      this.batches.delete(key);
      await batch.write(this.manager, batch.rows);
    }
  }

  /**
   * Runs `hook` after the transaction commits, after the hooks registered before it; never on
   * rollback. Best effort: an error is logged, not thrown (e.g. the outbox sweeper retries a flush).
   */
  afterCommit(hook: AfterCommitHook): void {
    this.hooks.push(hook);
  }

  /** @internal UnitOfWork only. */
  async committed(logger: Logger): Promise<void> {
    // Index loop: a hook may register another one.
    for (let i = 0; i < this.hooks.length; i++) {
      try {
        await this.hooks[i]!();
      } catch (e) {
        logger.warn(`after-commit hook failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

/**
 * Opens the use case's transaction, or joins the caller's (vendure's TransactionalConnection): the
 * outermost `run` writes the batches every service that joined it added (writeBeforeCommit), commits,
 * and then runs their afterCommit hooks.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger('UnitOfWork');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Joins `tx` when given (hooks run when its owner commits), else opens a transaction. */
  run<T>(tx: Tx | undefined, work: (tx: Tx) => Promise<T>): Promise<T>;
  async run<T>(a: Tx | undefined | ((tx: Tx) => Promise<T>), b?: (tx: Tx) => Promise<T>): Promise<T> {
    const work = typeof a === 'function' ? a : b!;
    const joined = typeof a === 'function' ? undefined : a;
    if (joined) return work(joined);
    let tx: Tx | undefined;
    const result = await this.db.transaction(async (m) => {
      tx = new Tx(m, { deferWrites: true });
      const done = await work(tx);
      await tx.beforeCommit();
      return done;
    });
    await tx!.committed(this.logger);
    return result;
  }
}

/** Global, like configuration and logging: every library's use cases open their transactions here. */
@Global()
@Module({ imports: [DatabaseModule], providers: [UnitOfWork], exports: [UnitOfWork] })
export class UnitOfWorkModule {}
