import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export type AfterCommitHook = () => Promise<void> | void;

/**
 * One transaction of a use case: its EntityManager and what to do once it has committed. Services
 * that join a caller's transaction take it as their first parameter, named `tx`.
 */
export class Tx {
  private readonly hooks: AfterCommitHook[] = [];

  constructor(readonly manager: EntityManager) {}

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
 * outermost `run` commits and then runs the afterCommit hooks of every service that joined it.
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
    const result = await this.db.transaction((m) => work((tx = new Tx(m))));
    await tx!.committed(this.logger);
    return result;
  }
}

/** Global, like configuration and logging: every library's use cases open their transactions here. */
@Global()
@Module({ providers: [UnitOfWork], exports: [UnitOfWork] })
export class UnitOfWorkModule {}
