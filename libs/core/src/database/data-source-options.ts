import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity/migration classes
type ClassList = MixedList<Function | string | EntitySchema>;

export interface SchemaParts {
  entities: ClassList;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  migrations: MixedList<Function | string>;
}

/** The one place that says how TĐC LIMS talks to PostgreSQL; used by the apps, the migration CLI and the tests. */
export function buildDataSourceOptions(url: string, schema: SchemaParts, logQueryErrors = true): DataSourceOptions {
  return {
    type: 'postgres',
    uuidExtension: 'pgcrypto',
    url,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: logQueryErrors ? ['error'] : false,
    extra: { max: 20, application_name: 'tdc-lims' },
  };
}
