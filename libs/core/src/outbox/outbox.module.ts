import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxMessage } from './outbox-message.entity.js';
import { Outbox, OutboxSweeper } from './outbox.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [Outbox],
  exports: [Outbox],
})
export class OutboxModule {}

/** Worker only: the periodic sweep. */
@Module({
  imports: [OutboxModule],
  providers: [
    { provide: OutboxSweeper, useFactory: (outbox: Outbox) => new OutboxSweeper(outbox, 1000), inject: [Outbox] },
  ],
})
export class OutboxSweeperModule {}
