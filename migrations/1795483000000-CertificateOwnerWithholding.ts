import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The certificate trigger as CreateCertificates wrote it: its body is restored by down(). */
const KEEP_AS_ISSUED_BEFORE = `
            DECLARE
                revocation CONSTANT text[] := ARRAY['revoked_at', 'revoked_by', 'revocation_reason'];
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'certificate % is issued: it is never deleted (revoke it)', OLD.number;
                END IF;
                IF (to_jsonb(NEW) - revocation) IS DISTINCT FROM (to_jsonb(OLD) - revocation) THEN
                    RAISE EXCEPTION 'certificate % is issued: its content is never edited (amend it: a new certificate replaces it)', OLD.number;
                END IF;
                IF OLD.revoked_at IS NOT NULL AND (to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD)) THEN
                    RAISE EXCEPTION 'certificate % is revoked: its revocation is never changed', OLD.number;
                END IF;
                RETURN NEW;
            END`;

/** Besides its revocation (once), an issued certificate may only be released to its owner (once). */
const KEEP_AS_ISSUED = `
            DECLARE
                revocation CONSTANT text[] := ARRAY['revoked_at', 'revoked_by', 'revocation_reason', 'withheld_from_owner'];
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'certificate % is issued: it is never deleted (revoke it)', OLD.number;
                END IF;
                IF (to_jsonb(NEW) - revocation) IS DISTINCT FROM (to_jsonb(OLD) - revocation) THEN
                    RAISE EXCEPTION 'certificate % is issued: its content is never edited (amend it: a new certificate replaces it)', OLD.number;
                END IF;
                IF NEW.withheld_from_owner AND NOT OLD.withheld_from_owner THEN
                    RAISE EXCEPTION 'certificate % was released to its owner: it is never withheld again', OLD.number;
                END IF;
                IF OLD.revoked_at IS NOT NULL
                   AND (to_jsonb(NEW) - 'withheld_from_owner') IS DISTINCT FROM (to_jsonb(OLD) - 'withheld_from_owner') THEN
                    RAISE EXCEPTION 'certificate % is revoked: its revocation is never changed', OLD.number;
                END IF;
                RETURN NEW;
            END`;

/**
 * Documents withheld from their owner until released (issue 14: an inspector's sample — the owner
 * does not see the result before the inspecting authority): `certificate.withheld_from_owner`, set
 * at issue from the draft and cleared once by the release; `certificate_owner_release`, the request
 * items released, which an issue after the release reads. The trigger lets the flag go from true to
 * false (also on a revoked certificate), never back.
 */
export class CertificateOwnerWithholding1795483000000 implements MigrationInterface {
  name = 'CertificateOwnerWithholding1795483000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "certificate" ADD "withheld_from_owner" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
            CREATE TABLE "certificate_owner_release" (
                "request_item_id" uuid NOT NULL,
                "released_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_certificate_owner_release" PRIMARY KEY ("request_item_id")
            )
        `);
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION "certificate_keep_as_issued"() RETURNS trigger LANGUAGE plpgsql AS $$${KEEP_AS_ISSUED} $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION "certificate_keep_as_issued"() RETURNS trigger LANGUAGE plpgsql AS $$${KEEP_AS_ISSUED_BEFORE} $$`,
    );
    await queryRunner.query(`DROP TABLE "certificate_owner_release"`);
    await queryRunner.query(`ALTER TABLE "certificate" DROP COLUMN "withheld_from_owner"`);
  }
}
