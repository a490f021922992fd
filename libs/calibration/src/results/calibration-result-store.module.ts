import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/core';
import { CalibrationResultRepository } from './calibration-result.repository.js';

/**
 * The results' SQL (CalibrationResultRepository), for this library's own modules: not in index.ts,
 * and no other library's module imports it (scripts/check-library-ownership.mjs). Other libraries
 * use CalibrationReadModule's services.
 */
@Module({ imports: [DatabaseModule], providers: [CalibrationResultRepository], exports: [CalibrationResultRepository] })
export class CalibrationResultStoreModule {}
