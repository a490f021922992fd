// The staff web app on its production build (dist/web, served by the real API): the worksheet of a
// 10-point fuel-dispenser template, opened in Debian's Chromium (playwright-core).
//   - cold first load of the worksheet (new browser context: empty cache) to interactive: the first
//     readings cell visible and editable; median of ROUNDS loads; aim < 1 s;
//   - JavaScript that first load transfers, gzip-compressed (as a compressing proxy would send it);
//     aim < 350 KB;
//   - the same two for a customer's page (registry screen with its edit forms), to its edit button;
//   - a recomputation: from the last keystroke to the new error shown, less the 300 ms debounce;
//     median over ROUNDS edits of a 10-point sheet; aim < 100 ms.
//
//   npm run bench -- web        BENCH_ROUNDS=7 CHROMIUM_PATH=/usr/bin/chromium
//                               BENCH_BROWSER_TRACE=<file.json>: a Chrome trace of one more cold load, summed
//                               BENCH_WEB_BASELINE=<dir>: another build served beside, its cold loads alternated
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser, type Page } from 'playwright-core';
import { systemActor } from '#libs/audit';
import { UserService } from '#libs/auth';
import type { StaffRole } from '#libs/core';
import { addDays, todayInVietnam } from '#libs/registry';
import { createApi } from '../apps/api/src/api.js';
import { summariseTrace } from './support/browser-trace.js';
import { benchSystem, median, round, runWhenMain, type BenchResult } from './support/certificate-bench.js';

export const name = 'web';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DEBOUNCE_MS = 300;
/**
 * The features Playwright itself launches Chromium without (PaintHolding, HttpsUpgrades, …), read from
 * a probe browser's command line. Chromium keeps only the last `--disable-features` switch, so the
 * bench's own list must repeat these or it would switch them back on.
 */
async function playwrightDisabledFeatures(): Promise<string[]> {
  // Chromium returns its command line only to a session with --enable-automation: the probe's alone.
  const probe = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--enable-automation'],
  });
  try {
    const cdp = await probe.newBrowserCDPSession();
    const { arguments: args } = await cdp.send('Browser.getBrowserCommandLine');
    const own = args.filter((a) => a.startsWith('--disable-features=')).pop();
    return own ? own.slice('--disable-features='.length).split(',').filter(Boolean) : [];
  } finally {
    await probe.close();
  }
}

/** Chromium's features that preload its own window UI (the omnibox popup's WebUI) per new window. */
const CHROMIUM_WINDOW_UI = [
  'WebUIOmniboxPopup',
  'WebUIOmniboxFullPopup',
  'WebUIOmniboxAimPopup',
  'PreloadTopChromeWebUI',
];
const POINTS = 10;

type Json = Record<string, unknown> & { id: string };
interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
}

