import { Module, type DynamicModule } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken, getEntityManagerToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { givenByRoot } from '../runtime/given-by-root.js';

type Entities = NonNullable<Parameters<typeof TypeOrmModule.forFeature>[0]>;

/** The process's DataSource as the app root gives it (DatabaseModule.forRoot); read only by DatabaseModule. */
const ROOT_DATA_SOURCE = Symbol('DatabaseModule.forRoot');

/** Holds the DataSource the app root was given; imported by the app root only, exports nothing. */
@Module({})
class DatabaseRootModule {}

/**
 * The process's one DataSource, for every Nest context it runs: `npm start` runs the API and the
 * worker in one process, and each context registering `TypeOrmModule.forRoot()` would make a
 * second pool under the same name "default" (which @nestjs/typeorm warns about, and whose shutdown
 * of one context would unregister the other's). The process opens the DataSource before Nest
 * (prepareRuntime in #libs/platform) and closes it after every context (Runtime.stop).
 *
 * Not global: the app root imports `DatabaseModule.forRoot(dataSource)` once, and every module that
 * injects the DataSource or the EntityManager imports `DatabaseModule`, which provides them under
 * @nestjs/typeorm's own tokens (`@InjectDataSource()`, the health check). Repositories of
 * `@InjectRepository()` come from `DatabaseModule.forFeature(entities)`.
 */
@Module({
  providers: [
    {
      provide: getDataSourceToken(),
      inject: [ModuleRef],
      useFactory: (ref: ModuleRef) =>
        givenByRoot<DataSource>(ref, ROOT_DATA_SOURCE, 'DatabaseModule.forRoot(dataSource)'),
    },
    { provide: getEntityManagerToken(), inject: [getDataSourceToken()], useFactory: (db: DataSource) => db.manager },
  ],
  exports: [getDataSourceToken(), getEntityManagerToken()],
})
export class DatabaseModule {
  /**
   * The app root's import: the DataSource the process opened before Nest. It also gives the root's
   * own providers (e.g. the idempotency interceptor) what `DatabaseModule` gives.
   */
  static forRoot(dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseRootModule,
      imports: [DatabaseModule],
      providers: [{ provide: ROOT_DATA_SOURCE, useValue: dataSource }],
      exports: [DatabaseModule],
    };
  }

  /**
   * `TypeOrmModule.forFeature(entities)` on this DataSource: the entities' `@InjectRepository()`
   * repositories, and what `DatabaseModule` gives (the DataSource, the EntityManager).
   */
  static forFeature(entities: Entities): DynamicModule {
    const feature = TypeOrmModule.forFeature(entities);
    return { ...feature, imports: [DatabaseModule], exports: [...(feature.exports ?? []), DatabaseModule] };
  }
}
