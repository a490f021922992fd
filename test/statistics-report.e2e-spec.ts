// The periodic report to the Sở KH&CN (issue 15) over the real API: customers' sectors, a quarter of
// certificates issued through the real queue, GET /statistics by sector, and the signed PDF and the
// XLSX of the quarter, whose totals must be those of GET /statistics.
import ExcelJS from 'exceljs';
import { todayInVietnam } from '#libs/registry';
import {
  approvedVerification,
  binary,
  certificateWorld,
  hasTool,
  issueState,
  pdfsig,
  pdfText,
  type CertificateWorld,
} from './support/certificates.js';
import { as, expectStatus, type Body } from './support/http.js';
import { createCustomer, createOrganization, organizationBody, staffSession } from './support/factories.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/** The quarter of a date: key, first and last day. */
function quarterOf(date: string): { key: string; from: string; to: string } {
  const year = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
  const last = ['03-31', '06-30', '09-30', '12-31'][q - 1]!;
  return { key: `${year}-Q${q}`, from: `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`, to: `${year}-${last}` };
}

describe('the periodic statistics report (sector, signed PDF, XLSX)', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  let fuelId: string;
  const quarter = quarterOf(todayInVietnam());

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true });
    w = await certificateWorld(sys);
    fuelId = (await createOrganization(sys, { sector: 'fuel_retail' })).id;
    const unstated = (await createOrganization(sys)).id;
    // Issued today, in the current quarter, through the queue: two for the fuel retailer (one failed), one for a customer without a sector.
    const approved = await Promise.all([
      approvedVerification(w, { organizationId: fuelId }),
      approvedVerification(w, { organizationId: fuelId, pass: false }),
      approvedVerification(w, { organizationId: unstated }),
    ]);
    for (const a of approved) expect((await issueState(w, a.revisionId)).status).toBe('issued');
  });
  afterAll(async () => sys?.close());

  it('keeps a customer’s sector: validated, settable, clearable, audited', async () => {
    const admin = as(sys, w.admin);
    const bad = await expectStatus<Body>(
      admin.post('/organizations', organizationBody({ sector: 'bakery' as never })),
      400,
    );
    expect(bad.errors.map((e: Body) => e.field)).toEqual(['sector']);
    const created = await expectStatus<Body>(admin.post('/organizations', organizationBody({ sector: 'health' })), 201);
    expect(created.sector).toBe('health');
    const changed = await expectStatus<Body>(admin.patch(`/organizations/${created.id}`, { sector: 'industry' }), 200);
    expect(changed.sector).toBe('industry');
    expect((await expectStatus<Body>(admin.patch(`/organizations/${created.id}`, { sector: null }), 200)).sector).toBe(
      null,
    );
    const audit = (await admin.get(`/audit?entity=organization&id=${created.id}`).expect(200)).body.items as Body[];
    expect(audit.map((e) => [e.action, e.after.sector])).toEqual(
      expect.arrayContaining([
        ['create', 'health'],
        ['update', 'industry'],
        ['update', null],
      ]),
    );
    // A business reads its own sector.
    const customer = await createCustomer(sys, { sector: 'trade_markets' });
    const own = await expectStatus<Body>(as(sys, { key: customer.key }).get(`/organizations/${customer.id}`), 200);
    expect(own.sector).toBe('trade_markets');
  });

  it('groups GET /statistics by the instrument owner’s sector (none stated: "Chưa khai báo")', async () => {
    const s = await expectStatus<Body>(
      as(sys, w.admin).get(`/statistics?from=${quarter.from}&to=${quarter.to}&refresh=true`),
      200,
    );
    const bySector = Object.fromEntries(s.bySector.map((r: Body) => [r.key, r]));
    expect(bySector.fuel_retail).toMatchObject({ label: 'Kinh doanh xăng dầu', certificates: 2, pass: 1, fail: 1 });
    expect(bySector.fuel_retail.items).toBe(2);
    expect(bySector.null).toMatchObject({ label: 'Chưa khai báo', certificates: 1, pass: 1 });
    const csv = await as(sys, w.admin).get(`/statistics/export?format=csv&from=${quarter.from}&to=${quarter.to}`);
    expect(csv.text).toContain('Lĩnh vực (sector),Kinh doanh xăng dầu,2,2,1,1,0.5');
  });

  it('renders the quarter as a signed PDF whose totals are GET /statistics’s, and the same tables as XLSX', async () => {
    const reception = as(sys, await staffSession(sys, ['reception']));
    const s = await expectStatus<Body>(
      reception.get(`/statistics?from=${quarter.from}&to=${quarter.to}&refresh=true`),
      200,
    );
    expect(s.totals.certificates).toBeGreaterThanOrEqual(3);
    const started = Date.now();
    const res = await reception
      .get(`/statistics/report.pdf?period=${quarter.key}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const elapsed = Date.now() - started;
    process.stdout.write(`report.pdf ${quarter.key}: ${res.body.length} bytes in ${elapsed} ms\n`);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="bao-cao-thong-ke-${quarter.key}.pdf"`);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (hasTool('pdfsig')) expect(pdfsig(pdf)).toContain('Signature is Valid.');
    else process.stdout.write('SKIPPED: pdfsig missing (poppler-utils): the report signature is not checked\n');
    if (hasTool('pdftotext')) {
      const text = pdfText(pdf);
      expect(text).toContain('BÁO CÁO THỐNG KÊ');
      const printed = (en: string) => new RegExp(`\\(${en}\\) (\\S+)`).exec(text)?.[1];
      expect(printed('service requests')).toBe(String(s.totals.requests));
      expect(printed('items')).toBe(String(s.totals.items));
      expect(printed('certificates')).toBe(String(s.totals.certificates));
      expect(printed('pass')).toBe(String(s.totals.pass));
      expect(printed('fail')).toBe(String(s.totals.fail));
      // The decimal comma, as certificates print numbers.
      expect(printed('pass rate')).toBe((s.totals.passRate * 100).toFixed(2).replace('.', ','));
      expect(printed('overdue instruments in service')).toBe(String(s.totals.overdueInstruments));
      expect(text).toContain('Kinh doanh xăng dầu');
      expect(text).toContain('Dự báo nhu cầu');
    } else process.stdout.write('SKIPPED: pdftotext missing (poppler-utils): the printed totals are not read\n');

    const xlsx = await reception
      .get(`/statistics/report.xlsx?from=${quarter.from}&to=${quarter.to}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    expect(book.worksheets.map((ws) => ws.name)).toEqual([
      'Tổng hợp',
      'Theo loại PTĐ',
      'Theo dịch vụ',
      'Theo kết luận',
      'Theo xã phường',
      'Theo lĩnh vực',
      'Dự báo 12 tháng',
    ]);
    const totals = new Map<string, unknown>();
    book.getWorksheet('Tổng hợp')!.eachRow((row) => totals.set(String(row.getCell(2).value), row.getCell(3).value));
    expect(totals.get('period')).toBe(quarter.key);
    expect(totals.get('certificates')).toBe(s.totals.certificates);
    expect(totals.get('pass')).toBe(s.totals.pass);
    expect(totals.get('fail')).toBe(s.totals.fail);
    expect(totals.get('items')).toBe(s.totals.items);
    expect(totals.get('service requests')).toBe(s.totals.requests);
    const sector = book.getWorksheet('Theo lĩnh vực')!.getRow(2).values as unknown[];
    expect(sector.slice(1, 5)).toEqual(['Theo lĩnh vực của khách hàng', 'Kinh doanh xăng dầu', 2, 2]);
    expect(book.getWorksheet('Dự báo 12 tháng')!.rowCount).toBe(13);
  });

  it('accepts a year or from/to that are a quarter or a year, and refuses anything else naming the field', async () => {
    const reception = as(sys, await staffSession(sys, ['reception']));
    const year = quarter.key.slice(0, 4);
    await reception.get(`/statistics/report.xlsx?year=${year}`).buffer(true).parse(binary).expect(200);
    const field = async (query: string) =>
      (await expectStatus<Body>(reception.get(`/statistics/report.pdf?${query}`), 400)).errors[0].field;
    expect(await field(`period=${year}-Q5`)).toBe('period');
    expect(await field(`from=${year}-01-01&to=${year}-02-28`)).toBe('to');
    expect(await field(`from=${year}-01-01`)).toBe('to');
    expect(await field(`period=${year}-Q1&year=${year}`)).toBe('period');
    expect(await field('')).toBe('period');
  });
});
