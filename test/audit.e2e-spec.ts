import { AuditTrail } from '#libs/audit';
import { Tx } from '#libs/core';
import { DataSource } from 'typeorm';
import { startTestSystem, type TestSystem } from './support/system.js';

describe('audit trail', () => {
  let sys: TestSystem;
  let db: DataSource;
  beforeAll(async () => {
    sys = await startTestSystem();
    db = sys.app.get(DataSource);
  });
  afterAll(async () => sys?.close());

  const system = { kind: 'system' as const, name: 'test' };

  it('records entries in the caller transaction and lists them by entity', async () => {
    const audit = sys.app.get(AuditTrail);
    await db.transaction((m) =>
      audit.record(new Tx(m), {
        actor: system,
        entity: 'instrument',
        entityId: 'i-1',
        action: 'create',
        after: { serial: 'A1' },
      }),
    );
    await db.transaction((m) =>
      audit.record(new Tx(m), {
        actor: system,
        entity: 'instrument',
        entityId: 'i-1',
        action: 'update',
        before: { serial: 'A1' },
        after: { serial: 'A2' },
        reason: 'typo',
      }),
    );
    const page = await audit.list({ entity: 'instrument', id: 'i-1', limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ action: 'create', actor: { kind: 'system', name: 'test' } });
    const next = await audit.list({ entity: 'instrument', id: 'i-1', limit: 1, cursor: page.nextCursor! });
    expect(next.items[0]).toMatchObject({
      action: 'update',
      before: { serial: 'A1' },
      after: { serial: 'A2' },
      reason: 'typo',
    });
    expect(next.nextCursor).toBeNull();
  });

  it('rolls the entry back with the transaction that failed', async () => {
    const audit = sys.app.get(AuditTrail);
    await expect(
      db.transaction(async (m) => {
        await audit.record(new Tx(m), {
          actor: system,
          entity: 'instrument',
          entityId: 'i-rollback',
          action: 'create',
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await audit.list({ entity: 'instrument', id: 'i-rollback', limit: 10 })).items).toHaveLength(0);
  });

  it('is append-only in the database itself: even the owner gets UPDATE, DELETE and TRUNCATE refused by the trigger', async () => {
    // The application's role may not even try (test/audit-chain.e2e-spec.ts); the owner, who may, meets the trigger.
    const owner = new DataSource({ type: 'postgres', url: sys.db.url });
    await owner.initialize();
    try {
      await owner.query(
        `INSERT INTO audit_event (actor_kind, entity, entity_id, action) VALUES ('system', 'x', '1', 'create')`,
      );
      await expect(owner.query(`UPDATE audit_event SET action = 'forged'`)).rejects.toThrow(
        /append-only: UPDATE refused/,
      );
      await expect(owner.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only: DELETE refused/);
      await expect(owner.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only: TRUNCATE refused/);
      const [{ count }] = (await owner.query(
        `SELECT count(*)::int AS count FROM audit_event WHERE action = 'forged'`,
      )) as { count: number }[];
      expect(count).toBe(0);
    } finally {
      await owner.destroy();
    }
  });
});
