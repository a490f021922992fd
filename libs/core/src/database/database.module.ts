import { Global, Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken, getEntityManagerToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * The process's one DataSource, for every Nest context it runs: `npm start` runs the API and the
 * worker in one process, and each context registering `TypeOrmModule.forRoot()` would make a
 * second pool under the same name "default" (which @nestjs/typeorm warns about, and whose shutdown
 * of one context would unregister the other's). The process opens the DataSource before Nest
 * (prepareRuntime in #libs/platform) and closes it after every context (Runtime.stop). Its tokens
 * are @nestjs/typeorm's, so `@InjectDataSource()`, `@InjectRepository()` (TypeOrmModule.forFeature)
 * and the health check find it as before.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(dataSource: DataSource): DynamicModule {
    const providers = [
      { provide: getDataSourceToken(), useValue: dataSource },
      { provide: getEntityManagerToken(), useValue: dataSource.manager },
    ];
    return { module: DatabaseModule, global: true, providers, exports: providers.map((p) => p.provide) };
  }
}
