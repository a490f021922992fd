import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '../outbox/outbox.module.js';
import { SystemPing } from './system-ping.entity.js';
import { QueueDashboardController } from '../queue/queue-dashboard.js';
import { SystemController } from './system.controller.js';
import { SystemPingHandler } from './system-ping.handler.js';
import { SystemService } from './system.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([SystemPing]), OutboxModule],
  controllers: [SystemController, QueueDashboardController],
  providers: [SystemService],
  exports: [SystemService],
})
export class SystemModule {}

@Module({
  imports: [TypeOrmModule.forFeature([SystemPing])],
  providers: [SystemPingHandler],
})
export class SystemJobsModule {}
