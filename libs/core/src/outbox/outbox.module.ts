import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module.js';
import { ENV } from '../config/config.module.js';
import type { Env } from '../config/env.js';
import { QueueModule } from '../queue/queue.module.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxReconciler } from './outbox-reconciler.js';
import { Outbox, OutboxSweeper } from './outbox.service.js';
import { OutboxRepository } from './outbox.repository.js';

/** How often the worker flushes what the API's after-commit flush left (a crash, the queue down). */
const FLUSH_EVERY_MS = 1000;

/** The outbox's SQL, for the outbox's own modules: not in #libs/core's index, no other library imports it. */
@Module({
  imports: [DatabaseModule.forFeature([OutboxMessage])],
  providers: [OutboxRepository],
  exports: [OutboxRepository],
})
class OutboxStoreModule {}

@Module({
  imports: [OutboxStoreModule, QueueModule],
  providers: [Outbox],
  exports: [Outbox],
})
export class OutboxModule {}

/** Worker only: the periodic flush, reconciliation (OUTBOX_RECONCILE_INTERVAL_MS) and pruning (OUTBOX_RETENTION_DAYS). */
@Module({
  imports: [OutboxModule, OutboxStoreModule, QueueModule],
  providers: [
    OutboxReconciler,
    {
      provide: OutboxSweeper,
      useFactory: (outbox: Outbox, reconciler: OutboxReconciler, env: Env) =>
        new OutboxSweeper(
          outbox,
          reconciler,
          FLUSH_EVERY_MS,
          env.OUTBOX_RECONCILE_INTERVAL_MS,
          env.OUTBOX_RETENTION_DAYS,
        ),
      inject: [Outbox, OutboxReconciler, ENV],
    },
  ],
  exports: [OutboxReconciler],
})
export class OutboxSweeperModule {}
