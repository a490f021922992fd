import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provinces after Nghị quyết 202/2025/QH15 (two-tier local government from 1 July 2025): code, name,
 * kind, and the provinces merged into it (they are kept, retired on 30 June 2025, with this one as
 * successor). From the published list as remembered, not read from the gazette here; the codes are
 * the pre-2025 GSO codes of the province whose seat the merged one keeps. All seeded UNCERTAIN: an
 * admin confirms each (POST /admin-units/:id/confirm). Communes are not seeded (the admin enters them).
 */
const PROVINCES: [code: string, name: string, kind: 'province' | 'municipality', merged: [string, string][]][] = [
  ['01', 'Hà Nội', 'municipality', []],
  ['04', 'Cao Bằng', 'province', []],
  ['08', 'Tuyên Quang', 'province', [['02', 'Hà Giang']]],
  ['11', 'Điện Biên', 'province', []],
  ['12', 'Lai Châu', 'province', []],
  ['14', 'Sơn La', 'province', []],
  ['15', 'Lào Cai', 'province', [['15', 'Yên Bái']]],
  ['19', 'Thái Nguyên', 'province', [['06', 'Bắc Kạn']]],
  ['20', 'Lạng Sơn', 'province', []],
  ['22', 'Quảng Ninh', 'province', []],
  ['24', 'Bắc Ninh', 'province', [['24', 'Bắc Giang']]],
  [
    '25',
    'Phú Thọ',
    'province',
    [
      ['26', 'Vĩnh Phúc'],
      ['17', 'Hòa Bình'],
    ],
  ],
  ['31', 'Hải Phòng', 'municipality', [['30', 'Hải Dương']]],
  ['33', 'Hưng Yên', 'province', [['34', 'Thái Bình']]],
  [
    '37',
    'Ninh Bình',
    'province',
    [
      ['35', 'Hà Nam'],
      ['36', 'Nam Định'],
    ],
  ],
  ['38', 'Thanh Hóa', 'province', []],
  ['40', 'Nghệ An', 'province', []],
  ['42', 'Hà Tĩnh', 'province', []],
  ['44', 'Quảng Trị', 'province', [['44', 'Quảng Bình']]],
  ['46', 'Huế', 'municipality', []],
  ['48', 'Đà Nẵng', 'municipality', [['49', 'Quảng Nam']]],
  ['51', 'Quảng Ngãi', 'province', [['62', 'Kon Tum']]],
  ['52', 'Gia Lai', 'province', [['52', 'Bình Định']]],
  ['56', 'Khánh Hòa', 'province', [['58', 'Ninh Thuận']]],
  ['66', 'Đắk Lắk', 'province', [['54', 'Phú Yên']]],
  [
    '68',
    'Lâm Đồng',
    'province',
    [
      ['67', 'Đắk Nông'],
      ['60', 'Bình Thuận'],
    ],
  ],
  ['75', 'Đồng Nai', 'province', [['70', 'Bình Phước']]],
  [
    '79',
    'Hồ Chí Minh',
    'municipality',
    [
      ['74', 'Bình Dương'],
      ['77', 'Bà Rịa - Vũng Tàu'],
    ],
  ],
  ['80', 'Tây Ninh', 'province', [['80', 'Long An']]],
  ['82', 'Đồng Tháp', 'province', [['82', 'Tiền Giang']]],
  [
    '86',
    'Vĩnh Long',
    'province',
    [
      ['83', 'Bến Tre'],
      ['84', 'Trà Vinh'],
    ],
  ],
  ['91', 'An Giang', 'province', [['91', 'Kiên Giang']]],
  [
    '92',
    'Cần Thơ',
    'municipality',
    [
      ['94', 'Sóc Trăng'],
      ['93', 'Hậu Giang'],
    ],
  ],
  ['96', 'Cà Mau', 'province', [['95', 'Bạc Liêu']]],
];
const SOURCE =
  'Nghị quyết 202/2025/QH15 (in force 2025-07-01), from memory of its published list; code: pre-2025 GSO code of the seat province (unchecked)';
const MERGED_SOURCE = 'Merged by Nghị quyết 202/2025/QH15 (from memory of its published list); pre-2025 GSO code';

/** Due-list indexes on the current administrative units, each ending in the page order. */
const DUE_INDEXES: [name: string, columns: string][] = [
  ['IDX_instrument_due_province', '"province_unit_id", "next_due_date", "id"'],
  ['IDX_instrument_due_commune', '"commune_unit_id", "next_due_date", "id"'],
  ['IDX_instrument_due_type_commune', '"instrument_type_id", "commune_unit_id", "next_due_date", "id"'],
];

/** A place name as people write it, folded and without "tỉnh" / "thành phố" / "TP.". */
const bareName = (sql: string): string =>
  `btrim(regexp_replace(public.lims_fold(${sql}), '^\\s*(tinh|thanh pho|tp\\.?)\\s+', ''))`;

/**
 * The centre's reference list of administrative units (admin_unit) and the two-tier address on
 * organizations and instruments (province + commune, references). The old `district` columns stay as
 * history. Existing rows get their province from their province text where it names a province of
 * the list (a merged one maps to its successor); communes are left empty (no commune list is seeded).
 */
