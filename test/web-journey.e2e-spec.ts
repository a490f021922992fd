import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { ROUTE_SEGMENTS } from '../apps/web/src/app/routes.js';
import { ARTIFACTS, CHROMIUM, launchChromium, shot, signIn, withPassword, type Person } from './support/browser.js';
import { certificateWorld, type CertificateWorld } from './support/certificates.js';
import { businessKey, createInstrument, createOrganization, staffSession } from './support/factories.js';
import { as, ok } from './support/http.js';
import { startTestSystem, type TestSystem } from './support/system.js';

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
}

/**
 * The verification journey in a real browser (Debian's Chromium driven by playwright-core) against
 * the real API, PostgreSQL, Redis and worker, with the production build of the staff web app that
 * the API serves at '/'. The data a centre has before the day starts (type, template, standard,
 * staff, a business and its instrument) is made through the API; the journey itself is clicks.
 */
const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithChromium('staff web app: the verification journey in Chromium', () => {
  let sys: TestSystem;
  let browser: Browser;
  let base: string;
  let w: CertificateWorld;
  let reception: Person;
  let technician: Person;
  let reviewer: Person;
  let inspector: Person;
  let org: { id: string; name: string };
  let serial: string;
  let dispenserId: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    sys = await startTestSystem({ worker: true });
    await sys.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sys.app.getHttpServer().address() as AddressInfo).port}`;
    w = await certificateWorld(sys);
    reception = await withPassword(sys, w.admin, await staffSession(sys, ['reception']));
    technician = await withPassword(sys, w.admin, w.technician);
    reviewer = await withPassword(sys, w.admin, w.reviewer);
    inspector = await withPassword(sys, w.admin, await staffSession(sys, ['inspector']));
    org = await createOrganization(sys, { name: `Công ty Xăng dầu Khánh Hòa ${Date.now()}` });
    const dispenser = await createInstrument(sys, w.admin, org.id, w.fuelType.id, {
      resolution: '0.01',
      accuracyClass: '0.5',
      manufacturer: 'Tatsuno',
      model: 'SUNNY-2',
    });
    serial = dispenser.serialNumber;
    dispenserId = dispenser.id;
    // The business submits its request over the API with its key, as it does in real life.
    const key = await businessKey(sys, org.id);
    ok(
      await as(sys, { key }).post('/requests', {
        place: 'lab',
        items: [{ instrumentId: dispenser.id, service: 'verification_periodic' }],
      }),
      'business submits a request',
    );
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('serves the app at / and its routes, never in place of the API', async () => {
    for (const segment of ['', ...ROUTE_SEGMENTS]) {
      const index = await sys.http().get(`/${segment}`).set('Accept', 'text/html').expect(200);
      expect(index.text).toContain('<div id="root">');
    }
    // No app route may share a first segment with an API route (a reload there would get JSON).
    const api = new Set(Object.keys((await sys.http().get('/docs-json')).body.paths).map((p) => p.split('/')[1]));
    expect(ROUTE_SEGMENTS.filter((s) => api.has(s))).toEqual([]);
    await sys.http().get('/requests').set('Accept', 'text/html').expect(401);
    // A program asking for an unknown path gets the API's problem details, not the page.
    await sys
      .http()
      .get('/no/such/route')
      .expect(404)
      .expect('Content-Type', /problem\+json/);
    await sys.http().get('/health/live').expect(200);
    const docs = await sys.http().get('/docs-json').expect(200);
    expect(docs.body.openapi).toBeDefined();
    await sys
      .http()
      .get('/verify/KD-0000-000000')
      .expect((r) => expect(r.text).not.toContain('<div id="root">'));
  });

  it('reception accepts the business request, schedules and receives the dispenser', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    await signIn(page, base, reception);
    await page.getByRole('table', { name: 'Yêu cầu dịch vụ' }).getByText(org.name).waitFor();
    await shot(page, '01-reception-inbox');
    await page.getByRole('link', { name: `Mở ${org.name}` }).click();
    await page.getByRole('heading', { name: 'Xem xét hợp đồng' }).waitFor();
    await page
      .getByRole('table', { name: 'Xem xét hợp đồng' })
      .getByRole('row')
      .filter({ hasText: serial })
      .getByText('Làm được')
      .waitFor();
    await shot(page, '02-request-contract-review');
    await page.getByRole('button', { name: 'Nhận hợp đồng' }).click();
    await page.getByLabel('Kỹ thuật viên').selectOption({ label: `Test ${technician.username}` });
    await page.getByRole('button', { name: 'Lên lịch' }).click();
    await page.getByLabel(`Mã tem ${serial}`).fill(`TĐC-${Date.now()}`);
    await page.getByLabel(`Tình trạng khi nhận ${serial}`).fill('Nguyên niêm phong');
    await page.getByRole('button', { name: 'Nhận 1 thiết bị' }).click();
    await page.getByRole('table', { name: 'Số thiết bị' }).getByText('Đã nhận thiết bị').waitFor();
    await shot(page, '03-request-received');
    await signOut(page);
    await page.close();
  }, 90_000);

  it('the technician fills the worksheet and sees the verdict follow the readings', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    await signIn(page, base, technician);
    await page.getByRole('link', { name: `Mở phiếu ${serial}` }).click();
    await page.getByLabel('Nơi thực hiện').fill('Phòng thí nghiệm Dung tích, TĐC Khánh Hòa');
    await page.getByLabel('Nhiệt độ (°C)').fill('29,5');
    const cell = (column: string, point: number) => page.getByLabel(`${column}, điểm ${point}`, { exact: true });
    await cell('Giá trị chuẩn', 1).fill('20,000');
    await cell('Giá trị chuẩn', 2).fill('19,998');
    // A column pasted from a spreadsheet fills the cells below.
    await cell('Số đọc 1', 1).focus();
    // A browser-side script (this file is compiled without the DOM library).
    await page.evaluate(`{
      const data = new DataTransfer();
      data.setData('text/plain', '20,04\\n20,03\\n');
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }`);
    expect(await cell('Số đọc 1', 2).inputValue()).toBe('20,03');
    for (const [c, p, v] of [
      ['Số đọc 2', 1, '20,06'],
      ['Số đọc 3', 1, '20,05'],
      ['Số đọc 2', 2, '20,02'],
      ['Số đọc 3', 2, '20,04'],
    ] as const)
      await cell(c, p).fill(v);
    const verdict = page.getByRole('status', { name: 'Kết luận' });
    await verdict.getByText('Đạt', { exact: true }).waitFor();
    await shot(page, '04-worksheet-pass');
    await cell('Số đọc 1', 1).fill('20,30'); // mean 20.137: error 0.137 L > MPE 0.1 L (0.5 % of 20 L)
    await verdict.getByText('Không đạt', { exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: 'Kết luận điểm 1' }).textContent()).toContain('Không đạt');
    await shot(page, '05-worksheet-fail');
    await cell('Số đọc 1', 1).fill('20,04');
    await verdict.getByText('Đạt', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Lưu nháp' }).click();
    await page.getByText('Đã lưu lần 1').waitFor();
    await page.getByRole('button', { name: 'Gửi duyệt' }).click();
    await page.getByText('Đã gửi duyệt').first().waitFor();
    await signOut(page);
    await page.close();
  }, 90_000);

  it('a cold load of the worksheet reads it in one request, and still loads when that request fails', async () => {
    // The admin's token: setting the technician's password ended their API session.
    const [summary] = ok(await as(sys, w.admin).get(`/results?instrumentId=${dispenserId}`), 'results').items;
    const { requestId, requestItemId: itemId } = ok(await as(sys, w.admin).get(`/results/${summary.id}`), 'result');
    const page = await browser.newPage({ locale: 'vi-VN' });
    await signIn(page, base, technician);
    let asked: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!url.pathname.startsWith('/assets/')) asked.push(url.pathname + url.search);
    });
    // The submitted revision, read-only: its first reading is what the technician typed last, shown
    // with the Vietnamese decimal comma it was typed with.
    const recorded = async () => {
      const cell = page.getByLabel('Số đọc 1, điểm 1', { exact: true });
      await cell.waitFor();
      expect(await cell.inputValue()).toBe('20,04');
    };
    const item = `/requests/${requestId}/items/${itemId}`;
    await page.goto(`${base}/work/${requestId}/${itemId}`);
    await recorded();
    // (The work list shown after sign-in may still be asking for /requests/items.)
    const worksheetReads = (u: string) =>
      u.startsWith(`/requests/${requestId}`) || u.startsWith('/calibration') || u.startsWith('/results');
    expect(asked.filter(worksheetReads)).toEqual([`${item}/worksheet`]);
    // The one read fails: the screen asks for the pieces itself, and shows the same sheet.
    await page.route(/\/requests\/[^/]+\/items\/[^/]+\/worksheet$/, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: '{"title":"Unavailable","status":503}',
      }),
    );
    asked = [];
    await page.reload();
    await recorded();
    expect(asked).toEqual(
      expect.arrayContaining([
        `${item}/worksheet`,
        item,
        expect.stringMatching(/^\/calibration-templates\?/),
        expect.stringMatching(
          new RegExp(`^/calibration-templates/${w.template.id}/worksheet\\?instrumentId=${dispenserId}`),
        ),
        expect.stringMatching(new RegExp(`^/results\\?requestItemId=${itemId}`)),
        `/results/${summary.id}`,
      ]),
    );
    await page.close();
  }, 60_000);

  it('the reviewer approves, and the certificate appears and downloads', async () => {
    const page = await browser.newPage({ locale: 'vi-VN', acceptDownloads: true });
    await signIn(page, base, reviewer);
    await page.getByRole('table', { name: 'Kết quả chờ duyệt' }).getByRole('link', { name: 'Xem' }).first().click();
    await page.getByRole('table', { name: 'Các điểm đo' }).waitFor();
    await shot(page, '06-review');
    await page.getByRole('button', { name: 'Duyệt' }).click();
    const download = page.getByRole('button', { name: /^Tải PDF / });
    await download.waitFor({ timeout: 45_000 });
    await shot(page, '07-certificate-issued');
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/\.pdf$/);
    const path = await file.path();
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
    await signOut(page);
    await page.close();
  }, 90_000);

  it('an inspector sees the request and the certificate, and no control that changes them', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    await signIn(page, base, inspector);
    await page.getByText('Tất cả', { exact: true }).click();
    await page.getByRole('link', { name: `Mở ${org.name}` }).waitFor();
    expect(await page.getByRole('link', { name: 'Tiếp nhận yêu cầu tại quầy' }).count()).toBe(0);
    await page.getByRole('link', { name: `Mở ${org.name}` }).click();
    await page.getByRole('table', { name: 'Số thiết bị' }).getByText(serial).waitFor();
    await page.getByText('Chỉ xem', { exact: true }).waitFor();
    for (const name of ['Nhận hợp đồng', 'Lên lịch', /^Nhận \d+ thiết bị/, /^In tem/])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    await shot(page, '08-inspector-request');
    await page.getByRole('link', { name: 'Giấy chứng nhận' }).click();
    await page.getByRole('table', { name: 'Giấy chứng nhận' }).getByText(org.name).waitFor();
    expect(await page.getByRole('button', { name: /^Tải PDF/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^(Thu hồi|Sửa đổi)/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Duyệt kết quả' }).count()).toBe(0);
    await shot(page, '09-inspector-certificates');
    await page.close();
  }, 60_000);
});
