import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import {
  ARTIFACTS,
  clippedTexts,
  CHROMIUM,
  launchChromium,
  navigate,
  shot,
  signIn,
  withPassword,
  type Person,
} from './support/browser.js';
import {
  createInstrument,
  createInstrumentType,
  createOrganization,
  createStandardWithCertificate,
  inDays,
  instrumentTypeBody,
  staffSession,
  type StaffSession,
} from './support/factories.js';
import { as, ok, type Body } from './support/http.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';

/**
 * The registry and audit screens in a real browser (Debian's Chromium, playwright-core) against the
 * real API on PostgreSQL, with the shipped catalogue seeded: customers and their API keys, the type
 * catalogue with each rule's confidence, standards and their traceability tree, the due list, the
 * audit trail; and an inspector who reads all of it and changes nothing.
 */
const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithChromium('staff web app: registry and audit screens in Chromium', () => {
  let sys: TestSystem;
  let browser: Browser;
  let base: string;
  /** Sets the data up over the API (a password change ends the browser admin's own API session). */
  let root: StaffSession;
  let admin: Person;
  let inspector: Person;
  let org: { id: string; name: string };
  let reference: Body;
  let working: Body;
  const serials: Record<'a' | 'b', string> = { a: '', b: '' };
  let typeA: Body;

  /** Two instruments of two types, verified 350 days ago on a 12-month cycle: due in about 15 days. */
  async function dueInstruments(by: StaffSession): Promise<void> {
    typeA = await createInstrumentType(sys, by, instrumentTypeBody({ nameVi: 'Đồng hồ nước lạnh A' }));
    const typeB = await createInstrumentType(sys, by, instrumentTypeBody({ nameVi: 'Đồng hồ nước lạnh B' }));
    for (const [k, type] of [
      ['a', typeA],
      ['b', typeB],
    ] as const) {
      const instrument = await createInstrument(sys, by, org.id, type.id);
      ok(
        await as(sys, by).post(`/instruments/${instrument.id}/history`, {
          service: 'verification_periodic',
          date: inDays(-350),
          passed: true,
          certificateNumber: `KĐ-${k}-${Date.now()}`,
        }),
        'record a past verification',
      );
      serials[k] = instrument.serialNumber;
    }
  }

  /** A reference standard calibrated against the national standard; a working one against it, due in 20 days. */
  async function standards(by: StaffSession): Promise<void> {
    reference = (
      await createStandardWithCertificate(
        sys,
        by,
        { level: 'reference', name: 'Bình chuẩn chính 20 L' },
        { calibrationDate: inDays(-100), dueDate: inDays(265) },
      )
    ).standard;
    working = (
      await createStandardWithCertificate(
        sys,
        by,
        { level: 'working', name: 'Bình chuẩn công tác 20 L' },
        {
          calibrationDate: inDays(-30),
          dueDate: inDays(20),
          issuingLab: 'TĐC Khánh Hòa',
          externalReference: undefined,
          traceableToStandardId: reference.id,
        },
      )
    ).standard;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    sys = await startTestSystem({ seedCatalogue: true });
    await sys.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sys.app.getHttpServer().address() as AddressInfo).port}`;
    root = await staffSession(sys, ['admin']);
    admin = await withPassword(sys, root, await staffSession(sys, ['admin']));
    inspector = await withPassword(sys, root, await staffSession(sys, ['inspector']));
    org = await createOrganization(sys, { name: `Công ty Cấp nước Cam Ranh ${Date.now()}` });
    await dueInstruments(root);
    await standards(root);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  async function adminPage(): Promise<Page> {
    const page = await browser.newPage({ locale: 'vi-VN' });
    await signIn(page, base, admin);
    return page;
  }

  it('an admin creates an API key for a customer, sees the secret once, and revokes it', async () => {
    const page = await adminPage();
    await navigate(page, 'Khách hàng');
    await page.getByLabel('Tìm theo tên hoặc mã số thuế').fill(org.name);
    await page.getByRole('link', { name: `Mở ${org.name}` }).click();
    await page.getByLabel('Tên khóa (dùng cho việc gì)').fill('Kết nối ERP');
    await page.getByRole('button', { name: 'Tạo khóa API' }).click();
    const dialog = page.getByRole('dialog', { name: 'Khóa API mới: Kết nối ERP' });
    await dialog.getByText('Khóa chỉ hiển thị lần này', { exact: false }).waitFor();
    const key = (await dialog.getByLabel('Khóa (dùng trong tiêu đề X-Api-Key)').textContent())!.trim();
    expect(key).toMatch(/^tdc_/);
    await dialog.getByRole('button', { name: 'Sao chép khóa' }).waitFor();
    await shot(page, '20-api-key-shown-once');
    ok(await as(sys, { key }).get(`/organizations/${org.id}`), 'the key shown works');
    await dialog.getByRole('button', { name: 'Tôi đã lưu khóa' }).click();
    await dialog.waitFor({ state: 'detached' });
    const keys = page.getByRole('table', { name: 'Khóa API' });
    await keys.getByText('Đang dùng').waitFor();
    expect(await page.content()).not.toContain(key); // shown once: gone with the dialog
    await page.getByRole('button', { name: 'Thu hồi khóa Kết nối ERP' }).click();
    await page
      .getByRole('dialog', { name: 'Thu hồi khóa Kết nối ERP' })
      .getByRole('button', { name: 'Thu hồi' })
      .click();
    await keys.getByText(/^Đã thu hồi/).waitFor();
    expect(await page.getByRole('button', { name: 'Thu hồi khóa Kết nối ERP' }).count()).toBe(0);
    await shot(page, '21-api-key-revoked');
    expect((await as(sys, { key }).get(`/organizations/${org.id}`)).status).toBe(401);
    await page.close();
  }, 90_000);

  it("the catalogue shows each seeded rule's confidence plainly, and the admin confirms a SECONDARY rule", async () => {
    const page = await adminPage();
    await navigate(page, 'Danh mục loại PTĐ');
    await page.getByLabel('Tìm theo mã hoặc tên').fill('PRESSURE_GAUGE_SPRING');
    const table = page.getByRole('table', { name: 'Danh mục loại phương tiện đo' });
    // The search's own answer (the header and one row), not the unfiltered first page it replaces.
    await eventually(async () => ((await table.getByRole('row').count()) === 2 ? true : undefined));
    const row = table.getByRole('row').filter({ hasText: 'PRESSURE_GAUGE_SPRING' });
    await row.getByText('SECONDARY · nguồn thứ cấp, phải xác nhận trước khi dùng').waitFor();
    await row.getByText('Chưa kiểm định được').waitFor();
    // Read whole, not cut to "Chưa kiể…" and "SECONDARY · nguồn thứ c…" by the badges' ellipsis.
    expect(await clippedTexts(row)).toEqual([]);
    await shot(page, '22-catalogue');
    await page.getByRole('link', { name: 'Mở PRESSURE_GAUGE_SPRING' }).click();
    const rules = page.getByRole('table', { name: 'Quy tắc MPE' });
    await rules.getByText(/^SECONDARY/).waitFor();
    await page
      .getByRole('list', { name: 'Sẵn sàng theo dịch vụ' })
      .getByText(/chưa có chu kỳ kiểm định hiệu lực ngày \d\d\/\d\d\/\d{4}/)
      .first()
      .waitFor();
    await rules.getByRole('button', { name: /^Xác nhận quy tắc/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Xác nhận quy tắc MPE theo văn bản' });
    await dialog.getByLabel('Văn bản đã đối chiếu').fill('ĐLVN 08:2011, mục 5.3');
    await dialog.getByRole('button', { name: 'Xác nhận' }).click();
    await rules.getByText(/^Đã xác nhận .* theo ĐLVN 08:2011, mục 5.3$/).waitFor();
    await rules.getByText('SECONDARY · nguồn thứ cấp, phải xác nhận trước khi dùng · đã xác nhận').waitFor();
    await shot(page, '23-type-rule-confirmed');
    await page.close();
  }, 90_000);

  it("a standard's due warning, and its traceability chain drawn as a tree up to the national standard", async () => {
    const page = await adminPage();
    await navigate(page, 'Chuẩn đo lường');
    await page.getByLabel('Tìm theo mã hoặc tên').fill(working.code);
    const row = page.getByRole('table', { name: 'Chuẩn đo lường' }).getByRole('row').filter({ hasText: working.code });
    await row.getByText(/^Sắp đến hạn · \d{2}\/\d{2}\/\d{4}$/).waitFor();
    await page.getByText('Đến hạn hiệu chuẩn trong 60 ngày hoặc quá hạn').click();
    await page
      .getByRole('table', { name: 'Đến hạn hiệu chuẩn trong 60 ngày hoặc quá hạn' })
      .getByText(working.code)
      .waitFor();
    await shot(page, '24-standards-due');
    await page.getByRole('link', { name: `Mở ${working.code}` }).click();
    const tree = page.getByRole('tree', { name: 'Chuỗi liên kết chuẩn' });
    await tree.waitFor();
    const items = tree.getByRole('treeitem');
    expect(await items.count()).toBe(3);
    // Top-down: the national standard, the reference standard, then this working standard.
    const texts = await tree.locator('[role=treeitem] > *:first-child').allTextContents();
    expect(texts[0]).toBe('Chuẩn quốc gia: Chuẩn quốc gia dung tích — VMI');
    expect(texts[1]).toContain(`${reference.code} · Bình chuẩn chính 20 L`);
    expect(texts[2]).toContain(`${working.code} · Bình chuẩn công tác 20 L`);
    expect(texts[2]).toContain('còn hiệu lực');
    await page
      .getByRole('status')
      .getByText('Liên kết không đứt đến Chuẩn quốc gia: Chuẩn quốc gia dung tích — VMI')
      .waitFor();
    await shot(page, '25-standard-traceability');
    await page.close();
  }, 90_000);

  it('the due list filters by area, type and window', async () => {
    const page = await adminPage();
    await navigate(page, 'Danh sách đến hạn');
    const table = page.getByRole('table', { name: 'Danh sách phương tiện đo đến hạn kiểm định' });
    await table.getByText(serials.a).waitFor();
    await table.getByText(serials.b).waitFor();
    await shot(page, '26-due-list');
    // The area: the district of the place of use, or the owner's (Nha Trang) when the instrument has none.
    await page.getByLabel('Khu vực (quận/huyện nơi sử dụng)').fill('Cam Ranh');
    await page.getByText('Không có gì để hiển thị').waitFor();
    await page.getByLabel('Khu vực (quận/huyện nơi sử dụng)').fill('Nha Trang');
    await table.getByText(serials.b).waitFor();
    await page.getByLabel('Loại phương tiện đo').selectOption({ label: `${typeA.code} · ${typeA.nameVi}` });
    await table.getByText(serials.b).waitFor({ state: 'detached' });
    await table.getByText(serials.a).waitFor();
    // Due in about 15 days: outside "overdue or due today only".
    await page.getByLabel('Khoảng thời gian').selectOption({ label: 'Chỉ quá hạn hoặc đến hạn hôm nay' });
    await page.getByText('Không có gì để hiển thị').waitFor();
    await page.close();
  }, 90_000);

  it("an instrument's page: owner, place of use, due state, service history; in English too", async () => {
    const page = await adminPage();
    await navigate(page, 'Phương tiện đo');
    await page.getByLabel('Số sản xuất (đúng từng ký tự)').fill(serials.a);
    const table = page.getByRole('table', { name: 'Phương tiện đo' });
    await table
      .getByRole('row')
      .filter({ hasText: serials.a })
      .getByText(/^Sắp đến hạn · /)
      .waitFor();
    await table.getByText(serials.b).waitFor({ state: 'detached' }); // the serial filter applied
    await table.getByText(serials.a).waitFor();
    expect(await table.getByRole('row').count()).toBe(2); // header and the one serial
    await page.getByRole('link', { name: `Mở ${serials.a}` }).click();
    await page.getByRole('heading', { name: `Đồng hồ nước lạnh A · ${serials.a}` }).waitFor();
    await page.getByRole('link', { name: org.name }).waitFor();
    const history = page.getByRole('table', { name: 'Lịch sử dịch vụ' });
    await history.getByText('Kiểm định định kỳ').waitFor();
    await history.getByText(/^KĐ-a-/).waitFor();
    await history.getByText('Nhập từ sổ sách').waitFor();
    await shot(page, '30-instrument');
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('table', { name: 'Service history' }).getByText('Periodic verification').waitFor();
    await page.getByText(/^Due soon · \d{2}\/\d{2}\/\d{4}$/).waitFor();
    await page.getByText('Tiếng Việt', { exact: true }).click();
    await page.close();
  }, 90_000);

  it("the audit trail shows the key's creation and revocation, by record and by actor", async () => {
    const [apiKey] = ok(await as(sys, root).get(`/organizations/${org.id}/api-keys`), 'keys').items as Body[];
    const page = await adminPage();
    await navigate(page, 'Nhật ký kiểm tra');
    await page.getByLabel('Loại bản ghi').selectOption({ label: 'Khóa API' });
    await page.getByLabel('Mã bản ghi').fill(apiKey.id);
    const table = page.getByRole('table', { name: 'Nhật ký kiểm tra' });
    const rows = table.getByRole('row').filter({ hasText: `Test ${admin.username} (nhân viên)` });
    await rows.filter({ hasText: 'create' }).getByText('Kết nối ERP', { exact: false }).waitFor();
    await rows.filter({ hasText: 'revoke' }).waitFor();
    expect(await table.getByRole('row').count()).toBe(3); // header, create, revoke
    await shot(page, '27-audit-key');
    await rows
      .first()
      .getByRole('button', { name: `Chỉ việc của Test ${admin.username}` })
      .click();
    await page.getByRole('button', { name: 'Bỏ lọc' }).waitFor();
    await expect(page.getByLabel('Mã người thực hiện').inputValue()).resolves.toBe(admin.userId);
    // Everything this admin did, by actor: the registry set-up, the key, the rule confirmed.
    await page.getByLabel('Loại bản ghi').selectOption({ label: 'Tất cả' });
    await page.getByLabel('Mã bản ghi').fill('');
    await table.getByText('Quy tắc MPE').waitFor();
    await page.close();
  }, 90_000);

  it('an inspector reads these screens and sees no control that changes anything', async () => {
    ok(await as(sys, root).post(`/organizations/${org.id}/api-keys`, { name: 'Cổng thanh toán' }), 'an active key');
    const catalogue = ok(await as(sys, root).get('/instrument-types?limit=200'), 'catalogue').items as Body[];
    const unconfirmed = catalogue.find((t) => (t.mpeRules as Body[]).some((r) => !r.usable))!;
    const page = await browser.newPage({ locale: 'vi-VN' });
    await signIn(page, base, inspector);
    expect(await page.getByRole('link', { name: 'Nhật ký kiểm tra' }).count()).toBe(0);
    await navigate(page, 'Khách hàng');
    await page.getByLabel('Tìm theo tên hoặc mã số thuế').fill(org.name);
    await page.getByRole('link', { name: `Mở ${org.name}` }).click();
    await page.getByRole('table', { name: 'Khóa API' }).getByText('Cổng thanh toán').waitFor();
    await page.getByText('Chỉ xem', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Tạo khóa API' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Thu hồi/ }).count()).toBe(0);
    expect(await page.getByLabel('Tên khóa (dùng cho việc gì)').count()).toBe(0);
    await shot(page, '28-inspector-customer');
    await navigate(page, 'Danh mục loại PTĐ');
    await page.getByLabel('Tìm theo mã hoặc tên').fill(unconfirmed.code);
    await page.getByRole('link', { name: `Mở ${unconfirmed.code}` }).click();
    await page
      .getByRole('table', { name: 'Quy tắc MPE' })
      .getByText(/^(SECONDARY|UNCERTAIN)/)
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: /^Xác nhận/ }).count()).toBe(0);
    await shot(page, '29-inspector-type');
    await navigate(page, 'Chuẩn đo lường');
    await page.getByLabel('Tìm theo mã hoặc tên').fill(working.code);
    await page.getByRole('link', { name: `Mở ${working.code}` }).click();
    await page.getByRole('tree', { name: 'Chuỗi liên kết chuẩn' }).waitFor();
    expect(
      await page
        .getByRole('button')
        .filter({ hasNotText: /^(Đăng xuất|Xem thêm)$/ })
        .count(),
    ).toBe(0);
    await page.close();
  }, 90_000);
});
