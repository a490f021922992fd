import { DataSource } from 'typeorm';
import { pendingSchemaDrift, runMigrations } from '#libs/core';
import { dataSourceOptions, SCHEMA } from '#libs/platform';
import { createTestDatabase, type TestDatabase } from './support/database.js';

/** The search extensions installed in the database. */
async function extensions(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm') ORDER BY extname`,
  )) as { extname: string }[];
  return rows.map((r) => r.extname);
}

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
      expect(await extensions(ds)).toEqual([]);
    } finally {
      await ds.destroy();
    }
    expect((await runMigrations(options)).applied).toEqual(first.applied);
  });

  it('revert drops the search extensions only when the migrations created them', async () => {
    const own = await createTestDatabase();
    try {
      const options = dataSourceOptions(own.url);
      const ds = new DataSource(options);
      await ds.initialize();
      try {
        await ds.query(`CREATE EXTENSION pg_trgm`); // there before the migrations, e.g. a DBA's
        const applied = (await runMigrations(options)).applied;
        expect(await extensions(ds)).toEqual(['pg_trgm', 'unaccent']);
        for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
        expect(await extensions(ds)).toEqual(['pg_trgm']);
      } finally {
        await ds.destroy();
      }
    } finally {
      await own.drop();
    }
  });

  it('replace remote error text already in the webhook delivery log with fixed categories', async () => {
    const options = dataSourceOptions(db.url);
    await runMigrations(options);
    const names = (SCHEMA.migrations as { name: string }[]).map((m) => m.name);
    const ds = new DataSource(options);
    await ds.initialize();
    try {
      const undo = names.length - names.indexOf('WebhookSealedSecretsAndErrorCategories1795450000000');
      for (let i = 0; i < undo; i++) await ds.undoLastMigration({ transaction: 'each' });
      const [org] = (await ds.query(
        `INSERT INTO organization (name, tax_code, street_address, province) VALUES ('X', '0101010101', '1 A', 'B') RETURNING id`,
      )) as { id: string }[];
      const [endpoint] = (await ds.query(
        `INSERT INTO webhook_endpoint (organization_id, url, secret, events) VALUES ($1, 'https://x.vn/', 'whsec_x', ARRAY['webhook.test']) RETURNING id`,
        [org!.id],
      )) as { id: string }[];
      const logged = [
        'HTTP 503',
        'TypeError: fetch failed',
        'Error: connect ECONNREFUSED 10.0.0.1:5432',
        'endpoint deleted',
        null,
      ];
      for (const text of logged)
        await ds.query(
          `WITH d AS (INSERT INTO webhook_delivery (endpoint_id, event_id, event_type, payload, last_error)
                      VALUES ($1, gen_random_uuid(), 'webhook.test', '{}', $2) RETURNING id)
           INSERT INTO webhook_attempt (delivery_id, attempt_no, duration_ms, error) SELECT id, 1, 5, $2 FROM d`,
          [endpoint!.id, text],
        );
      await runMigrations(options);
      const rows = (await ds.query(
        `SELECT d.last_error, a.error FROM webhook_delivery d JOIN webhook_attempt a ON a.delivery_id = d.id ORDER BY d.last_error NULLS LAST`,
      )) as { last_error: string | null; error: string | null }[];
      expect(rows.map((r) => r.last_error)).toEqual([
        'endpoint_deleted',
        'http_503',
        'network_error',
        'network_error',
        null,
      ]);
      expect(rows.map((r) => r.error)).toEqual(rows.map((r) => r.last_error));
      // The plaintext secret stays until the API seals it at start-up.
      expect(await ds.query(`SELECT secret, secret_sealed FROM webhook_endpoint`)).toEqual([
        { secret: 'whsec_x', secret_sealed: null },
      ]);
    } finally {
      await ds.destroy();
    }
  });

  it('give existing organizations and instruments the current province their province text names', async () => {
    const options = dataSourceOptions(db.url);
    await runMigrations(options);
    const names = (SCHEMA.migrations as { name: string }[]).map((m) => m.name);
    const ds = new DataSource(options);
    await ds.initialize();
    try {
      const undo = names.length - names.indexOf('AdminUnits1795476000000');
      for (let i = 0; i < undo; i++) await ds.undoLastMigration({ transaction: 'each' });
      const org = async (taxCode: string, province: string): Promise<string> =>
        (
          (await ds.query(
            `INSERT INTO organization (name, tax_code, street_address, province) VALUES ('X', $1, '1 A', $2) RETURNING id`,
            [taxCode, province],
          )) as { id: string }[]
        )[0]!.id;
      const ninhThuan = await org('0202020201', 'Tỉnh Ninh Thuận');
      const hcm = await org('0202020202', 'TP. Hồ Chí Minh');
      const unknown = await org('0202020203', 'Atlantis');
      await runMigrations(options);
      const province = async (id: string): Promise<string | null> =>
        (
          (await ds.query(
            `SELECT u.name FROM organization o LEFT JOIN admin_unit u ON u.id = o.province_unit_id WHERE o.id = $1`,
            [id],
          )) as { name: string | null }[]
        )[0]!.name;
      expect([await province(ninhThuan), await province(hcm), await province(unknown)]).toEqual([
        'Khánh Hòa',
        'Hồ Chí Minh',
        null,
      ]);
    } finally {
      await ds.destroy();
    }
  });
});
