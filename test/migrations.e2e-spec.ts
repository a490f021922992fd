import { DataSource } from 'typeorm';
import { pendingSchemaDrift, runMigrations } from '#libs/core';
import { dataSourceOptions, SCHEMA } from '#libs/platform';
import { createTestDatabase, type TestDatabase } from './support/database.js';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('apply on an empty database, leave no drift, revert all the way down and apply again', async () => {
    const options = dataSourceOptions(db.url);
    const first = await runMigrations(options);
    expect(first.applied).toHaveLength((SCHEMA.migrations as unknown[]).length);
    expect(await pendingSchemaDrift(options)).toEqual([]);
    expect((await runMigrations(options)).applied).toEqual([]);

    const ds = new DataSource(options);
    await ds.initialize();
    try {
      for (let i = 0; i < first.applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const tables = (await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations'`,
      )) as unknown[];
      expect(tables).toEqual([]);
    } finally {
      await ds.destroy();
    }
    expect((await runMigrations(options)).applied).toEqual(first.applied);
  });
});
