import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Certificates, their numbering series and verification stamps. The triggers (hand-written: TypeORM
 * cannot express them) keep an issued certificate as issued: nothing in it changes, except that its
 * revocation is recorded, once; stamps never change; neither is ever deleted.
 */

export class CreateCertificates1795437023599 implements MigrationInterface {
  name = 'CreateCertificates1795437023599';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "certificate_series" (
                "kind" text NOT NULL,
                "year" integer NOT NULL,
                "last" integer NOT NULL,
                CONSTRAINT "CHK_certificate_series_last" CHECK ("last" >= 0),
                CONSTRAINT "CHK_certificate_series_kind" CHECK (
                    "kind" IN (
                        'verification',
                        'calibration',
                        'test_report',
                        'stamp'
                    )
                ),
                CONSTRAINT "PK_9f2955203cb23a980e91c4936b8" PRIMARY KEY ("kind", "year")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "certificate" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "number" text NOT NULL,
                "kind" text NOT NULL,
                "year" integer NOT NULL,
                "sequence" integer NOT NULL,
                "result_revision_id" uuid NOT NULL,
                "result_id" uuid NOT NULL,
                "organization_id" uuid NOT NULL,
                "instrument_id" uuid,
                "request_item_id" uuid,
                "service" text NOT NULL,
                "outcome" text,
                "measurement_date" date NOT NULL,
                "issue_date" date NOT NULL,
                "valid_until" date,
                "item_type_name" text NOT NULL,
                "item_serial" text NOT NULL,
                "owner_name" text NOT NULL,
                "laboratory_name" text NOT NULL,
                "model" jsonb NOT NULL,
                "sha256" text NOT NULL,
                "storage_key" text NOT NULL,
                "byte_size" integer NOT NULL,
                "signer_fingerprint" text NOT NULL,
                "replaces_id" uuid,
                "amendment_reason" text,
                "issued_by" uuid,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "revoked_by" uuid,
                "revocation_reason" text,
                CONSTRAINT "CHK_certificate_revocation" CHECK (
                    ("revoked_at" IS NULL) = ("revocation_reason" IS NULL)
                    AND ("revoked_at" IS NULL) = ("revoked_by" IS NULL)
                ),
                CONSTRAINT "CHK_certificate_amendment" CHECK (
                    ("replaces_id" IS NULL) = ("amendment_reason" IS NULL)
                ),
                CONSTRAINT "CHK_certificate_sha256" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
                CONSTRAINT "CHK_certificate_outcome" CHECK (
                    "outcome" IS NULL
                    OR "outcome" IN (
                        'pass',
                        'fail',
                        'conditional_pass',
                        'conditional_fail'
                    )
                ),
                CONSTRAINT "CHK_certificate_kind" CHECK (
                    "kind" IN ('verification', 'calibration', 'test_report')
                ),
                CONSTRAINT "PK_8daddfc65f59e341c2bbc9c9e43" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_certificate_request_item" ON "certificate" ("request_item_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_certificate_instrument" ON "certificate" ("instrument_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_certificate_issued" ON "certificate" ("issued_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_certificate_organization" ON "certificate" ("organization_id", "issued_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_certificate_sha256" ON "certificate" ("sha256")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_certificate_replaces" ON "certificate" ("replaces_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_certificate_result" ON "certificate" ("result_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_certificate_result_revision" ON "certificate" ("result_revision_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_certificate_result_revision" ON "certificate" ("result_revision_id")
            WHERE "replaces_id" IS NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_certificate_sequence" ON "certificate" ("kind", "year", "sequence")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_certificate_number" ON "certificate" ("number")
        `);
    await queryRunner.query(`
            CREATE TABLE "verification_stamp" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "serial" text NOT NULL,
                "year" integer NOT NULL,
                "sequence" integer NOT NULL,
                "certificate_id" uuid NOT NULL,
                "instrument_id" uuid NOT NULL,
                "valid_until" date NOT NULL,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_730c8d98f6e9ac74080e7cbc874" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_verification_stamp_instrument" ON "verification_stamp" ("instrument_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_verification_stamp_certificate" ON "verification_stamp" ("certificate_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_verification_stamp_sequence" ON "verification_stamp" ("year", "sequence")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_verification_stamp_serial" ON "verification_stamp" ("serial")
        `);
    await queryRunner.query(`
            ALTER TABLE "certificate"
            ADD CONSTRAINT "FK_3c150f88f50f4acfc635c9545fd" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "certificate"
            ADD CONSTRAINT "FK_c44fc21087ae5200f2cca7102cf" FOREIGN KEY ("instrument_id") REFERENCES "instrument"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "certificate"
            ADD CONSTRAINT "FK_21f77d409864bec6a0bcbe5cfd8" FOREIGN KEY ("replaces_id") REFERENCES "certificate"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "verification_stamp"
            ADD CONSTRAINT "FK_5fcb7d4b1f1a2185056778503e2" FOREIGN KEY ("certificate_id") REFERENCES "certificate"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "verification_stamp"
            ADD CONSTRAINT "FK_0070cdec8e7d623cd67db464aac" FOREIGN KEY ("instrument_id") REFERENCES "instrument"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            CREATE FUNCTION "certificate_keep_as_issued"() RETURNS trigger LANGUAGE plpgsql AS $$
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
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "TRG_certificate_keep_as_issued" BEFORE UPDATE OR DELETE ON "certificate"
            FOR EACH ROW EXECUTE FUNCTION "certificate_keep_as_issued"()
        `);
    await queryRunner.query(`
            CREATE FUNCTION "verification_stamp_keep_as_issued"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'verification stamp % is issued: it is never changed or deleted', OLD.serial;
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "TRG_verification_stamp_keep_as_issued" BEFORE UPDATE OR DELETE ON "verification_stamp"
            FOR EACH ROW EXECUTE FUNCTION "verification_stamp_keep_as_issued"()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TRIGGER "TRG_verification_stamp_keep_as_issued" ON "verification_stamp"
        `);
    await queryRunner.query(`
            DROP FUNCTION "verification_stamp_keep_as_issued"()
        `);
    await queryRunner.query(`
            DROP TRIGGER "TRG_certificate_keep_as_issued" ON "certificate"
        `);
    await queryRunner.query(`
            DROP FUNCTION "certificate_keep_as_issued"()
        `);
    await queryRunner.query(`
            ALTER TABLE "verification_stamp" DROP CONSTRAINT "FK_0070cdec8e7d623cd67db464aac"
        `);
    await queryRunner.query(`
            ALTER TABLE "verification_stamp" DROP CONSTRAINT "FK_5fcb7d4b1f1a2185056778503e2"
        `);
    await queryRunner.query(`
            ALTER TABLE "certificate" DROP CONSTRAINT "FK_21f77d409864bec6a0bcbe5cfd8"
        `);
    await queryRunner.query(`
            ALTER TABLE "certificate" DROP CONSTRAINT "FK_c44fc21087ae5200f2cca7102cf"
        `);
    await queryRunner.query(`
            ALTER TABLE "certificate" DROP CONSTRAINT "FK_3c150f88f50f4acfc635c9545fd"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_verification_stamp_serial"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_verification_stamp_sequence"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_verification_stamp_certificate"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_verification_stamp_instrument"
        `);
    await queryRunner.query(`
            DROP TABLE "verification_stamp"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_certificate_number"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_certificate_sequence"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_certificate_result_revision"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_certificate_result_revision"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_certificate_result"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_certificate_replaces"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_certificate_sha256"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_certificate_organization"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_certificate_issued"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_certificate_instrument"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_certificate_request_item"
        `);
    await queryRunner.query(`
            DROP TABLE "certificate"
        `);
    await queryRunner.query(`
            DROP TABLE "certificate_series"
        `);
  }
}
