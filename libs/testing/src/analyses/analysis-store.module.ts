import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/core';
import { AnalysisRepository } from './analysis.repository.js';

/**
 * The analyses' SQL (AnalysisRepository), for this library's own modules: not in index.ts, and no
 * other library's module imports it (scripts/check-library-ownership.mjs). Other libraries use
 * TestingReadModule's services.
 */
@Module({ imports: [DatabaseModule], providers: [AnalysisRepository], exports: [AnalysisRepository] })
export class AnalysisStoreModule {}