async function call<T = Json>(base: string, method: string, path: string, as?: Session, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(as ? { Authorization: `Bearer ${as.accessToken}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function session(app: INestApplication, base: string, roles: StaffRole[]): Promise<Session> {
  const username = `${roles[0]}.${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const user = await app
    .get(UserService)
    .create({ username, fullName: `Bench ${username}`, roles, password }, systemActor('bench set-up'));
  const tokens = await call<Session>(base, 'POST', '/auth/login', undefined, { username, password });
  return { ...tokens, userId: user.id };
}

/** A fuel-dispenser type, a proving can, a 10-point template, and one dispenser received for the technician. */
async function worksheetItem(app: INestApplication, base: string): Promise<{ tech: Session; path: string }> {
  const admin = await session(app, base, ['admin']);
  const tech = await session(app, base, ['technician']);
  const type = await call(base, 'POST', '/instrument-types', admin, {
    code: `BENCH_WEB_${randomBytes(4).toString('hex').toUpperCase()}`,
    nameVi: 'Cột đo xăng dầu',
    nameEn: 'Fuel dispenser',
    measuredQuantity: 'volume',
    unit: 'L',
    services: ['verification_periodic'],
    procedures: [{ code: 'ĐLVN 10', version: '2017' }],
    mpeRule: { kind: 'percent_of_reading', p: 0.5 },
    cycles: [{ cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013/TT-BKHCN' }],
  });
  const grant = { instrumentTypeId: type.id, service: 'verification_periodic', validFrom: '2024-01-01' };
  await call(base, 'POST', `/users/${tech.userId}/authorisations`, admin, { ...grant, activity: 'perform' });
  const today = todayInVietnam();
  const can = await call(base, 'POST', '/standards', admin, {
    code: `BC-${randomBytes(3).toString('hex')}`,
    name: 'Bình chuẩn kim loại 20 L',
    level: 'working',
    quantity: 'volume',
    unit: 'L',
    rangeMin: '0',
    rangeMax: '20',
    accuracyClass: '0.05',
    custodianSection: 'Phòng Đo lường Dung tích',
  });
  await call(base, 'POST', `/standards/${can.id}/calibrations`, admin, {
    issuingLab: 'Viện Đo lường Việt Nam (VMI)',
    certificateNumber: `V07.${randomBytes(3).toString('hex')}`,
    calibrationDate: addDays(today, -100),
    dueDate: addDays(today, 265),
    externalReference: { kind: 'national_standard', name: 'Chuẩn quốc gia dung tích — VMI' },
    values: [{ nominal: '20', value: '20.002', unit: 'L', expandedUncertainty: '0.004', coverageFactor: '2' }],
  });
  await call(base, 'POST', '/calibration-templates', admin, {
    instrumentTypeId: type.id,
    name: 'Cột đo xăng dầu — 10 điểm',
    services: ['verification_periodic'],
    procedureCode: 'ĐLVN 10',
    unit: 'L',
    points: Array.from({ length: POINTS }, () => ({ nominal: '20', readings: 3 })),
    components: [
      { kind: 'type_a_readings', name: 'repeatability' },
      { kind: 'reference_standard', name: 'proving can' },
      { kind: 'type_b_resolution', name: 'resolution' },
    ],
    standardIds: [can.id],
    environmentLimits: { temperature: { min: '5', max: '40' } },
  });
  const org = await call(base, 'POST', '/organizations', admin, {
    name: 'Công ty TNHH Xăng dầu Ấp Mới',
    taxCode: String(Date.now()).slice(-10),
    streetAddress: 'Quốc lộ 1A',
    province: 'Quảng Ngãi',
  });
  const instrument = await call(base, 'POST', '/instruments', admin, {
    ownerId: org.id,
    instrumentTypeId: type.id,
    manufacturer: 'Tatsuno',
    model: 'SUNNY-NX',
    serialNumber: `TS-${randomBytes(5).toString('hex')}`,
    accuracyClass: '0.5',
    resolution: '0.01',
    rangeMin: '5',
    rangeMax: '50',
    rangeUnit: 'L/min',
  });
  const request = await call<Json & { items: { id: string }[] }>(base, 'POST', '/requests', admin, {
    organizationId: org.id,
    place: 'lab',
    items: [{ instrumentId: instrument.id, service: 'verification_periodic' }],
  });
  const itemId = request.items[0]!.id;
  await call(base, 'POST', `/requests/${request.id}/accept`, admin, {});
  const item = `/requests/${request.id}/items/${itemId}`;
  await call(base, 'POST', `${item}/schedule`, admin, { technicianId: tech.userId, date: today });
  await call(base, 'POST', `${item}/receive`, admin, {
    labelId: `TĐC-${randomBytes(4).toString('hex')}`,
    condition: 'OK',
  });
  return { tech, path: `/work/${request.id}/${itemId}` };
}

const TRACE_CATEGORIES = [
  'disabled-by-default-v8.cpu_profiler',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'blink.user_timing',
];

const FIRST_CELL = 'input[data-cell="0:1"]';

/**
 * When a load is interactive: `element`, a script expression checked in the page at each change of
 * its DOM, gives the element a person waits for once it is usable; the load is ready when it is laid
 * out with a size, in the task after the frame that shows it. Measured in the page, not by polling
 * from here (Playwright's waits poll in the page every frame, and add a round trip each).
 * `confirm` checks the same afterwards as Playwright sees it, so the two cannot drift apart.
 */
interface Readiness {
  element: string;
  confirm(page: Page): Promise<void>;
}

/** The worksheet is interactive when its first readings cell is shown and editable. */
const worksheetReady: Readiness = {
  element: `(() => { const c = document.querySelector('${FIRST_CELL}'); return c && !c.readOnly ? c : null; })()`,
  async confirm(page) {
    if (!(await page.locator(FIRST_CELL).isEditable())) throw new Error('the first readings cell is not editable');
  },
};

const EDIT_CUSTOMER = 'Sửa thông tin khách hàng';
/** A customer's page is interactive when its edit button is shown (the customer and /auth/me answered). */
const customerReady: Readiness = {
  element: `[...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent).trim() === '${EDIT_CUSTOMER}') ?? null`,
  async confirm(page) {
    await page.getByRole('button', { name: EDIT_CUSTOMER }).waitFor({ timeout: 1000 });
  },
};

/** Installed in each new document: `window.__tdcReady` settles with performance.now() at readiness. */
function readinessScript(element: string): string {
  return `window.__tdcReady = new Promise((done) => {
    let waiting = false;
    const check = () => {
      if (waiting) return;
      const el = ${element};
      if (!el) return;
      waiting = true;
      requestAnimationFrame(() => {
        waiting = false;
        const box = el.isConnected && el.getBoundingClientRect();
        if (!box || box.width === 0 || box.height === 0) return check();
        observer.disconnect();
        setTimeout(() => done(performance.now()));
      });
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  });`;
}

/** One cold load in a fresh context: ms from navigation start to `ready`, and the JS it fetched. */
async function coldLoad(
  browser: Browser,
  url: string,
  tech: Session,
  ready: Readiness = worksheetReady,
  trace?: string,
): Promise<{ ms: number; jsGzip: number; cpuMs: number }> {
  const context = await browser.newContext({ locale: 'vi-VN' });
  const tokens = JSON.stringify({ accessToken: tech.accessToken, refreshToken: tech.refreshToken });
  await context.addInitScript(`sessionStorage.setItem('tdc.session', ${JSON.stringify(tokens)})`);
  await context.addInitScript(readinessScript(ready.element));
  const page = await context.newPage();
  // The JS files the load fetched, by address only: their bodies are read and compressed after the
  // timed load. Reading them through the page (res.body()) and gzipping them in this process, which
  // also runs the API, competed with the load being measured.
  const js: string[] = [];
  page.on('response', (res) => {
    if (res.url().endsWith('.js')) js.push(res.url());
  });
  // The page's main-thread CPU (thread time, not wall time): what a loaded machine inflates least.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  if (trace) await browser.startTracing(page, { path: trace, categories: TRACE_CATEGORIES });
  await page.goto(url);
  const ms = Number(await page.evaluate('window.__tdcReady'));
  await ready.confirm(page);
  const fetched = [...js]; // those the load fetched until it was ready (an idle-time file comes later)
  const { metrics } = await cdp.send('Performance.getMetrics');
  const cpuMs = 1000 * (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN);
  if (trace) await browser.stopTracing();
  if (process.env.BENCH_TRACE)
    console.log(
      await page.evaluate(
        `performance.getEntriesByType('resource').map((e) => Math.round(e.startTime) + '→' + Math.round(e.responseEnd) + ' ' + e.name.replace(location.origin, '')).join('\\n')`,
      ),
    );
  await context.close();
  let jsGzip = 0;
  for (const file of fetched)
    jsGzip += gzipSync(Buffer.from(await (await fetch(file)).arrayBuffer()), { level: 6 }).length;
  return { ms, jsGzip, cpuMs };
}

async function fillSheet(page: Page): Promise<void> {
  await page.getByLabel('Nơi thực hiện').fill('Phòng thí nghiệm Dung tích');
  await page.getByLabel('Nhiệt độ (°C)').fill('25');
  for (let row = 0; row < POINTS; row++) {
    await page.locator(`input[data-cell="${row}:0"]`).fill('20,000');
    for (const [col, v] of [
      [1, '20,04'],
      [2, '20,06'],
      [3, '20,05'],
    ] as const)
      await page.locator(`input[data-cell="${row}:${col}"]`).fill(v);
  }
}

/** ms from the last keystroke to the first point's error changing on screen, less the debounce. */
async function recompute(page: Page, value: string): Promise<number> {
  await page.evaluate(`{
    const cell = document.querySelector('input[data-cell="0:1"]').closest('tr').children[6];
    const before = cell.textContent;
    const input = document.querySelector('input[data-cell="0:1"]');
    input.addEventListener('input', () => (window.__typed = performance.now()));
    window.__changed = new Promise((done) => {
      new MutationObserver((_, obs) => {
        if (cell.textContent !== before) { obs.disconnect(); done(performance.now()); }
      }).observe(cell, { childList: true, characterData: true, subtree: true });
    });
    0; // the script's value: not the promise, which evaluate() would wait for
  }`);
  const input = page.locator(FIRST_CELL);
  await input.fill('');
  await input.pressSequentially(value);
  const changedAt = Number(await page.evaluate('window.__changed'));
  const typedAt = Number(await page.evaluate('window.__typed'));
  return changedAt - typedAt - DEBOUNCE_MS;
}

/** The median main-thread CPU of some loads, ms. */
const cpu = (loads: { cpuMs: number }[]) => round(median(loads.map((x) => x.cpuMs)), 0);

/** An API app serving the web build in `webDir` (else the one beside it), and its address. */
async function serve(sys: Awaited<ReturnType<typeof benchSystem>>, webDir?: string) {
  const saved = process.env.WEB_DIR;
  if (webDir) process.env.WEB_DIR = webDir;
  const app = await createApi(sys.env, sys.runtime.dataSource, sys.runtime.backend).finally(() => {
    if (webDir) process.env.WEB_DIR = saved;
  });
  await app.listen(0, '127.0.0.1');
  return { app, base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

/**
 * ROUNDS cold loads of `path` from each server, alternating which goes first, after one unmeasured
 * load each (the server's first answers: file cache, JIT).
 */
async function coldLoads(
  browser: Browser,
  bases: string[],
  path: string,
  who: Session,
  ready: Readiness = worksheetReady,
) {
  const loads = bases.map(() => [] as { ms: number; jsGzip: number; cpuMs: number }[]);
  for (const b of bases) await coldLoad(browser, `${b}${path}`, who, ready);
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 ? [...bases.keys()].reverse() : [...bases.keys()];
    for (const k of order) loads[k]!.push(await coldLoad(browser, `${bases[k]}${path}`, who, ready));
  }
  return loads;
}

export default async function run(ctx: { log(line: string): void }): Promise<BenchResult[]> {
  const sys = await benchSystem();
  const { app, base } = await serve(sys);
  // BENCH_WEB_BASELINE=<dir>: another build (e.g. main's dist/web) served beside, loaded alternately.
  const baselineDir = process.env.BENCH_WEB_BASELINE;
  const baseline = baselineDir ? await serve(sys, baselineDir) : null;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Each new context is a new window, for which Chromium 156 loads its omnibox popup (a WebUI page
      // in a renderer of its own) during the measured load: ≈ 335 ms of CPU on this two-core machine
      // that has nothing to do with the page. A staff member's browser has its window open already.
      `--disable-features=${[...(await playwrightDisabledFeatures()), ...CHROMIUM_WINDOW_UI].join(',')}`,
    ],
  });
  try {
    const { tech, path } = await worksheetItem(app, base);
    const [loads, before] = await coldLoads(browser, baseline ? [base, baseline.base] : [base], path, tech);
    ctx.log(
      `cold loads (ms): ${loads!.map((l) => round(l.ms, 0)).join(', ')}; main-thread CPU median ${cpu(loads!)} ms`,
    );
    if (before) {
      ctx.log(`baseline ${baselineDir} cold loads (ms): ${before.map((l) => round(l.ms, 0)).join(', ')}`);
      ctx.log(
        `baseline median ${round(median(before.map((l) => l.ms)), 0)} ms, main-thread CPU median ${cpu(before)} ms, ` +
          `JS ${round(before[0]!.jsGzip / 1024, 1)} KB gzip`,
      );
    }
    const trace = process.env.BENCH_BROWSER_TRACE;
    if (trace) {
      for (const [b, file] of [[base, trace], ...(baseline ? [[baseline.base, `${trace}.baseline.json`]] : [])]) {
        const traced = await coldLoad(browser, `${b}${path}`, tech, worksheetReady, file);
        ctx.log(`traced cold load: ${round(traced.ms, 0)} ms (${file})`);
        for (const line of await summariseTrace(file!)) ctx.log(line);
      }
    }
    const desk = await session(app, base, ['reception']);
    const org = await call(base, 'POST', '/organizations', desk, {
      name: 'Công ty TNHH Xăng dầu Bình Minh',
      taxCode: String(Date.now()).slice(-10),
      streetAddress: '12 Trần Phú',
      province: 'Khánh Hòa',
    });
    const customer = `/registry/customers/${org.id}`;
    const [registry, registryBefore] = await coldLoads(
      browser,
      baseline ? [base, baseline.base] : [base],
      customer,
      desk,
      customerReady,
    );
    ctx.log(
      `customer page cold loads (ms): ${registry!.map((l) => round(l.ms, 0)).join(', ')}; main-thread CPU median ${cpu(registry!)} ms`,
    );
    if (registryBefore)
      ctx.log(
        `baseline customer page median ${round(median(registryBefore.map((l) => l.ms)), 0)} ms, CPU ${cpu(registryBefore)} ms`,
      );
    const context = await browser.newContext({ locale: 'vi-VN' });
    const tokens = JSON.stringify({ accessToken: tech.accessToken, refreshToken: tech.refreshToken });
    await context.addInitScript(`sessionStorage.setItem('tdc.session', ${JSON.stringify(tokens)})`);
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    await fillSheet(page);
    await page.getByRole('status', { name: 'Kết luận' }).getByText('Đạt', { exact: true }).waitFor();
    const edits = [];
    for (let i = 0; i < ROUNDS; i++) edits.push(await recompute(page, i % 2 ? '20,04' : '20,30'));
    ctx.log(`recomputations after the debounce (ms): ${edits.map((e) => round(e, 0)).join(', ')}`);
    return [
      {
        metric: 'worksheet cold first load: main-thread CPU (median)',
        value: cpu(loads!),
        unit: 'ms',
      },
      {
        metric: 'worksheet cold first load to interactive (median)',
        value: round(median(loads!.map((l) => l.ms)), 0),
        unit: 'ms',
        target: 1000,
      },
      { metric: 'first-load JavaScript, gzip', value: round(loads![0]!.jsGzip / 1024, 1), unit: 'KB', target: 350 },
      {
        metric: "customer page (registry, with its forms' code) cold first load to interactive (median)",
        value: round(median(registry!.map((l) => l.ms)), 0),
        unit: 'ms',
        target: 1000,
      },
      {
        metric: 'customer page first-load JavaScript, gzip',
        value: round(registry![0]!.jsGzip / 1024, 1),
        unit: 'KB',
        target: 350,
      },
      {
        metric: '10-point recomputation shown after the debounce (median)',
        value: round(median(edits), 0),
        unit: 'ms',
        target: 100,
      },
    ];
  } finally {
    await browser.close();
    await baseline?.app.close();
    await app.close();
    await sys.close();
  }
}

runWhenMain(import.meta.url, run);
