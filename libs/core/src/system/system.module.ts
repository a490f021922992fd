import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { SystemPing } from './system-ping.entity.js';
import { QueueModule } from '../queue/queue.module.js';
import { QueueDashboardController } from '../queue/queue-dashboard.js';
import { SystemController } from './system.controller.js';
import { SystemPingHandler } from './system-ping.handler.js';
import { SystemService } from './system.service.js';

@Module({
  imports: [DatabaseModule.forFeature([SystemPing]), OutboxModule, QueueModule],
  controllers: [SystemController, QueueDashboardController],
  providers: [SystemService],
  exports: [SystemService],
})
export class SystemModule {}

@Module({
  imports: [DatabaseModule.forFeature([SystemPing])],
  providers: [SystemPingHandler],
})
export class SystemJobsModule {}