export class AdminUnits1795476000000 implements MigrationInterface {
  name = 'AdminUnits1795476000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "admin_unit" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" text NOT NULL,
                "name" text NOT NULL,
                "level" text NOT NULL,
                "kind" text NOT NULL,
                "parent_id" uuid,
                "effective_from" date,
                "effective_to" date,
                "successor_id" uuid,
                "confidence" text NOT NULL,
                "source" text NOT NULL,
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                "confirmed_by" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_admin_unit_level" CHECK ("level" IN ('province', 'commune')),
                CONSTRAINT "CHK_admin_unit_kind" CHECK (("level" = 'province' AND "kind" IN ('province', 'municipality')) OR ("level" = 'commune' AND "kind" IN ('commune', 'ward', 'special_zone'))),
                CONSTRAINT "CHK_admin_unit_parent" CHECK (("level" = 'province') = ("parent_id" IS NULL)),
                CONSTRAINT "CHK_admin_unit_dates" CHECK ("effective_from" IS NULL OR "effective_to" IS NULL OR "effective_from" <= "effective_to"),
                CONSTRAINT "CHK_admin_unit_successor" CHECK ("successor_id" IS NULL OR ("effective_to" IS NOT NULL AND "successor_id" <> "id")),
                CONSTRAINT "CHK_admin_unit_confidence" CHECK ("confidence" IN ('VERIFIED', 'SECONDARY', 'UNCERTAIN')),
                CONSTRAINT "PK_admin_unit" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_admin_unit_current_code" ON "admin_unit" ("level", "code") WHERE "effective_to" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_admin_unit_parent" ON "admin_unit" ("parent_id", "name")`);
    await queryRunner.query(
      `ALTER TABLE "admin_unit" ADD CONSTRAINT "FK_admin_unit_parent" FOREIGN KEY ("parent_id") REFERENCES "admin_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "admin_unit" ADD CONSTRAINT "FK_admin_unit_successor" FOREIGN KEY ("successor_id") REFERENCES "admin_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await this.seedProvinces(queryRunner);
    await this.addAddressColumns(queryRunner);
    await this.backfillProvinces(queryRunner);
    for (const [name, columns] of DUE_INDEXES)
      await queryRunner.query(
        `CREATE INDEX "${name}" ON "instrument" (${columns}) WHERE "status" = 'in_service' AND "next_due_date" IS NOT NULL`,
      );
  }

  private async seedProvinces(queryRunner: QueryRunner): Promise<void> {
    for (const [code, name, kind, merged] of PROVINCES) {
      const [row] = (await queryRunner.query(
        `INSERT INTO "admin_unit" ("code", "name", "level", "kind", "effective_from", "confidence", "source")
         VALUES ($1, $2, 'province', $3, $4::date, 'UNCERTAIN', $5) RETURNING "id"`,
        [code, name, kind, merged.length ? '2025-07-01' : null, SOURCE],
      )) as { id: string }[];
      for (const [oldCode, oldName] of merged)
        await queryRunner.query(
          `INSERT INTO "admin_unit" ("code", "name", "level", "kind", "effective_to", "successor_id", "confidence", "source")
           VALUES ($1, $2, 'province', 'province', '2025-06-30', $3, 'UNCERTAIN', $4)`,
          [oldCode, oldName, row!.id, MERGED_SOURCE],
        );
    }
  }

  private async addAddressColumns(queryRunner: QueryRunner): Promise<void> {
    const columns: [table: string, column: string][] = [
      ['organization', 'province_unit_id'],
      ['organization', 'commune_unit_id'],
      ['instrument', 'place_province_unit_id'],
      ['instrument', 'place_commune_unit_id'],
      ['instrument', 'province_unit_id'],
      ['instrument', 'commune_unit_id'],
    ];
    for (const [table, column] of columns) {
      const fk = `FK_${table}_${column.replace(/_id$/, '')}`;
      await queryRunner.query(`ALTER TABLE "${table}" ADD "${column}" uuid`);
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${fk}" FOREIGN KEY ("${column}") REFERENCES "admin_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
    }
    await queryRunner.query(`CREATE INDEX "IDX_organization_commune_unit" ON "organization" ("commune_unit_id")`);
  }

  /** Province text → the current province of that name, or the successor of a merged one. */
  private async backfillProvinces(queryRunner: QueryRunner): Promise<void> {
    const current = (text: string): string => `(
        SELECT coalesce(u.successor_id, u.id) FROM "admin_unit" u
         WHERE u.level = 'province' AND ${bareName('u.name')} = ${bareName(text)}
         ORDER BY u.effective_to NULLS FIRST LIMIT 1)`;
    await queryRunner.query(
      `UPDATE "organization" o SET "province_unit_id" = ${current('o.province')} WHERE o.province IS NOT NULL`,
    );
    await queryRunner.query(
      `UPDATE "instrument" i SET "place_province_unit_id" = ${current('i.province')} WHERE i.province IS NOT NULL`,
    );
    await queryRunner.query(`
            UPDATE "instrument" i SET "province_unit_id" = coalesce(i.place_province_unit_id, o.province_unit_id)
              FROM "organization" o WHERE o.id = i.owner_id AND coalesce(i.place_province_unit_id, o.province_unit_id) IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of DUE_INDEXES) await queryRunner.query(`DROP INDEX "public"."${name}"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_organization_commune_unit"`);
    for (const column of ['province_unit_id', 'commune_unit_id'])
      await queryRunner.query(`ALTER TABLE "organization" DROP COLUMN "${column}"`);
    for (const column of ['place_province_unit_id', 'place_commune_unit_id', 'province_unit_id', 'commune_unit_id'])
      await queryRunner.query(`ALTER TABLE "instrument" DROP COLUMN "${column}"`);
    await queryRunner.query(`DROP TABLE "admin_unit"`);
  }
}
