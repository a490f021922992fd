import { DataSource, type DataSourceOptions } from 'typeorm';

/** Arbitrary but fixed: serialises migration runs of several processes starting at once. */
const MIGRATION_LOCK_KEY = 720_417_001;

export interface MigrationReport {
  applied: string[];
}

/** Applies pending migrations, one transaction each, under an advisory lock. */
export async function runMigrations(options: DataSourceOptions): Promise<MigrationReport> {
  const ds = new DataSource(options);
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return { applied: applied.map((m) => m.name) };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
    await ds.destroy();
  }
}

/** SQL the entities would still need after the migrations: must be empty (no drift). */
export async function pendingSchemaDrift(options: DataSourceOptions): Promise<string[]> {
  const ds = new DataSource(options);
  await ds.initialize();
  try {
    const log = await ds.driver.createSchemaBuilder().log();
    return log.upQueries.map((q) => q.query);
  } finally {
    await ds.destroy();
  }
}
