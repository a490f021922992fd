import pg from 'pg';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity/migration classes
type ClassList = MixedList<Function | string | EntitySchema>;

export interface SchemaParts {
  entities: ClassList;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  migrations: MixedList<Function | string>;
}

const NUMERIC_ARRAY_OID = 1231;
const TEXT_ARRAY_OID = 1009;

/**
 * node-postgres returns numeric as a string but numeric[] as JS floats (pg-types parseFloatArray),
 * losing digits; measured values never travel as floats, so numeric[] is read as string[] like text[].
 */
const getTypeParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => (value: string) => unknown;
export const PG_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
    oid === NUMERIC_ARRAY_OID && format !== 'binary'
      ? getTypeParser(TEXT_ARRAY_OID, 'text')
      : getTypeParser(oid, format),
};

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
    extra: { max: 20, application_name: 'tdc-lims', types: PG_TYPES },
  };
}
