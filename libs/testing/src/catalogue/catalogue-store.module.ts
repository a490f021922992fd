import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/core';
import { CatalogueRepository } from './catalogue.repository.js';

/**
 * The catalogue's SQL (CatalogueRepository), one instance for this library's modules (the HTTP side
 * and TestingReadModule): not in index.ts, and no other library's module imports it.
 */
@Module({ imports: [DatabaseModule], providers: [CatalogueRepository], exports: [CatalogueRepository] })
export class CatalogueStoreModule {}
