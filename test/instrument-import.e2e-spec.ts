// Instruments from a spreadsheet (issue 15): a dry run names every bad row and column, an import is
// all rows or none, a business imports only for itself, CSV reads like XLSX.
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { startTestSystem, type TestSystem } from './support/system.js';
import { binary } from './support/certificates.js';
import { as, expectStatus, type Body } from './support/http.js';
import { createCustomer, createInstrumentType, staffSession, type StaffSession } from './support/factories.js';

const HEADER = ['typeCode', 'manufacturer', 'model', 'serialNumber', 'rangeMin', 'rangeMax', 'district', 'status'];

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Phương tiện đo');
  sheet.addRow(HEADER);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('instrument import (XLSX, CSV)', () => {
  let sys: TestSystem;
  let reception: StaffSession;
  let typeCode: string;
  let customer: { id: string; key: string };

  beforeAll(async () => {
    sys = await startTestSystem();
    const admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
    typeCode = (await createInstrumentType(sys, admin)).code;
    customer = await createCustomer(sys);
  });
  afterAll(async () => sys?.close());

  const upload = (
    file: Buffer,
    query: string,
    who: { token: string } | { key: string } = reception,
    name = 'pt.xlsx',
  ) => as(sys, who).post(`/instruments/import?${query}`).attach('file', file, name);

  /** An instrument's columns as registered (the audit entry's record: no empty field, no owner), from its view. */
  const registered = (i: Body): Body =>
    Object.fromEntries(
      Object.entries({
        id: i.id,
        instrumentTypeId: i.instrumentType.id,
        manufacturer: i.manufacturer,
        model: i.model,
        serialNumber: i.serialNumber,
        accuracyClass: i.accuracyClass,
        rangeMin: i.rangeMin,
        rangeMax: i.rangeMax,
        rangeUnit: i.rangeUnit,
        resolution: i.resolution,
        resolutionUnit: i.resolutionUnit,
        scaleInterval: i.scaleInterval,
        siteName: i.placeOfUse.siteName,
        streetAddress: i.placeOfUse.streetAddress,
        province: i.placeOfUse.province,
        placeDistrict: i.placeOfUse.district,
        ward: i.placeOfUse.ward,
        district: i.district,
        placeProvinceUnitId: i.placeOfUse.provinceId,
        placeCommuneUnitId: i.placeOfUse.communeId,
        provinceUnitId: i.provinceId,
        communeUnitId: i.communeId,
        status: i.status,
      }).filter(([, v]) => v !== null && v !== undefined),
    );

  /**
   * The import's one audit entry tells an auditor which file (its SHA-256), who (the reception
   * user), which instruments (every id) and what each was as registered; the hash chain holds.
   */
  async function expectImportAudited(batchId: string, file: Buffer, instruments: Body[]): Promise<void> {
    const admin = as(sys, await staffSession(sys, ['admin']));
    const whole = await expectStatus<Body>(admin.get(`/audit?entity=instrument&id=${batchId}`), 200);
    expect(whole.items).toHaveLength(1);
    const entry = whole.items[0];
    expect(entry.actor).toEqual({ kind: 'staff', id: reception.userId, name: expect.any(String) });
    expect(entry.after.file).toEqual({ sha256: createHash('sha256').update(file).digest('hex'), bytes: file.length });
    expect([...entry.after.recordIds].sort()).toEqual(instruments.map((i) => i.id).sort());
    // The records as one table: what all rows share once, the rest one array per field.
    expect(entry.after.records.common).toMatchObject({ manufacturer: 'Tatsuno', model: 'SUNNY-2', rangeMax: '60' });
    expect(entry.after.records.columns.serialNumber).toHaveLength(instruments.length);
    for (const instrument of instruments) {
      const trail = await expectStatus<Body>(admin.get(`/audit?entity=instrument&id=${instrument.id}`), 200);
      expect(trail.items[0].after.record).toEqual(registered(instrument));
    }
    const chain = await expectStatus<Body>(admin.get('/audit/verify'), 200);
    expect(chain).toMatchObject({ valid: true, firstBroken: null });
  }

  const good = (n: number): (string | number)[] => [
    typeCode,
    'Tatsuno',
    'SUNNY-2',
    `IMP-${n}`,
    0,
    60,
    'Cam Lâm',
    'in_service',
  ];

  it('a 20-row XLSX with 3 bad rows: the dry run names exactly those 3; fixed, all 20 import', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => good(i + 1));
    rows[3] = [typeCode, 'Tatsuno', 'SUNNY-2', '', 0, 60, 'Cam Lâm', 'in_service']; // row 5: no serial
    rows[9] = ['NO-SUCH-TYPE', 'Tatsuno', 'SUNNY-2', 'IMP-10', 0, 60, 'Cam Lâm', 'in_service']; // row 11
    rows[16] = [typeCode, 'Tatsuno', 'SUNNY-2', 'IMP-17', 60, 10, 'Cam Lâm', 'in_service']; // row 18: range
    const dry = await expectStatus<Body>(upload(await xlsx(rows), `ownerId=${customer.id}&dryRun=true`), 200);
    expect(dry).toMatchObject({ format: 'xlsx', dryRun: true, rows: 20, valid: 17, imported: 0 });
    expect(dry.problems.map((p: Body) => [p.row, p.column])).toEqual([
      [5, 'serialNumber'],
      [11, 'typeCode'],
      [18, 'rangeMax'],
    ]);
    const refused = await expectStatus<Body>(upload(await xlsx(rows), `ownerId=${customer.id}`), 422);
    expect(refused.code).toBe('instrument.import_invalid');
    expect(refused.errors.map((e: Body) => e.field)).toEqual([
      'rows[5].serialNumber',
      'rows[11].typeCode',
      'rows[18].rangeMax',
    ]);
    const none = await expectStatus<Body>(as(sys, customer).get('/instruments?limit=200'), 200);
    expect(none.items).toHaveLength(0);

    rows[3] = good(4);
    rows[9] = good(10);
    rows[16] = good(17);
    const fixed = await xlsx(rows);
    const done = await expectStatus<Body>(upload(fixed, `ownerId=${customer.id}`), 200);
    expect(done).toMatchObject({ dryRun: false, rows: 20, valid: 20, imported: 20, problems: [] });
    const list = await expectStatus<Body>(as(sys, customer).get('/instruments?limit=200'), 200);
    expect(list.items).toHaveLength(20);
    expect(list.items.find((i: Body) => i.serialNumber === 'IMP-17')).toMatchObject({
      rangeMin: '0',
      rangeMax: '60',
      district: 'Cam Lâm',
    });
    // One audit entry for the import names all 20; each instrument's trail finds it, narrowed to it.
    const audit = await sys.runtime.dataSource.query(
      `SELECT entity_id, jsonb_array_length(after->'recordIds') AS n, after->>'ownerId' AS owner FROM audit_event
        WHERE entity = 'instrument' AND action = 'import' AND after->>'ownerId' = $1`,
      [customer.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].n).toBe(20);
    const imp17 = list.items.find((i: Body) => i.serialNumber === 'IMP-17');
    const trail = await expectStatus<Body>(
      as(sys, await staffSession(sys, ['admin'])).get(`/audit?entity=instrument&id=${imp17.id}`),
      200,
    );
    expect(trail.items).toHaveLength(1);
    expect(trail.items[0]).toMatchObject({
      entity: 'instrument',
      entityId: audit[0].entity_id,
      action: 'import',
      actor: { kind: 'staff' },
      after: {
        ownerId: customer.id,
        format: 'xlsx',
        rows: 20,
        recordCount: 20,
        record: { id: imp17.id, serialNumber: 'IMP-17', rangeMax: '60', placeDistrict: 'Cam Lâm' },
      },
    });
    expect(trail.items[0].after.records).toBeUndefined();
    await expectImportAudited(audit[0].entity_id, fixed, list.items);

    // Importing the same file again: every row is a duplicate of a registered instrument.
    const again = await expectStatus<Body>(upload(await xlsx(rows), `ownerId=${customer.id}&dryRun=true`), 200);
    expect(again.valid).toBe(0);
    expect(new Set(again.problems.map((p: Body) => p.column))).toEqual(new Set(['serialNumber']));
  });

  it('reads the place of use’s province and commune (names or codes, any case or accents) into units', async () => {
    const admin = as(sys, await staffSession(sys, ['admin']));
    const unit = async (query: string, name: string): Promise<Body> =>
      (
        (await expectStatus<Body>(as(sys, reception).get(`/admin-units?${query}&q=${encodeURIComponent(name)}`), 200))
          .items as Body[]
      ).find((u) => u.name === name)!;
    const khanhHoa = await unit('level=province', 'Khánh Hòa');
    const tuyenQuang = await unit('level=province', 'Tuyên Quang');
    const ward = async (parent: Body, name: string, code: string): Promise<Body> =>
      expectStatus<Body>(
        admin.post('/admin-units').send({ code, name, kind: 'ward', parentId: parent.id, source: 'test' }),
        201,
      );
    const camLinh = await ward(khanhHoa, 'Phường Cam Linh', '95001');
    const tanPhuKh = await ward(khanhHoa, 'Phường Tân Phú', '95002');
    await ward(tuyenQuang, 'Phường Tân Phú', '95003');
    const owner = await createCustomer(sys, { provinceId: khanhHoa.id, communeId: tanPhuKh.id });
    const header = ['typeCode', 'manufacturer', 'serialNumber', 'province', 'commune'];
    const sheet = async (rows: string[][]): Promise<Buffer> => {
      const workbook = new ExcelJS.Workbook();
      const ws = workbook.addWorksheet('pt');
      ws.addRow(header);
      ws.addRows(rows);
      return Buffer.from(await workbook.xlsx.writeBuffer());
    };
    const rows = [
      [typeCode, 'A', 'U-1', 'khanh hoa', 'PHUONG CAM LINH'], // row 2: folded names, kind word written
      [typeCode, 'A', 'U-2', khanhHoa.code, 'Cam Linh'], // row 3: the province's code, no kind word
      [typeCode, 'A', 'U-3', 'Hà Giang', ''], // row 4: merged into Tuyên Quang: a warning
      [typeCode, 'A', 'U-4', 'Atlantis', ''], // row 5: no such province
      [typeCode, 'A', 'U-5', '', 'Không Có'], // row 6: no such commune
      [typeCode, 'A', 'U-6', 'Tuyên Quang', 'Cam Linh'], // row 7: a commune of another province
      [typeCode, 'A', 'U-7', '', 'Tân Phú'], // row 8: two communes have that name
      [typeCode, 'A', 'U-8', 'Khánh Hoà', 'Tân Phú'], // row 9: within its province it is one
      [typeCode, 'A', 'U-9', '', ''], // row 10: no units: the owner's
    ];
    const dry = await expectStatus<Body>(upload(await sheet(rows), `ownerId=${owner.id}&dryRun=true`), 200);
    expect(dry.problems.map((p: Body) => [p.row, p.column])).toEqual([
      [5, 'province'],
      [6, 'commune'],
      [7, 'commune'],
      [8, 'commune'],
    ]);
    expect(dry.problems[0].message).toContain('Atlantis');
    expect(dry.problems[2].message).toContain('not in Tuyên Quang');
    expect(dry.problems[3].message).toMatch(/names 2 units.*95002.*95003/);
    expect(dry.warnings).toEqual([
      {
        row: 4,
        column: 'province',
        message: expect.stringMatching(/^Hà Giang was retired on 2025-06-30 and merged into Tuyên Quang.*UNCERTAIN/),
      },
    ]);

    const fixed = rows.filter((_, i) => ![3, 4, 5, 6].includes(i));
    const done = await expectStatus<Body>(upload(await sheet(fixed), `ownerId=${owner.id}`), 200);
    expect(done).toMatchObject({ imported: 5, problems: [], warnings: [{ row: 4, column: 'province' }] });
    const list = await expectStatus<Body>(as(sys, owner).get('/instruments?limit=200'), 200);
    const bySerial = (serial: string) => list.items.find((i: Body) => i.serialNumber === serial);
    const place = (i: Body) => [i.placeOfUse.provinceId, i.placeOfUse.communeId, i.provinceId, i.communeId];
    expect(place(bySerial('U-1'))).toEqual([khanhHoa.id, camLinh.id, khanhHoa.id, camLinh.id]);
    expect(place(bySerial('U-2'))).toEqual([khanhHoa.id, camLinh.id, khanhHoa.id, camLinh.id]);
    expect(place(bySerial('U-3'))).toEqual([tuyenQuang.id, null, tuyenQuang.id, null]);
    expect(place(bySerial('U-8'))).toEqual([khanhHoa.id, tanPhuKh.id, khanhHoa.id, tanPhuKh.id]);
    expect(place(bySerial('U-9'))).toEqual([null, null, khanhHoa.id, tanPhuKh.id]);
    // The province's text is kept as written, as before.
    expect(bySerial('U-1').placeOfUse.province).toBe('khanh hoa');
  });

  it('reads CSV; repeats within the file and unknown columns are named', async () => {
    const other = await createCustomer(sys);
    const csv = Buffer.from(
      `typeCode,manufacturer,serialNumber,colour\n${typeCode},A,S-1,red\n${typeCode},A,S-1,blue\n`,
      'utf8',
    );
    const dry = await expectStatus<Body>(upload(csv, `ownerId=${other.id}&dryRun=true`, reception, 'pt.csv'), 200);
    expect(dry.format).toBe('csv');
    expect(dry.problems).toEqual([{ row: 1, column: 'colour', message: expect.stringContaining('unknown column') }]);
    const plain = Buffer.from(`typeCode,manufacturer,serialNumber\n${typeCode},A,S-1\n${typeCode},A,S-1\n`, 'utf8');
    const repeated = await expectStatus<Body>(
      upload(plain, `ownerId=${other.id}&dryRun=true`, reception, 'pt.csv'),
      200,
    );
    expect(repeated.problems).toEqual([{ row: 3, column: 'serialNumber', message: expect.stringContaining('row 2') }]);
  });

  it('a business imports only for itself, whatever ownerId it sends; others are refused', async () => {
    const other = await createCustomer(sys);
    const file = await xlsx([good(901), good(902)]);
    const done = await expectStatus<Body>(upload(file, `ownerId=${customer.id}`, other), 200);
    expect(done.imported).toBe(2);
    const own = await expectStatus<Body>(as(sys, other).get('/instruments?limit=200'), 200);
    expect(own.items.map((i: Body) => i.serialNumber).sort()).toEqual(['IMP-901', 'IMP-902']);
    const technician = await staffSession(sys, ['technician']);
    await expectStatus(upload(file, `ownerId=${customer.id}`, technician), 403);
    const missing = await expectStatus<Body>(upload(file, ''), 400);
    expect(missing.errors[0].field).toBe('ownerId');
    const noFile = await expectStatus<Body>(as(sys, reception).post(`/instruments/import?ownerId=${customer.id}`), 400);
    expect(noFile.errors[0].field).toBe('file');
  });

  it('exports as XLSX and CSV, streamed; a business gets only its own; an export imports again', async () => {
    const res = await as(sys, customer).get('/instruments/export?format=xlsx').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="instruments.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['typeCode', 'manufacturer', 'model', 'serialNumber']);
    const serials = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2).getCell(4).text);
    expect(serials.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `IMP-${i + 1}`).sort());

    const csv = await as(sys, reception).get(`/instruments/export?format=csv&owner=${customer.id}`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toMatch(/^typeCode,manufacturer,model,serialNumber,/);

    // The export, with its read-only columns, imports again for another owner.
    const another = await createCustomer(sys);
    const again = await expectStatus<Body>(
      upload(Buffer.from(res.body as Uint8Array), `ownerId=${another.id}&dryRun=true`),
      200,
    );
    expect(again).toMatchObject({ rows: 20, valid: 20, problems: [] });

    const due = await as(sys, reception)
      .get(`/instruments/due/export?format=csv&within=3660&owner=${customer.id}`)
      .expect(200);
    expect(due.text.replace(/^\uFEFF/, '').split('\n')[0]).toMatch(/^"?Hạn kiểm định/);
    await expectStatus(as(sys, reception).get('/instruments/export?format=pdf'), 400);
  });
});
