import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Searched columns: [table, column, index stem, with a trigram index]. */
const SEARCHED: [string, string, string, boolean][] = [
  ['service_request', 'number', 'IDX_service_request_number', true],
  ['instrument', 'serial_number', 'IDX_instrument_serial', true],
  ['instrument', 'label_code', 'IDX_instrument_label_code', true],
  ['organization', 'name', 'IDX_organization_name', true],
  ['organization', 'tax_code', 'IDX_organization_tax_code', false],
  ['certificate', 'number', 'IDX_certificate_number', true],
];

/** The extensions the search needs, in the order they are created. */
const EXTENSIONS = ['unaccent', 'pg_trgm'];
/**
 * The comment this migration puts on an extension it created, so that `down` drops those and only
 * those: an extension that was there before (another application's, a DBA's) stays.
 */
const CREATED_HERE = 'created by migration SearchFolding1795461000001';

/**
 * Searches that ignore case and diacritics, "Đ" → "D" included: one immutable SQL function,
 * lims_fold(), used by every number and name search and by the expression indexes behind them
 * (btree text_pattern_ops for exact and prefix matches, pg_trgm GIN for similar ones). unaccent's
 * default rules map Đ/đ (and the look-alike Ð) to D/d; the function names its dictionary, so it may
 * be IMMUTABLE. Instruments get the centre's label code (unique when set).
 */
export class SearchFolding1795461000001 implements MigrationInterface {
  name = 'SearchFolding1795461000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Both are trusted extensions (PostgreSQL 13+): the database owner may create them.
    for (const extension of EXTENSIONS) {
      const [{ present }] = (await queryRunner.query(
        `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = $1) AS present`,
        [extension],
      )) as [{ present: boolean }];
      if (present) continue;
      await queryRunner.query(`CREATE EXTENSION ${extension} WITH SCHEMA public`);
      await queryRunner.query(`COMMENT ON EXTENSION ${extension} IS '${CREATED_HERE}'`);
    }
    await queryRunner.query(`
            CREATE FUNCTION public.lims_fold(text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS $$ SELECT lower(translate(public.unaccent('public.unaccent'::regdictionary, $1), '‐‑‒–—', '-----')) $$
        `);
    await queryRunner.query(`ALTER TABLE "instrument" ADD "label_code" text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_instrument_label_code" ON "instrument" ("label_code") WHERE "label_code" IS NOT NULL`,
    );
    for (const [table, column, stem, trigram] of SEARCHED) {
      await queryRunner.query(
        `CREATE INDEX "${stem}_fold" ON "${table}" (public.lims_fold("${column}") text_pattern_ops)`,
      );
      if (trigram)
        await queryRunner.query(
          `CREATE INDEX "${stem}_trgm" ON "${table}" USING gin (public.lims_fold("${column}") public.gin_trgm_ops)`,
        );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [, , stem, trigram] of SEARCHED) {
      if (trigram) await queryRunner.query(`DROP INDEX "${stem}_trgm"`);
      await queryRunner.query(`DROP INDEX "${stem}_fold"`);
    }
    await queryRunner.query(`DROP INDEX "UQ_instrument_label_code"`);
    await queryRunner.query(`ALTER TABLE "instrument" DROP COLUMN "label_code"`);
    await queryRunner.query(`DROP FUNCTION public.lims_fold(text)`);
    // Only what `up` created; without CASCADE, so an object that came to depend on one stops the revert.
    for (const extension of [...EXTENSIONS].reverse()) {
      const created = (await queryRunner.query(
        `SELECT 1 FROM pg_extension e
           JOIN pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_extension'::regclass
          WHERE e.extname = $1 AND d.description = $2`,
        [extension, CREATED_HERE],
      )) as unknown[];
      if (created.length > 0) await queryRunner.query(`DROP EXTENSION ${extension}`);
    }
  }
}
