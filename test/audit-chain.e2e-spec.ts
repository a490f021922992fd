import { resolve } from 'node:path';
import pg from 'pg';
import { AuditTrail, type AuditChainReport } from '#libs/audit';
import { loadEnv, Tx, UnitOfWork } from '#libs/core';
import { prepareRuntime } from '#libs/platform';
import { TEST_REDIS_URL } from './support/database.js';
import { DataSource } from 'typeorm';
import { as, expectStatus } from './support/http.js';
import { staffSession } from './support/factories.js';
import { ROOT, startScript, within } from './support/processes.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/** Runs `npm run audit:verify` (its compiled script) against the test database as the application role. */
async function auditVerify(sys: TestSystem): Promise<{ code: number | null; out: string }> {
  const proc = startScript(resolve(ROOT, 'dist/scripts/audit-verify.js'), {
    DATABASE_URL: sys.db.appUrl,
    DATA_DIR: sys.env.DATA_DIR,
    LOG_LEVEL: 'silent',
  });
  const exit = await within(proc.exited, 20000, 'audit:verify');
  return { code: exit.code, out: proc.stdout() + proc.stderr() };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('audit trail: least privilege and hash chain', () => {
  let sys: TestSystem;
  let audit: AuditTrail;
  let db: DataSource;
  const system = { kind: 'system' as const, name: 'test' };
  const record = (entityId: string, after: unknown = { n: entityId }): Promise<void> =>
    db.transaction((m) =>
      audit.record(new Tx(m), { actor: system, entity: 'instrument', entityId, action: 'create', after }),
    );

  beforeAll(async () => {
    sys = await startTestSystem();
    audit = sys.app.get(AuditTrail);
    db = sys.app.get(DataSource);
    for (let i = 0; i < 5; i++) await record(`seed-${i}`, { i, nested: { z: 1, a: [1, 'ü', null] } });
  });
  afterAll(async () => sys?.close());

  it('the application connects as a role that is no superuser and owns nothing', async () => {
    const [me] = (await db.query(
      `SELECT current_user AS role, r.rolsuper, r.rolbypassrls, r.rolreplication,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    )) as { role: string; rolsuper: boolean; rolbypassrls: boolean; rolreplication: boolean; owned: number }[];
    expect(me).toEqual({ role: 'tdc_app', rolsuper: false, rolbypassrls: false, rolreplication: false, owned: 0 });
  });

  it('start-up stops when DATABASE_URL, given apart from MIGRATION_DATABASE_URL, is a privileged role', async () => {
    const superuser = new URL(sys.db.url);
    superuser.protocol = 'postgresql:'; // the same superuser under another spelling: two URLs, one role
    const env = loadEnv({
      NODE_ENV: 'test',
      DATABASE_URL: superuser.toString(),
      MIGRATION_DATABASE_URL: sys.db.url,
      REDIS_URL: TEST_REDIS_URL,
      RUN_MIGRATIONS: 'false',
      DATA_DIR: sys.env.DATA_DIR,
    });
    await expect(prepareRuntime(env, { allowEmbedded: false, log: () => undefined })).rejects.toThrow(
      /DATABASE_URL must be the unprivileged application role: role postgres is a superuser;.*owns tables/,
    );
  });

  it.each([
    ['ALTER TABLE audit_event DISABLE TRIGGER ALL', /must be owner of table audit_event/],
    ['ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete', /must be owner of table audit_event/],
    ['SET session_replication_role = replica', /permission denied to set parameter "session_replication_role"/],
    [`UPDATE audit_event SET action = 'forged'`, /permission denied for table audit_event/],
    ['DELETE FROM audit_event', /permission denied for table audit_event/],
    ['TRUNCATE audit_event', /permission denied for table audit_event/],
    [`SELECT setval('audit_event_id_seq', 1)`, /permission denied for sequence audit_event_id_seq/],
    ['DELETE FROM request_history', /permission denied for table request_history/],
    ['UPDATE verification_stamp SET serial = serial', /permission denied for table verification_stamp/],
    ['DELETE FROM certificate', /permission denied for table certificate/],
    ['CREATE TABLE sneaky (id int)', /permission denied for schema public/],
    // The views libraries publish for each other (migration PublishedReadViews) are read-only: no
    // write privilege (a one-table view would otherwise write through), and joins are not updatable.
    [`UPDATE auth_staff_name_v SET full_name = 'forged'`, /permission denied for view auth_staff_name_v/],
    [`DELETE FROM requests_item_card_v`, /cannot delete from view "requests_item_card_v"/],
    [`UPDATE registry_instrument_card_v SET serial_number = 'x'`, /cannot update view "registry_instrument_card_v"/],
  ])('as the application role, %s is refused', async (sql, message) => {
    await expect(db.query(sql)).rejects.toThrow(message);
  });

  it('the application role reads the published views', async () => {
    for (const view of ['auth_staff_name_v', 'requests_item_card_v', 'registry_instrument_card_v'])
      await expect(db.query(`SELECT count(*)::int AS n FROM ${view}`)).resolves.toEqual([{ n: expect.any(Number) }]);
  });

  it('a clean chain verifies, over HTTP (admin only) and with npm run audit:verify', async () => {
    const admin = await staffSession(sys, ['admin']);
    const reviewer = await staffSession(sys, ['reviewer']);
    await expectStatus(as(sys, reviewer).get('/audit/verify'), 403);
    const report = await expectStatus<AuditChainReport>(as(sys, admin).get('/audit/verify'), 200);
    expect(report).toMatchObject({ valid: true, firstBroken: null });
    expect(report.entries).toBeGreaterThanOrEqual(5);
    const [stored] = (await db.query(`SELECT hash FROM audit_event WHERE id = $1`, [report.head!.id])) as {
      hash: string;
    }[];
    expect(report.head!.hash).toBe(stored!.hash);
    const cli = await auditVerify(sys);
    expect(cli).toMatchObject({ code: 0 });
    expect(cli.out).toMatch(/audit trail intact: \d+ entries, head id \d+ hash [0-9a-f]{64}/);
  });

  it('concurrent appends from parallel transactions form one chain, with ids in commit order', async () => {
    const before = (await audit.verify()).entries;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.transaction(async (m) => {
          await audit.record(new Tx(m), { actor: system, entity: 'instrument', entityId: `c-${i}`, action: 'create' });
          await m.query('SELECT pg_sleep(0.005)');
          await audit.record(new Tx(m), { actor: system, entity: 'instrument', entityId: `c-${i}`, action: 'update' });
        }),
      ),
    );
    const report = await audit.verify();
    expect(report).toMatchObject({ valid: true, entries: before + 80 });
    // Both entries of one transaction are adjacent: appends queue from a transaction's first entry to its commit.
    const rows = (await db.query(`SELECT entity_id FROM audit_event WHERE entity_id LIKE 'c-%' ORDER BY id`)) as {
      entity_id: string;
    }[];
    for (let i = 0; i < rows.length; i += 2) expect(rows[i + 1]!.entity_id).toBe(rows[i]!.entity_id);
  });

  it("a unit of work writes its entries just before it commits: an open one holds no other's entries up", async () => {
    const uow = sys.app.get(UnitOfWork);
    const entry = (entityId: string, action: string) => ({ actor: system, entity: 'instrument', entityId, action });
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const open = uow.run(async (tx) => {
      await audit.record(tx, entry('u-open', 'create'));
      await tx.manager.query('SELECT 1');
      await audit.record(tx, entry('u-open', 'update'));
      await gate;
    });
    await new Promise((r) => setTimeout(r, 100));
    // Written at once, the open transaction's first entry would hold the chain's lock until it commits.
    await within(
      uow.run((tx) => audit.record(tx, entry('u-other', 'create'))),
      5000,
      'an audited unit of work committing while another is open',
    );
    release();
    await open;
    const report = await audit.verify();
    expect(report).toMatchObject({ valid: true, firstBroken: null });
    const rows = (await db.query(
      `SELECT entity_id, action FROM audit_event WHERE entity_id LIKE 'u-%' ORDER BY id`,
    )) as { entity_id: string; action: string }[];
    expect(rows).toEqual([
      { entity_id: 'u-other', action: 'create' },
      { entity_id: 'u-open', action: 'create' },
      { entity_id: 'u-open', action: 'update' },
    ]);
  });

  it('an UPDATE made as the owner (triggers off) is named by GET /audit/verify and npm run audit:verify', async () => {
    const admin = await staffSession(sys, ['admin']);
    const [target] = (await db.query(`SELECT id::text AS id, hash FROM audit_event WHERE entity_id = 'seed-2'`)) as {
      id: string;
      hash: string;
    }[];
    const [{ position }] = (await db.query(`SELECT count(*)::int AS position FROM audit_event WHERE id <= $1`, [
      target!.id,
    ])) as { position: number }[];
    await withClient(sys.db.url, async (owner) => {
      await owner.query('BEGIN');
      await owner.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
      await owner.query(`UPDATE audit_event SET after = '{"n":"forged"}' WHERE id = $1`, [target!.id]);
      await owner.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
      await owner.query('COMMIT');
    });
    const report = await expectStatus<AuditChainReport>(as(sys, admin).get('/audit/verify'), 200);
    expect(report).toMatchObject({
      valid: false,
      firstBroken: { id: target!.id, position, field: 'hash', found: target!.hash },
    });
    expect(report.firstBroken!.expected).toMatch(/^[0-9a-f]{64}$/);
    expect(report.firstBroken!.expected).not.toBe(target!.hash);
    const cli = await auditVerify(sys);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`BROKEN at entry id ${target!.id} (position ${position})`);
  });

  it('a row deleted by the owner breaks the link of the entry after it', async () => {
    const ids = (await db.query(
      `SELECT e.id::text AS id FROM audit_event e WHERE e.entity_id LIKE 'seed-%' ORDER BY e.id`,
    )) as {
      id: string;
    }[];
    await withClient(sys.db.url, async (owner) => {
      await owner.query('BEGIN');
      await owner.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
      const deleted = await owner.query(`DELETE FROM audit_event WHERE id = $1`, [ids[0]!.id]);
      expect(deleted.rowCount).toBe(1);
      await owner.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
      await owner.query('COMMIT');
    });
    const report = await audit.verify();
    expect(report.firstBroken).toMatchObject({ id: ids[1]!.id, position: 1, field: 'prevHash' });
  });
});
