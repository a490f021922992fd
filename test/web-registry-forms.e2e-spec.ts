import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  ARTIFACTS,
  CHROMIUM,
  launchChromium,
  navigate,
  shot,
  signIn,
  withPassword,
  type Person,
} from './support/browser.js';
import { certificateWorld, type CertificateWorld } from './support/certificates.js';
import {
  createInstrument,
  createInstrumentType,
  createOrganization,
  inDays,
  instrumentTypeBody,
  requestOfNewInstruments,
  staffSession,
} from './support/factories.js';
import { as, ok, type Body } from './support/http.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * The registry's forms in a real browser (Debian's Chromium) against the real API on PostgreSQL:
 * reception edits a customer and registers, edits and transfers its instrument (decimal comma, a 422
 * beside its field); an admin creates a centre type with its MPE rule and a cycle, and edits it; the
 * due list is exported with its filters (the XLSX read back); reception schedules and receives every
 * item of a request larger than a page; an inspector sees none of the edit controls.
 */
const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;

/** Waits until this field is marked invalid (the API's field error shown beside it). */
async function invalid(field: Locator): Promise<void> {
  await field.and(field.page().locator('[aria-invalid="true"]')).waitFor();
}

describeWithChromium('staff web app: registry forms, due-list export and batch actions on all items', () => {
  let sys: TestSystem;
  let browser: Browser;
  let base: string;
  let w: CertificateWorld;
  let admin: Person;
  let reception: Person;
  let inspector: Person;
  let org: { id: string; name: string };
  let other: { id: string; name: string; taxCode: string };
  let province: Body;
  const run = Date.now().toString(36).toUpperCase();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    sys = await startTestSystem();
    await sys.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sys.app.getHttpServer().address() as AddressInfo).port}`;
    w = await certificateWorld(sys);
    admin = await withPassword(sys, w.admin, await staffSession(sys, ['admin']));
    reception = await withPassword(sys, w.admin, await staffSession(sys, ['reception']));
    inspector = await withPassword(sys, w.admin, await staffSession(sys, ['inspector']));
    org = await createOrganization(sys, { name: `Công ty Xăng dầu Phú Khánh ${run}` });
    other = await createOrganization(sys, { name: `Công ty Vận tải Cam Ranh ${run}` });
    const provinces = ok(await as(sys, w.admin).get('/admin-units?level=province&limit=200'), 'provinces');
    province = (provinces.items as Body[]).find((p) => p.name === 'Khánh Hòa') ?? (provinces.items as Body[])[0]!;
    browser = await launchChromium();
  }, 300_000); // the set-up took over 120 s at load average 25

  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  async function pageOf(who: Person): Promise<Page> {
    const page = await browser.newPage({ locale: 'vi-VN', acceptDownloads: true });
    page.setDefaultTimeout(15_000);
    await signIn(page, base, who);
    return page;
  }

  async function openCustomer(page: Page, name: string): Promise<void> {
    await navigate(page, 'Khách hàng');
    await page.getByLabel('Tìm theo tên hoặc mã số thuế').fill(name);
    await page.getByRole('link', { name: `Mở ${name}` }).click();
    await page.getByRole('heading', { name }).waitFor();
  }

  it('reception edits a customer: name, address with province, a contact e-mail, recall notices off', async () => {
    const page = await pageOf(reception);
    await openCustomer(page, org.name);
    await page.getByText('Nhận thông báo đến hạn', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sửa thông tin khách hàng' }).click();
    const dialog = page.getByRole('dialog', { name: `Sửa thông tin: ${org.name}` });
    await dialog.getByRole('textbox', { name: 'Tên', exact: true }).fill(`${org.name} (chi nhánh)`);
    await dialog.getByLabel('Tỉnh / thành phố', { exact: true }).selectOption({ label: province.name as string });
    await dialog.getByRole('button', { name: 'Thêm người liên hệ' }).click();
    await dialog.getByLabel('Tên người liên hệ 1').fill('Trần Thị Bình');
    await dialog.getByLabel('E-mail 1').fill('khong-phai-email');
    await dialog.getByRole('switch', { name: 'Nhận thông báo đến hạn kiểm định' }).uncheck({ force: true });
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    // The API's 400 names contacts[0].email: the message is beside that field, the dialog stays.
    await invalid(dialog.getByLabel('E-mail 1'));
    await shot(page, '40-customer-edit-field-error');
    await dialog.getByLabel('E-mail 1').fill('binh.tran@example.vn');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.waitFor({ state: 'detached' });
    org.name = `${org.name} (chi nhánh)`;
    await page.getByRole('heading', { name: org.name }).waitFor();
    await page.getByText('Từ chối nhận thông báo đến hạn').waitFor();
    const saved = ok(await as(sys, w.admin).get(`/organizations/${org.id}`), 'customer');
    expect(saved.name).toBe(org.name);
    expect(saved.provinceId).toBe(province.id);
    expect(saved.contacts).toEqual([{ name: 'Trần Thị Bình', email: 'binh.tran@example.vn' }]);
    const prefs = ok(await as(sys, w.admin).get(`/organizations/${org.id}/notice-preferences`), 'prefs');
    expect(prefs.recallNotices).toBe(false);
    await shot(page, '41-customer-edited');
    await page.close();
  }, 90_000);

  it("reception registers the customer's instrument from its page, edits it and transfers it", async () => {
    const serial = `TATSUNO-${run}`;
    const page = await pageOf(reception);
    await openCustomer(page, org.name);
    await page.getByRole('button', { name: 'Đăng ký phương tiện đo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Đăng ký phương tiện đo mới' });
    const type = `${w.fuelType.code as string} · ${w.fuelType.nameVi as string}`;
    await dialog.getByLabel('Loại phương tiện đo').selectOption({ label: type });
    await dialog.getByRole('textbox', { name: 'Số sản xuất', exact: true }).fill(serial);
    await dialog.getByRole('textbox', { name: 'Hãng sản xuất', exact: true }).fill('Tatsuno');
    await dialog.getByRole('textbox', { name: 'Kiểu', exact: true }).fill('SUNNY-2');
    await dialog.getByRole('textbox', { name: 'Đo từ', exact: true }).fill('5');
    await dialog.getByRole('textbox', { name: 'Đo đến', exact: true }).fill('60');
    await dialog.getByRole('textbox', { name: 'Độ phân giải', exact: true }).fill('0');
    await dialog.getByLabel('Tên cơ sở (cửa hàng, trạm…)').fill('Cửa hàng xăng dầu số 5');
    await dialog.getByRole('button', { name: 'Đăng ký phương tiện đo' }).click();
    // A resolution of 0 is refused by the API: its message beside the field.
    await invalid(dialog.getByRole('textbox', { name: 'Độ phân giải', exact: true }));
    await dialog.getByRole('textbox', { name: 'Độ phân giải', exact: true }).fill('0,01'); // decimal comma
    await shot(page, '42-instrument-register');
    await dialog.getByRole('button', { name: 'Đăng ký phương tiện đo' }).click();
    await page.getByRole('heading', { name: `${w.fuelType.nameVi as string} · ${serial}` }).waitFor();
    const found = ok(await as(sys, w.admin).get(`/instruments?serial=${serial}`), 'by serial').items as Body[];
    expect(found).toHaveLength(1);
    const id = found[0]!.id as string;
    let i = ok(await as(sys, w.admin).get(`/instruments/${id}`), 'instrument');
    expect(i).toMatchObject({ resolution: '0.01', rangeMin: '5', rangeMax: '60', model: 'SUNNY-2' });
    expect((i.owner as Body).id).toBe(org.id);
    expect((i.placeOfUse as Body).siteName).toBe('Cửa hàng xăng dầu số 5');

    await page.getByRole('button', { name: 'Sửa phương tiện đo' }).click();
    const edit = page.getByRole('dialog', { name: `Sửa phương tiện đo ${serial}` });
    expect(await edit.getByRole('textbox', { name: 'Độ phân giải', exact: true }).inputValue()).toBe('0,01');
    await edit.getByRole('textbox', { name: 'Kiểu', exact: true }).fill('SUNNY-3');
    await edit.getByRole('textbox', { name: 'Mã tem', exact: true }).fill(`TĐC-${run}-7`);
    await edit.getByLabel('Tỉnh / thành phố', { exact: true }).selectOption({ label: province.name as string });
    await edit.getByRole('button', { name: 'Lưu' }).click();
    await edit.waitFor({ state: 'detached' });
    await page.getByText('SUNNY-3', { exact: true }).waitFor();
    i = ok(await as(sys, w.admin).get(`/instruments/${id}`), 'instrument');
    expect(i).toMatchObject({ model: 'SUNNY-3', labelCode: `TĐC-${run}-7`, resolution: '0.01' });
    expect((i.placeOfUse as Body).provinceId).toBe(province.id);
    expect((i.placeOfUse as Body).siteName).toBe('Cửa hàng xăng dầu số 5'); // untouched fields kept
    await shot(page, '43-instrument-edited');

    await page.getByRole('button', { name: 'Chuyển chủ sở hữu' }).click();
    const transfer = page.getByRole('dialog', { name: `Chuyển chủ sở hữu phương tiện đo ${serial}` });
    await transfer.getByLabel('Tìm đơn vị sở hữu mới').fill(other.name);
    await transfer
      .getByLabel('Đơn vị sở hữu mới', { exact: true })
      .selectOption({ label: `${other.name} (${other.taxCode})` });
    await transfer.getByLabel('Lý do (hợp đồng, quyết định…)').fill('Bán theo hợp đồng số 12/2026');
    await transfer.getByRole('button', { name: 'Chuyển chủ sở hữu' }).click();
    await transfer.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: other.name }).waitFor();
    i = ok(await as(sys, w.admin).get(`/instruments/${id}`), 'instrument');
    expect((i.owner as Body).id).toBe(other.id);
    await page.close();
  }, 120_000);

  it('an admin creates a centre type with its MPE rule and first cycle, then edits it', async () => {
    const code = `TAXI_${run}`;
    const page = await pageOf(admin);
    await navigate(page, 'Danh mục loại PTĐ');
    await page.getByRole('button', { name: 'Thêm loại của trung tâm' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm loại phương tiện đo của trung tâm' });
    await dialog.getByLabel('Mã (chữ in hoa, số, _ . -)').fill(code);
    await dialog.getByLabel('Tên tiếng Việt').fill('Taximet thử');
    await dialog.getByLabel('Tên tiếng Anh').fill('Test taximeter');
    await dialog.getByLabel('Đại lượng đo').fill('distance');
    await dialog.getByRole('textbox', { name: 'Đơn vị', exact: true }).fill('km');
    await dialog.getByRole('checkbox', { name: 'Kiểm định định kỳ' }).check();
    await dialog.getByLabel('Quy trình (mỗi dòng một quy trình, ví dụ ĐLVN 10:2017)').fill('ĐLVN 33:2019');
    const rule = dialog.getByLabel('Quy tắc MPE của trung tâm (JSON)');
    await rule.fill('{"kind": "percent_of_reading", "p": 1');
    await dialog.getByText(/^JSON không hợp lệ/).waitFor(); // checked as typed, nothing sent
    expect(await dialog.getByRole('button', { name: 'Lưu' }).isDisabled()).toBe(true);
    await rule.fill('{"kind": "percent_of_reading", "p": 1}');
    await dialog.getByText('Quy tắc: percent_of_reading(p = 1)').waitFor();
    await dialog.getByLabel('Chu kỳ (tháng)').fill('12');
    await dialog.getByLabel('Căn cứ').fill('Thông tư 03/2024/TT-BKHCN');
    const from = dialog.getByLabel('Hiệu lực từ');
    await from.fill('15/10/2024'); // dd/MM/yyyy; the added cycle below starts today
    await from.blur();
    await shot(page, '44-type-create');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('heading', { name: `${code} · Taximet thử` }).waitFor();
    await page.getByText('Quy tắc MPE của trung tâm: percent_of_reading(p = 1)').waitFor();
    await page.getByRole('table', { name: 'Lịch sử chu kỳ kiểm định' }).getByText('12 tháng').waitFor();
    const types = ok(await as(sys, w.admin).get(`/instrument-types?q=${code}`), 'types').items as Body[];
    expect(types[0]).toMatchObject({
      code,
      mpeRule: { kind: 'percent_of_reading', p: 1 },
      services: ['verification_periodic'],
    });
    expect(types[0]!.procedures).toMatchObject([{ code: 'ĐLVN 33', version: '2019' }]);

    await page.getByRole('button', { name: 'Sửa loại phương tiện đo' }).click();
    const edit = page.getByRole('dialog', { name: `Sửa loại ${code}` });
    await edit.getByLabel('Quy tắc MPE của trung tâm (JSON)').fill('{"kind": "percent_of_reading", "p": 0.5}');
    await edit.getByRole('button', { name: 'Lưu' }).click();
    await edit.waitFor({ state: 'detached' });
    await page.getByText('Quy tắc MPE của trung tâm: percent_of_reading(p = 0,5)').waitFor(); // decimal comma
    await page.getByRole('button', { name: 'Thêm chu kỳ kiểm định' }).click();
    const cycle = page.getByRole('dialog', { name: `Thêm chu kỳ kiểm định cho ${code}` });
    await cycle.getByLabel('Chu kỳ (tháng)').fill('24');
    await cycle.getByLabel('Căn cứ').fill('Quyết định thử của trung tâm');
    await cycle.getByRole('button', { name: 'Lưu' }).click();
    await cycle.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Lịch sử chu kỳ kiểm định' }).getByText('24 tháng').waitFor();
    await shot(page, '45-type-edited');
    const type = ok(await as(sys, w.admin).get(`/instrument-types/${types[0]!.id as string}`), 'type');
    expect(type.mpeRule).toEqual({ kind: 'percent_of_reading', p: 0.5 });
    expect(type.nameVi).toBe('Taximet thử'); // untouched
    await page.close();
  }, 120_000);

  it('exports the due list with its filters: the XLSX holds the filtered rows only', async () => {
    const typeA = await createInstrumentType(sys, w.admin, instrumentTypeBody({ nameVi: `Đồng hồ nước A ${run}` }));
    const typeB = await createInstrumentType(sys, w.admin, instrumentTypeBody({ nameVi: `Đồng hồ nước B ${run}` }));
    const serials: string[] = [];
    for (const type of [typeA, typeB]) {
      const instrument = await createInstrument(sys, w.admin, other.id, type.id as string);
      ok(
        await as(sys, w.admin).post(`/instruments/${instrument.id as string}/history`, {
          service: 'verification_periodic',
          date: inDays(-350),
          passed: true,
          certificateNumber: `KĐ-${run}-${serials.length}`,
        }),
        'a past verification',
      );
      serials.push(instrument.serialNumber as string);
    }
    const page = await pageOf(admin);
    await navigate(page, 'Danh sách đến hạn');
    const table = page.getByRole('table', { name: 'Danh sách phương tiện đo đến hạn kiểm định' });
    await table.getByText(serials[1]!).waitFor();
    await page
      .getByLabel('Loại phương tiện đo')
      .selectOption({ label: `${typeA.code as string} · ${typeA.nameVi as string}` });
    await table.getByText(serials[1]!).waitFor({ state: 'detached' });
    await table.getByText(serials[0]!).waitFor();
    const download = page.waitForEvent('download');
    const request = page.waitForRequest((r) => r.url().includes('/instruments/due/export'));
    await page.getByRole('button', { name: 'Tải danh sách (XLSX)' }).click();
    expect((await request).url()).toContain(`type=${typeA.id as string}`);
    const file = await (await download).path();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const cells: string[] = [];
    book.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    expect(cells).toContain(serials[0]);
    expect(cells).not.toContain(serials[1]);
    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Tải danh sách (CSV)' }).click();
    const text = readFileSync(await (await csv).path(), 'utf8');
    expect(text).toContain(serials[0]);
    expect(text).not.toContain(serials[1]);
    await shot(page, '46-due-export');
    await page.close();
  }, 120_000);

  it('reception schedules and receives every item of a 53-item request, not only the 50 loaded', async () => {
    const big = await createOrganization(sys, { name: `Tổng kho ${run}` });
    const request = await requestOfNewInstruments(sys, w.admin, {
      organizationId: big.id,
      instrumentTypeId: w.fuelType.id as string,
      count: 53,
      serialPrefix: `ALL-${run}`,
    });
    ok(await as(sys, w.admin).post(`/requests/${request.id as string}/accept`, {}), 'accept all');
    const page = await pageOf(reception);
    await page.goto(`${base}/desk/${request.id as string}`);
    const panel = page.getByRole('region', { name: 'Thao tác trên tất cả thiết bị của yêu cầu' });
    await panel.getByText('Lên lịch tất cả 53 thiết bị đã nhận hợp đồng').waitFor();
    await panel.getByLabel('Kỹ thuật viên (tất cả thiết bị)').selectOption({ label: `Test ${w.technician.username}` });
    await panel.getByRole('button', { name: 'Lên lịch tất cả 53 thiết bị' }).click();
    await panel.getByText('Nhận tất cả 53 thiết bị đã lên lịch').waitFor({ timeout: 30_000 });
    let r = ok(await as(sys, w.admin).get(`/requests/${request.id as string}`), 'request');
    expect(r.itemStatusCounts).toEqual({ scheduled: 53 });
    await panel.getByLabel('Mã tem đầu tiên (các tem sau đánh số tiếp)').fill(`TĐC-${run}-0001`);
    await panel.getByText(`Tem từ TĐC-${run}-0001 đến TĐC-${run}-0053`).waitFor();
    await panel.getByLabel('Tình trạng khi nhận (chung cho tất cả)').fill('Nguyên niêm phong');
    await shot(page, '47-receive-all');
    await panel.getByRole('button', { name: 'Nhận tất cả 53 thiết bị' }).click();
    await panel.waitFor({ state: 'detached', timeout: 30_000 });
    r = ok(await as(sys, w.admin).get(`/requests/${request.id as string}`), 'request');
    expect(r.itemStatusCounts).toEqual({ received: 53 });
    const last = ok(await as(sys, w.admin).get(`/requests/${request.id as string}/items?limit=200`), 'items');
    const labels = (last.items as Body[]).map((i) => i.labelId).sort();
    expect(labels).toHaveLength(53);
    expect(new Set(labels).size).toBe(53);
    expect(labels[0]).toBe(`TĐC-${run}-0001`);
    expect(labels[52]).toBe(`TĐC-${run}-0053`);
    await page.close();
  }, 120_000);

  it('an inspector sees no edit control on the customer, instrument, catalogue and due-list screens', async () => {
    const instrument = await createInstrument(sys, w.admin, org.id, w.fuelType.id as string);
    const page = await pageOf(inspector);
    await page.getByText(/Thanh tra \(chỉ xem\)/).waitFor(); // GET /auth/me answered: the roles are known
    await openCustomer(page, org.name);
    await page
      .getByRole('table', { name: 'Phương tiện đo của khách hàng' })
      .getByText(instrument.serialNumber as string)
      .waitFor();
    for (const name of ['Sửa thông tin khách hàng', 'Đăng ký phương tiện đo'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    await shot(page, '48-inspector-customer');
    await page.getByRole('link', { name: `Mở ${instrument.serialNumber as string}` }).click();
    await page.getByRole('heading', { name: 'Lịch sử dịch vụ' }).waitFor();
    for (const name of ['Sửa phương tiện đo', 'Chuyển chủ sở hữu'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    await navigate(page, 'Phương tiện đo');
    await page.getByRole('table', { name: 'Phương tiện đo' }).waitFor();
    expect(await page.getByRole('button', { name: 'Đăng ký phương tiện đo' }).count()).toBe(0);
    await navigate(page, 'Danh mục loại PTĐ');
    await page.getByLabel('Tìm theo mã hoặc tên').fill(w.fuelType.code as string);
    await page.getByRole('link', { name: `Mở ${w.fuelType.code as string}` }).click();
    await page.getByRole('table', { name: 'Quy tắc MPE' }).waitFor();
    for (const name of ['Sửa loại phương tiện đo', 'Thêm chu kỳ kiểm định'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    await navigate(page, 'Danh mục loại PTĐ');
    await page.getByRole('table', { name: 'Danh mục loại phương tiện đo' }).waitFor();
    expect(await page.getByRole('button', { name: 'Thêm loại của trung tâm' }).count()).toBe(0);
    await shot(page, '49-inspector-catalogue');
    await page.close();
  }, 90_000);
});
