import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { certificateWorld, hasTool, pdfText, type CertificateWorld } from './support/certificates.js';
import {
  createInstrument,
  createInstrumentType,
  createOrganization,
  pressureGaugeTypeBody,
  requestOfNewInstruments,
  staffSession,
} from './support/factories.js';
import { as, ok } from './support/http.js';
import { ARTIFACTS, CHROMIUM, launchChromium, shot as capture } from './support/browser.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * The reception desk in a real browser (Debian's Chromium, playwright-core) against the real API,
 * PostgreSQL and Redis, on the production build: the sign-in page switches to English before signing
 * in; reception registers a walk-in customer and request, accepts part of it with a reason, schedules
 * and receives in batches, and downloads the label sheet; dates read dd/MM/yyyy in a browser whose
 * locale is en-US.
 */
const PASSWORD = 'correct horse battery staple 42';

const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithChromium('staff web app: the reception desk in Chromium', () => {
  let sys: TestSystem;
  let browser: Browser;
  let page: Page;
  let base: string;
  let w: CertificateWorld;
  let reception: { username: string };
  const run = Date.now().toString(36).toUpperCase();
  const serials = [1, 2, 3].map((i) => `WALK-${run}-${i}`);
  const labels = [`TĐC-${run}-1`, `TĐC-${run}-3`];
  const shot = (name: string) => capture(page, name);
  const field = (name: string) => page.getByRole('textbox', { name, exact: true });
  const itemRow = (serial: string) =>
    page.getByRole('table', { name: 'Số thiết bị' }).getByRole('row').filter({ hasText: serial });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    sys = await startTestSystem();
    await sys.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sys.app.getHttpServer().address() as AddressInfo).port}`;
    w = await certificateWorld(sys);
    const desk = await staffSession(sys, ['reception']);
    ok(await as(sys, w.admin).post(`/users/${desk.userId}/password`, { newPassword: PASSWORD }), 'password');
    reception = desk;
    browser = await launchChromium();
    // en-US: the locale whose native date input would read MM/dd/yyyy.
    page = await (await browser.newContext({ locale: 'en-US', acceptDownloads: true })).newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('switches the sign-in page to English before signing in, and back', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByLabel('Username').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await shot('10-sign-in-english');
    await page.getByLabel('Username').fill(reception.username);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await page.getByText('Tiếng Việt', { exact: true }).click();
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).waitFor();
  }, 60_000);

  it('registers a walk-in customer and request with three new instruments', async () => {
    await page.getByRole('link', { name: 'Tiếp nhận yêu cầu tại quầy' }).click();
    await page.getByRole('button', { name: 'Khách hàng mới' }).click();
    await field('Tên khách hàng').fill(`Hợp tác xã Vận tải Quảng Ngãi ${run}`);
    await field('Mã số thuế').fill(String(Date.now()).slice(-10));
    await field('Địa chỉ').fill('12 Lê Lợi');
    await field('Tỉnh/thành phố').fill('Quảng Ngãi');
    await page.getByRole('button', { name: 'Đăng ký khách hàng' }).click();
    await page.getByText(`Khách hàng: Hợp tác xã Vận tải Quảng Ngãi ${run}`).waitFor();
    for (const [i, serial] of serials.entries()) {
      await page.getByRole('button', { name: 'Thêm thiết bị mới' }).click();
      await page.getByLabel(`Loại thiết bị ${i + 1}`).selectOption(w.fuelType.id as string);
      await field(`Hãng sản xuất ${i + 1}`).fill('Tatsuno');
      await field(`Số sê-ri ${i + 1}`).fill(serial);
      await page.getByLabel(`Dịch vụ ${i + 1}`).selectOption('verification_periodic');
    }
    // The first one's technical data, typed the Vietnamese way (decimal comma).
    await field('Cấp chính xác 1').fill('0,5');
    await field('Phạm vi đo từ 1').fill('5');
    await field('Phạm vi đo đến 1').fill('60');
    await field('Đơn vị PVĐ 1').fill('L/min');
    await field('Độ phân giải 1').fill('0,01');
    await field('Đơn vị ĐPG 1').fill('L');
    const preferred = page.getByLabel('Ngày mong muốn');
    const inAWeek = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(
      new Date(Date.now() + 7 * 86_400_000),
    );
    await preferred.fill(inAWeek);
    await preferred.blur();
    expect(await preferred.inputValue()).toBe(inAWeek); // dd/MM/yyyy as typed, not the en-US MM/dd/yyyy
    await shot('11-walk-in-request');
    await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    await page.getByRole('heading', { name: 'Xem xét hợp đồng' }).waitFor();
    for (const serial of serials) await itemRow(serial).getByText('Mới gửi').waitFor();
    // (The desk's own token was revoked when its password was set: read as the admin.)
    const registered = await as(sys, w.admin).get(`/instruments?serial=${serials[0]}`).expect(200);
    expect(registered.body.items[0]).toMatchObject({
      serialNumber: serials[0],
      accuracyClass: '0.5',
      rangeMin: '5',
      rangeMax: '60',
      rangeUnit: 'L/min',
      resolution: '0.01',
      resolutionUnit: 'L',
    });
  }, 60_000);

  it('accepts two instruments and refuses the second with a reason', async () => {
    await page.getByRole('table', { name: 'Xem xét hợp đồng' }).getByText('Làm được').first().waitFor();
    await page.getByRole('checkbox', { name: `Từ chối ${serials[1]}` }).check();
    await page.getByLabel(`Lý do từ chối ${serials[1]}`).fill('Vỡ kính hiển thị, khách sẽ sửa rồi gửi lại');
    await shot('12-contract-review-refusal');
    await page.getByRole('button', { name: 'Nhận hợp đồng' }).click();
    await itemRow(serials[1]!).getByText('Vỡ kính hiển thị, khách sẽ sửa rồi gửi lại').waitFor();
    await itemRow(serials[0]!).getByText('Đã nhận hợp đồng').waitFor();
    await itemRow(serials[2]!).getByText('Đã nhận hợp đồng').waitFor();
  }, 60_000);

  it('schedules both in one batch; the date reads dd/MM/yyyy in an en-US browser', async () => {
    const panel = page.getByRole('region', { name: 'Lên lịch các thiết bị đã nhận hợp đồng' });
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    expect(await panel.getByLabel('Ngày thực hiện').inputValue()).toBe(today);
    await panel.getByLabel('Kỹ thuật viên').selectOption({ label: `Test ${w.technician.username}` });
    await shot('13-batch-schedule');
    const batch = page.waitForResponse((r) => r.url().endsWith('/items/schedule') && r.request().method() === 'POST');
    await panel.getByRole('button', { name: 'Lên lịch' }).click();
    expect(((await (await batch).json()) as { items: unknown[] }).items).toHaveLength(2); // one call, both items
    await itemRow(serials[0]!).getByText('Đã lên lịch').waitFor();
    await itemRow(serials[2]!).getByText('Đã lên lịch').waitFor();
    expect(await itemRow(serials[0]!).getByText(today).count()).toBe(1);
  }, 60_000);

  it('receives both in one batch and downloads their label sheet', async () => {
    await page.getByLabel('Tình trạng khi nhận (chung cho các thiết bị)').fill('Nguyên niêm phong');
    await page.getByLabel(`Mã tem ${serials[0]}`).fill(labels[0]!);
    await page.getByLabel(`Mã tem ${serials[2]}`).fill(labels[1]!);
    await page.getByRole('button', { name: 'Nhận 2 thiết bị' }).click();
    await itemRow(serials[0]!).getByText('Đã nhận thiết bị').waitFor();
    await itemRow(serials[2]!).getByText(labels[1]!).waitFor();
    await shot('14-batch-received');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'In tem 2 thiết bị vừa nhận' }).click();
    const file = await (await download).path();
    const pdf = readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (!hasTool('pdftotext')) return console.warn('pdftotext is not installed: skipping the label text check');
    const text = pdfText(pdf);
    for (const label of labels) expect(text).toContain(label);
    expect(text).not.toContain(serials[1]);
    if (hasTool('pdftoppm'))
      spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, join(ARTIFACTS, '15-label-sheet')]);
  }, 60_000);

  it('pages a request’s items beyond the first 50 with the API’s cursor', async () => {
    const big = await createOrganization(sys, { name: `Tổng kho xăng dầu ${run}` });
    const request = await requestOfNewInstruments(sys, w.admin, {
      organizationId: big.id,
      instrumentTypeId: w.fuelType.id as string,
      count: 53,
      serialPrefix: `PAGE-${run}`,
    });
    await page.goto(`${base}/desk/${request.id as string}`);
    const table = page.getByRole('table', { name: 'Số thiết bị' });
    const rows = table.getByRole('row');
    await table.getByText(`PAGE-${run}-50`, { exact: true }).waitFor();
    expect(await rows.count()).toBe(51); // the header and the first 50
    const more = page.waitForResponse((r) => r.url().includes(`/requests/${request.id as string}/items?`));
    await page.getByRole('button', { name: 'Xem thêm' }).click();
    expect((await more).url()).toContain('cursor=');
    await table.getByText(`PAGE-${run}-53`, { exact: true }).waitFor();
    await shot('16-request-paged');
    expect(await rows.count()).toBe(54);
    expect(await page.getByRole('button', { name: 'Xem thêm' }).count()).toBe(0);
  }, 60_000);

  it('says in Vietnamese, with its values, why the centre cannot do an item', async () => {
    const owner = await createOrganization(sys, { name: `Nhà máy nước Quảng Ngãi ${run}` });
    /** A request of one new gauge of a type made from `body`, opened at the desk. */
    const openRequestOf = async (body: Parameters<typeof pressureGaugeTypeBody>[0], serialPrefix: string) => {
      const type = await createInstrumentType(sys, w.admin, pressureGaugeTypeBody(body));
      const request = await requestOfNewInstruments(sys, w.admin, {
        organizationId: owner.id,
        instrumentTypeId: type.id as string,
        count: 1,
        serialPrefix,
      });
      await page.goto(`${base}/desk/${request.id as string}`);
    };

    // A pressure gauge: the centre holds no standard of pressure (certificateWorld's is of volume).
    await openRequestOf({ code: `GAUGE_${run}` }, `GAUGE-${run}`);
    const review = page.getByRole('table', { name: 'Xem xét hợp đồng' });
    await review.getByText('trung tâm không có chuẩn đo lường đại lượng pressure').waitFor();
    expect(await review.getByText(/no measurement standard/).count()).toBe(0); // not the API's English
    await shot('17-contract-review-cannot-do');

    // A type the catalogue does not yet allow (no verification cycle): the API refuses the review
    // with a 422 naming each rule broken, and the screen says which in Vietnamese, the date dd/MM/yyyy.
    await openRequestOf({ code: `GAUGE_NOCYCLE_${run}`, cycles: [] }, `NOCYCLE-${run}`);
    const alert = page.getByRole('alert').filter({ hasText: 'Danh mục chưa cho phép một số hạng mục' });
    await alert.getByText(/loại thiết bị chưa có chu kỳ kiểm định hiệu lực ngày \d\d\/\d\d\/\d{4}/).waitFor();
    expect(await alert.getByText(/no verification cycle/).count()).toBe(0);
    await shot('18-contract-review-catalogue-not-ready');
  }, 60_000);

  it('registers a request for a customer found by name, with an instrument they have registered', async () => {
    const known = await createOrganization(sys, { name: `Cửa hàng xăng dầu Sơn Tịnh ${run}` });
    const dispenser = await createInstrument(sys, w.admin, known.id, w.fuelType.id as string, {
      manufacturer: 'Tokheim',
    });
    await page.goto(`${base}/desk/new`);
    await page.getByLabel('Tìm khách hàng (tên hoặc mã số thuế)').fill(`Sơn Tịnh ${run}`);
    await page.getByRole('radio', { name: new RegExp(`Sơn Tịnh ${run}`) }).check();
    await page.getByRole('button', { name: 'Thêm thiết bị đã đăng ký' }).click();
    await page.getByLabel('Thiết bị 1', { exact: true }).selectOption(dispenser.id as string);
    await page.getByLabel('Dịch vụ 1').selectOption('verification_periodic');
    await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    await itemRow(dispenser.serialNumber as string)
      .getByText('Mới gửi')
      .waitFor();
    await page.getByRole('heading', { name: new RegExp(`Sơn Tịnh ${run}`) }).waitFor();
  }, 60_000);
});
