import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The role the application connects as (libs/core APP_ROLE); a fixed name, so that grants live here. */
const APP_ROLE = 'tdc_app';

/** Rows are written once and read: no UPDATE, DELETE or TRUNCATE even for the application (their triggers agree). */
const APPEND_ONLY = [
  'audit_event',
  'request_history',
  'calibration_result_point',
  'calibration_result_standard',
  'verification_stamp',
];
/** Updated under a trigger's rules (review columns, revocation), never deleted. */
const NEVER_DELETED = ['calibration_result_revision', 'certificate'];

/**
 * Least privilege: the application's role owns nothing (so it cannot ALTER a table or DISABLE
 * TRIGGER) and gets only the privileges it uses. ALTER DEFAULT PRIVILEGES gives tables and
 * sequences the migration role creates later the same ordinary grants; a migration that creates an
 * append-only table revokes UPDATE and DELETE on it, as this one does. The role is created
 * (NOLOGIN) when missing: the migration role then needs CREATEROLE; the embedded database and
 * docker-compose create it beforehand, with LOGIN.
 */
export class ApplicationRoleGrants1795452000000 implements MigrationInterface {
  name = 'ApplicationRoleGrants1795452000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
                    CREATE ROLE ${APP_ROLE} NOLOGIN;
                END IF;
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by a parallel migration
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'role ${APP_ROLE} does not exist and % may not create it: create it (CREATE ROLE ${APP_ROLE} LOGIN PASSWORD ''…'') or give the migration role CREATEROLE', current_user;
            END $$
        `);
    // PostgreSQL < 15 lets every role create tables in public; from 15 on this is already so.
    await queryRunner.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    await queryRunner.query(`REVOKE ALL ON typeorm_migrations FROM ${APP_ROLE}`);
    await queryRunner.query(`REVOKE UPDATE, DELETE ON ${APPEND_ONLY.join(', ')} FROM ${APP_ROLE}`);
    await queryRunner.query(`REVOKE DELETE ON ${NEVER_DELETED.join(', ')} FROM ${APP_ROLE}`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM ${APP_ROLE}`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ${APP_ROLE}`,
    );
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE}`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_ROLE}`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE}`);
    // The role itself stays: it is shared by every database of the server and may be in use.
  }
}
