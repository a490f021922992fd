import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { addDays, todayInVietnam } from '#libs/registry';
import { ARTIFACTS, CHROMIUM, launchChromium, navigate, shot, signIn } from './support/browser.js';
import { ok } from './support/http.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * A fresh install, as `npm start` leaves it: an empty database with the shipped instrument-type
 * catalogue and only the first admin (ADMIN_USERNAME/ADMIN_PASSWORD). Everything else is done in
 * Chromium by clicks and typing: staff and their authorisations, a standard and its calibration, a
 * fuel-dispenser template, a walk-in request with a new dispenser, the worksheet, the review and the
 * certificate. The API is called directly only to read the public lookup of the certificate at the end.
 */
const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;

const ADMIN = { username: 'giamdoc', password: 'kiem dinh cot xang 7391' };
const run = Date.now().toString(36).toUpperCase();
const TECH = { username: `ktv.an.${run}`, fullName: `Nguyễn Văn An ${run}`, password: 'dung tich binh chuan 4826' };
const REVIEWER = {
  username: `duyet.binh.${run}`,
  fullName: `Trần Thị Bình ${run}`,
  password: 'phe duyet ket qua 5914',
};
const STANDARD = `DT-20L-${run}`;
const SERIAL = `CDX-${run}`;
const TEMPLATE = 'Cột đo xăng dầu — kiểm định định kỳ (ĐLVN 10)';

/** dd/MM/yyyy of an API date, as a person types it. */
const typed = (iso: string) => iso.split('-').reverse().join('/');

