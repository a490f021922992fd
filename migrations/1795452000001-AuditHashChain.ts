import type { MigrationInterface, QueryRunner } from 'typeorm';

/** prev_hash of the first entry. */
const GENESIS = '0'.repeat(64);
/** Arbitrary but fixed: serialises appends to the audit trail (pg_advisory_xact_lock). */
const CHAIN_LOCK_KEY = 720_417_002;

/**
 * A tamper-evident audit trail: each entry stores the hash of the entry before it and its own hash,
 * SHA-256 over the canonical text of its content and prev_hash. The canonical text is PostgreSQL's
 * jsonb text of one object (keys in jsonb's fixed order, fixed spacing, no duplicate keys; the time
 * as UTC ISO text, independent of the session's TimeZone), so the trigger that writes it and the
 * verification that recomputes it (audit_event_hash) share one definition, whatever client writes.
 *
 * One chain under concurrency: the trigger takes a transaction-level advisory lock, then gives the
 * row its id from the sequence and links it to the last row. Appends of concurrent transactions
 * therefore queue from their first audit entry to their commit, and ids follow commit order (a
 * reader paging by id never misses a row committed later with a smaller id). UNIQUE(prev_hash)
 * turns any fork (e.g. a REPEATABLE READ snapshot that missed the last entry) into an error.
 */
export class AuditHashChain1795452000001 implements MigrationInterface {
  name = 'AuditHashChain1795452000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_event" ADD "prev_hash" text, ADD "hash" text`);
    await queryRunner.query(`
            CREATE FUNCTION audit_event_hash(e audit_event) RETURNS text LANGUAGE sql STABLE AS $$
                SELECT encode(sha256(convert_to(jsonb_build_object(
                    'id', e.id,
                    'occurredAt', to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    'actorKind', e.actor_kind,
                    'actorId', e.actor_id,
                    'actorName', e.actor_name,
                    'entity', e.entity,
                    'entityId', e.entity_id,
                    'action', e.action,
                    'before', e.before,
                    'after', e.after,
                    'reason', e.reason,
                    'prevHash', e.prev_hash
                )::text, 'UTF8')), 'hex')
            $$
        `);
    await this.chainExistingRows(queryRunner);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER "prev_hash" SET NOT NULL, ALTER "hash" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_event" ADD CONSTRAINT "UQ_audit_event_prev_hash" UNIQUE ("prev_hash")`);
    await queryRunner.query(`
            CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(${CHAIN_LOCK_KEY});
                NEW.id := nextval('audit_event_id_seq');
                NEW.prev_hash := COALESCE((SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1), '${GENESIS}');
                NEW.hash := audit_event_hash(NEW);
                RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_event_chain BEFORE INSERT ON "audit_event"
            FOR EACH ROW EXECUTE FUNCTION audit_event_chain()
        `);
  }

  /** Existing entries, in id order (the append-only trigger is off for this transaction only). */
  private async chainExistingRows(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_event" DISABLE TRIGGER audit_event_no_update_delete`);
    await queryRunner.query(`
            DO $$
            DECLARE
                r audit_event;
                prev text := '${GENESIS}';
            BEGIN
                FOR r IN SELECT * FROM audit_event ORDER BY id LOOP
                    r.prev_hash := prev;
                    prev := audit_event_hash(r);
                    UPDATE audit_event SET prev_hash = r.prev_hash, hash = prev WHERE id = r.id;
                END LOOP;
            END $$
        `);
    await queryRunner.query(`ALTER TABLE "audit_event" ENABLE TRIGGER audit_event_no_update_delete`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_event_chain ON "audit_event"`);
    await queryRunner.query(`DROP FUNCTION audit_event_chain()`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP CONSTRAINT "UQ_audit_event_prev_hash"`);
    await queryRunner.query(`DROP FUNCTION audit_event_hash(audit_event)`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "hash", DROP COLUMN "prev_hash"`);
  }
}
