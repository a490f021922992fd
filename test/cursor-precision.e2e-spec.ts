import pg from 'pg';
import { approvedVerification, certificateWorld, type CertificateWorld } from './support/certificates.js';
import { allPages, as, ok } from './support/http.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';

/**
 * Keyset cursors carry an instant as the API writes it (`toISOString()`: milliseconds). PostgreSQL
 * keeps microseconds, so rows stamped within the same millisecond used to fall between two pages:
 * the cursor's instant compared lower than all of them, and `(at, id) < cursor` skipped every one
 * but the first. The columns lists are ordered by are kept at millisecond precision, so what the
 * cursor says is exactly what the row holds.
 */
describe('list cursors and rows stamped within one millisecond', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  let db: pg.Client;

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true });
    w = await certificateWorld(sys);
    db = new pg.Client({ connectionString: sys.db.url });
    await db.connect();
    for (let i = 0; i < 3; i++) await approvedVerification(w);
    await eventually(async () => {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM certificate');
      return rows[0]!.n === 3 || undefined;
    }, 60_000);
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await sys?.close();
  });

  /** Stamps the table's rows 0.1234, 0.1233, 0.1232 … s past one instant (what a busy worker can do). */
  async function sameMillisecond(table: string, column: string): Promise<void> {
    // Behind the API, as the superuser: issued rows are otherwise immutable (triggers).
    await db.query('SET session_replication_role = replica');
    await db.query(
      `UPDATE ${table} t SET ${column} = timestamptz '2026-11-30 03:00:00.1234+00' - (s.n * interval '100 microseconds')
         FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM ${table}) s WHERE s.id = t.id`,
    );
    await db.query('SET session_replication_role = DEFAULT');
  }

  it('pages through every certificate, one per page', async () => {
    await sameMillisecond('certificate', 'issued_at');
    const seen = await allPages<{ id: string }>((cursor) =>
      as(sys, w.admin)
        .get('/certificates')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .then((r) => ok(r, 'certificate page')),
    );
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((c) => c.id)).size).toBe(3);
  });

  it('pages through every calibration result, one per page', async () => {
    await sameMillisecond('calibration_result', 'created_at');
    const seen = await allPages<{ id: string }>((cursor) =>
      as(sys, w.admin)
        .get('/results')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .then((r) => ok(r, 'result page')),
    );
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.id)).size).toBe(3);
  });
});
