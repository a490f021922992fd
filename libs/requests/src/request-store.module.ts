import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/core';
import { RequestRepository } from './request.repository.js';

/**
 * The requests' SQL (RequestRepository), for this library's own modules: not in index.ts, and no
 * other library's module imports it (scripts/check-library-ownership.mjs). Other libraries use
 * RequestWorkflowModule's services.
 */
@Module({ imports: [DatabaseModule], providers: [RequestRepository], exports: [RequestRepository] })
export class RequestStoreModule {}