describeWithChromium('a fresh install: the whole journey in the browser, from the first admin', () => {
  let sys: TestSystem;
  let browser: Browser;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    sys = await startTestSystem({
      worker: true,
      seedCatalogue: true,
      env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ADMIN_FULL_NAME: 'Giám đốc Trung tâm' },
    });
    await sys.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sys.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'vi-VN', acceptDownloads: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  const field = (name: string) => page.getByRole('textbox', { name, exact: true });

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
  }

  async function pickType(label: string, code: string): Promise<void> {
    const select = page.getByLabel(label, { exact: true });
    const value = await select.locator('option', { hasText: code }).first().getAttribute('value');
    await select.selectOption(value!);
  }

  async function createStaff(who: typeof TECH, roles: string[]): Promise<void> {
    await navigate(page, 'Nhân viên');
    const form = page.getByRole('region', { name: 'Tạo tài khoản nhân viên' });
    await form.getByLabel('Tên đăng nhập').fill(who.username);
    await form.getByLabel('Họ và tên').fill(who.fullName);
    for (const role of roles) await form.getByRole('checkbox', { name: role, exact: true }).check();
    await form.getByLabel('Mật khẩu ban đầu').fill(who.password);
    await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await page.getByRole('heading', { name: `${who.username} · ${who.fullName}` }).waitFor();
  }

  async function authorise(activity: string): Promise<void> {
    const section = page.getByRole('region', { name: 'Phân quyền thực hiện và phê duyệt' });
    await section.getByLabel('Hoạt động').selectOption({ label: activity });
    await section.getByLabel('Dịch vụ').selectOption({ label: 'Kiểm định định kỳ' });
    await pickType('Loại phương tiện đo', 'FUEL_DISPENSER');
    await section.getByLabel('Căn cứ (quyết định, hồ sơ đào tạo)').fill(`QĐ ${run}/QĐ-TĐC`);
    await section.getByRole('button', { name: 'Phân quyền' }).click();
    await section.getByRole('table', { name: 'Phân quyền thực hiện và phê duyệt' }).getByText(activity).waitFor();
  }

  it('the first admin signs in and creates a technician (who also receives) and a reviewer, each authorised', async () => {
    await signIn(page, base, ADMIN);
    await createStaff(TECH, ['Tiếp nhận', 'Kỹ thuật viên']);
    await authorise('Thực hiện');
    // Perform needs the technician role, approve the reviewer's: only what the roles allow is offered.
    expect(await page.getByLabel('Hoạt động').locator('option').allTextContents()).toEqual(['Thực hiện']);
    await shot(page, '40-staff-member-authorised');
    await createStaff(REVIEWER, ['Người duyệt']);
    await authorise('Phê duyệt');
    await navigate(page, 'Nhân viên');
    const list = page.getByRole('table', { name: 'Nhân viên' });
    for (const u of [ADMIN.username, TECH.username, REVIEWER.username])
      await list.getByText(u, { exact: true }).waitFor();
    // One person given both technician and reviewer is told they never approve their own work.
    const form = page.getByRole('region', { name: 'Tạo tài khoản nhân viên' });
    await form.getByRole('checkbox', { name: 'Kỹ thuật viên', exact: true }).check();
    await form.getByRole('checkbox', { name: 'Người duyệt', exact: true }).check();
    await form
      .getByRole('note')
      .getByText(/không bao giờ duyệt kết quả do chính mình đo/)
      .waitFor();
    await shot(page, '41-staff-list');
  }, 180_000);

  it('registers a working standard and records its calibration, traceable to the national standard', async () => {
    await navigate(page, 'Chuẩn đo lường');
    await page.getByRole('button', { name: 'Đăng ký chuẩn mới' }).click();
    const form = page.getByRole('region', { name: 'Đăng ký chuẩn mới' });
    await form.getByLabel('Mã chuẩn').fill(STANDARD);
    await form.getByLabel('Tên chuẩn').fill('Bình chuẩn kim loại 20 L');
    await form.getByLabel('Đại lượng đo').fill('volume');
    await form.getByLabel('Đơn vị').fill('L');
    await form.getByLabel('Phạm vi đo từ').fill('0');
    await form.getByLabel('Phạm vi đo đến').fill('20');
    await form.getByLabel('Vai trò của chuẩn').selectOption({ label: 'Chuẩn công tác' });
    await shot(page, '42-standard-register');
    await form.getByRole('button', { name: 'Đăng ký chuẩn' }).click();
    await page.getByRole('heading', { name: `${STANDARD} · Bình chuẩn kim loại 20 L` }).waitFor();
    const today = todayInVietnam();
    const cal = page.getByRole('region', { name: 'Ghi nhận lần hiệu chuẩn' });
    await cal.getByLabel('Đơn vị hiệu chuẩn').fill('Viện Đo lường Việt Nam (VMI)');
    await cal.getByLabel('Số giấy chứng nhận hiệu chuẩn').fill(`V07.${run}`);
    for (const [label, day] of [
      ['Ngày hiệu chuẩn', addDays(today, -100)],
      ['Hạn hiệu chuẩn tiếp theo', addDays(today, 265)],
    ] as const) {
      await cal.getByLabel(label).fill(typed(day));
      await cal.getByLabel(label).blur();
    }
    await cal.getByLabel('Tên chuẩn quốc gia hoặc phòng thí nghiệm').fill('Chuẩn quốc gia dung tích — VMI');
    await cal.getByLabel('Giá trị danh định 1').fill('20');
    await cal.getByLabel('Giá trị thực 1').fill('20,002');
    await cal.getByLabel('U 1').fill('0,004');
    await cal.getByLabel('k 1').fill('2');
    await shot(page, '43-standard-calibration-form');
    await cal.getByRole('button', { name: 'Ghi nhận hiệu chuẩn' }).click();
    await page.getByRole('table', { name: 'Các lần hiệu chuẩn' }).getByText(`V07.${run}`).waitFor();
    await page.getByRole('status').getByText('Dùng được hôm nay').waitFor();
    // The certificate's own PDF, attached to the record and downloadable again.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: `Tải lên PDF V07.${run}` }).click();
    await (
      await chooser
    ).setFiles({ name: `V07-${run}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await page.getByRole('button', { name: `Tải PDF V07.${run}` }).waitFor();
    await page
      .getByRole('tree')
      .getByText(/Chuẩn quốc gia dung tích — VMI/)
      .first()
      .waitFor();
    await shot(page, '44-standard-calibrated');
  }, 180_000);

  it('creates the fuel-dispenser template using the standard, then edits it', async () => {
    await navigate(page, 'Danh mục loại PTĐ');
    await page.getByRole('link', { name: 'Mở FUEL_DISPENSER' }).click();
    await page.getByRole('link', { name: 'Tạo mẫu biên bản' }).click();
    const form = page.getByRole('form');
    await form.getByLabel('Tên mẫu').fill(TEMPLATE);
    await form.getByRole('checkbox', { name: 'Kiểm định định kỳ' }).check();
    expect(await form.getByLabel('Đơn vị của các điểm đo').inputValue()).toBe('L');
    await form.getByLabel('Giá trị danh định điểm 1').fill('20');
    await form.getByRole('button', { name: 'Thêm điểm đo' }).click();
    await form.getByLabel('Giá trị danh định điểm 2').fill('20');
    await form.getByLabel('Tên thành phần 1').fill('Độ lặp lại');
    await form.getByLabel('Tên thành phần 2').fill('Bình chuẩn');
    await form.getByLabel('Tìm chuẩn (mã hoặc tên)').fill(STANDARD);
    await form.getByRole('checkbox', { name: `Dùng ${STANDARD} · Bình chuẩn kim loại 20 L` }).check();
    await form.getByLabel('Nhiệt độ (°C) thấp nhất').fill('5');
    await form.getByLabel('Nhiệt độ (°C) cao nhất').fill('40');
    await shot(page, '45-template-new');
    await form.getByRole('button', { name: 'Lưu mẫu' }).click();
    await page.getByRole('heading', { name: `Mẫu biên bản: ${TEMPLATE}` }).waitFor();
    // An edit: humidity limits added, saved as a change of the same template.
    await form.getByLabel('Độ ẩm (%RH) cao nhất').fill('90');
    await form.getByRole('button', { name: 'Lưu mẫu' }).click();
    await page.getByText('Đã lưu mẫu').waitFor();
    await page.getByRole('link', { name: 'Quay lại loại FUEL_DISPENSER' }).click();
    await page.getByRole('link', { name: `Mở mẫu ${TEMPLATE}` }).waitFor();
    await shot(page, '46-type-templates');
    await signOut();
  }, 180_000);

  it('the new technician receives a walk-in customer’s new dispenser at the desk', async () => {
    await signIn(page, base, TECH);
    await navigate(page, 'Tiếp nhận');
    await page.getByRole('link', { name: 'Tiếp nhận yêu cầu tại quầy' }).click();
    await page.getByRole('button', { name: 'Khách hàng mới' }).click();
    await field('Tên khách hàng').fill(`Cửa hàng xăng dầu Vĩnh Hải ${run}`);
    await field('Mã số thuế').fill(String(Date.now()).slice(-10));
    await field('Địa chỉ').fill('25 Đường 2/4, Vĩnh Hải, Nha Trang');
    await field('Tỉnh/thành phố').fill('Khánh Hòa');
    await page.getByRole('button', { name: 'Đăng ký khách hàng' }).click();
    await page.getByText(`Khách hàng: Cửa hàng xăng dầu Vĩnh Hải ${run}`).waitFor();
    await page.getByRole('button', { name: 'Thêm thiết bị mới' }).click();
    await pickType('Loại thiết bị 1', 'FUEL_DISPENSER');
    await field('Hãng sản xuất 1').fill('Tatsuno');
    await field('Số sê-ri 1').fill(SERIAL);
    await page.getByLabel('Dịch vụ 1').selectOption('verification_periodic');
    await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    const review = page.getByRole('table', { name: 'Xem xét hợp đồng' });
    await review.getByRole('row').filter({ hasText: SERIAL }).getByText('Làm được').waitFor();
    await page.getByRole('button', { name: 'Nhận hợp đồng' }).click();
    await page.getByLabel('Kỹ thuật viên').selectOption({ label: TECH.fullName });
    await page.getByRole('button', { name: 'Lên lịch' }).click();
    await page.getByLabel(`Mã tem ${SERIAL}`).fill(`TĐC-${run}`);
    await page.getByLabel(`Tình trạng khi nhận ${SERIAL}`).fill('Nguyên niêm phong');
    await page.getByRole('button', { name: 'Nhận 1 thiết bị' }).click();
    await page.getByRole('table', { name: 'Số thiết bị' }).getByText('Đã nhận thiết bị').waitFor();
  }, 180_000);

  it('the technician fills the worksheet generated from the new template and submits it', async () => {
    await navigate(page, 'Việc của tôi');
    await page.getByRole('link', { name: `Mở phiếu ${SERIAL}` }).click();
    await page.getByLabel('Nơi thực hiện').fill('Phòng thí nghiệm Dung tích, TĐC Khánh Hòa');
    await page.getByLabel('Nhiệt độ (°C)').fill('29,5');
    const cell = (column: string, point: number) => page.getByLabel(`${column}, điểm ${point}`, { exact: true });
    for (const [c, p, v] of [
      ['Giá trị chuẩn', 1, '20,000'],
      ['Số đọc 1', 1, '20,04'],
      ['Số đọc 2', 1, '20,06'],
      ['Số đọc 3', 1, '20,05'],
      ['Giá trị chuẩn', 2, '19,998'],
      ['Số đọc 1', 2, '20,03'],
      ['Số đọc 2', 2, '20,02'],
      ['Số đọc 3', 2, '20,04'],
    ] as const)
      await cell(c, p).fill(v);
    // The template edited above limits humidity: the preview's 422 is shown beside the field until it is typed.
    const humidity = page.getByLabel('Độ ẩm (%RH)');
    await page
      .getByText(/humidity must be recorded/)
      .first()
      .waitFor();
    const describedBy = ((await humidity.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const beside = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(beside.join(' ')).toMatch(/humidity must be recorded/);
    await humidity.fill('65');
    await page.getByRole('status', { name: 'Kết luận' }).getByText('Đạt', { exact: true }).waitFor();
    await shot(page, '47-fresh-install-worksheet');
    await page.getByRole('button', { name: 'Lưu nháp' }).click();
    await page.getByText('Đã lưu lần 1').waitFor();
    await page.getByRole('button', { name: 'Gửi duyệt' }).click();
    await page.getByText('Đã gửi duyệt').first().waitFor();
    await signOut();
  }, 180_000);

  it('the reviewer approves; the certificate is issued, downloads as a PDF and is found by the public lookup', async () => {
    await signIn(page, base, REVIEWER);
    await page.getByRole('table', { name: 'Kết quả chờ duyệt' }).getByRole('link', { name: 'Xem' }).first().click();
    await page.getByRole('table', { name: 'Các điểm đo' }).waitFor();
    await page.getByRole('button', { name: 'Duyệt' }).click();
    const download = page.getByRole('button', { name: /^Tải PDF / });
    await download.waitFor({ timeout: 45_000 });
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(
      readFileSync(await file.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const number = file.suggestedFilename().replace(/\.pdf$/, '');
    expect(number).toMatch(/^KĐ-\d{4}-\d{6}$/);
    const lookup = ok(await sys.http().get(`/public/certificates/${encodeURIComponent(number)}`), 'public lookup');
    expect(lookup).toMatchObject({ status: 'valid' });
    await shot(page, '48-fresh-install-certificate');
  }, 180_000);

  it('the admin revokes an authorisation, resets a password and deactivates an account', async () => {
    await signOut();
    await signIn(page, base, ADMIN);
    await navigate(page, 'Nhân viên');
    await page.getByLabel('Tìm theo tên đăng nhập hoặc họ tên').fill(TECH.username);
    await page.getByRole('link', { name: `Mở ${TECH.username}` }).click();
    const authorisations = page.getByRole('table', { name: 'Phân quyền thực hiện và phê duyệt' });
    await page.getByRole('button', { name: /^Thu hồi Thực hiện · Kiểm định định kỳ · FUEL_DISPENSER/ }).click();
    await page.getByRole('dialog', { name: 'Thu hồi phân quyền?' }).getByRole('button', { name: 'Thu hồi' }).click();
    await authorisations.getByText(/^Đã thu hồi \d{2}\/\d{2}\/\d{4}$/).waitFor();
    const fresh = 'mat khau moi cua an 8302';
    await page.getByLabel('Mật khẩu mới').fill(fresh);
    await page.getByRole('button', { name: 'Đặt mật khẩu mới' }).click();
    await page.getByText('Đã đặt mật khẩu mới', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Khóa tài khoản' }).click();
    await page
      .getByRole('dialog', { name: `Khóa tài khoản ${TECH.username}?` })
      .getByRole('button', { name: 'Khóa tài khoản' })
      .click();
    await page.getByRole('button', { name: 'Mở lại tài khoản' }).waitFor();
    await shot(page, '49-staff-member-deactivated');
    await signOut();
    // Deactivated: neither the old password nor the new one signs in.
    await page.getByLabel('Tên đăng nhập').fill(TECH.username);
    await page.getByLabel('Mật khẩu').fill(fresh);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('navigation', { name: 'Điều hướng chính' }).count()).toBe(0);
  }, 180_000);
});
