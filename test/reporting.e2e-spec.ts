// Statistics and the demand forecast (issue 15) over the real API: a constructed population whose
// forecast is known exactly, and GET /statistics on issued certificates.
import { addDays, todayInVietnam } from '#libs/registry';
import { approvedVerification, certificateWorld, issueState } from './support/certificates.js';
import { as, expectStatus, ok, type Body } from './support/http.js';
import {
  authorise,
  createInstrument,
  createInstrumentType,
  createOrganization,
  instrumentTypeBody,
  staffSession,
  type StaffSession,
} from './support/factories.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/** `date` shifted by whole months (PostgreSQL's month arithmetic for the days used here, ≤ 28). */
const plusMonths = (date: string, n: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
};
const monthOf = (date: string): string => date.slice(0, 7);

describe('forecast and statistics', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let reception: StaffSession;

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true });
    admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
  });
  afterAll(async () => sys?.close());

  /** An instrument of the type, last verified (passed) on `date`, in the commune if given. */
  async function verifiedOn(typeId: string, ownerId: string, date: string, communeId?: string): Promise<void> {
    const i = await createInstrument(sys, admin, ownerId, typeId, communeId ? { placeOfUse: { communeId } } : {});
    ok(
      await as(sys, reception).post(`/instruments/${i.id}/history`, {
        service: 'verification_periodic',
        date,
        passed: true,
      }),
      'record verification',
    );
  }

  /** An instrument of the type with the owner's calibration interval, last calibrated on `date`. */
  async function calibratedOn(
    typeId: string,
    ownerId: string,
    date: string,
    intervalMonths: number,
    communeId?: string,
  ): Promise<void> {
    const i = await createInstrument(sys, admin, ownerId, typeId, communeId ? { placeOfUse: { communeId } } : {});
    ok(
      await as(sys, reception).patch(`/instruments/${i.id}`, { calibrationIntervalMonths: intervalMonths }),
      'interval',
    );
    ok(
      await as(sys, reception).post(`/instruments/${i.id}/history`, { service: 'calibration', date, passed: true }),
      'record calibration',
    );
  }

  it('counts exactly what the constructed population implies', async () => {
    const today = todayInVietnam();
    const start = `${plusMonths(`${monthOf(today)}-01`, 1)}`; // first forecast month
    const owner = (await createOrganization(sys)).id;
    const province = (await as(sys, reception).get('/admin-units?level=province&limit=1').expect(200)).body.items[0];
    const commune = ok(
      await as(sys, admin).post('/admin-units', {
        code: '99901',
        name: 'Phường Thử Nghiệm',
        kind: 'ward',
        parentId: province.id,
        source: 'test',
      }),
      'commune',
    );
    const yearly = await createInstrumentType(sys, admin, instrumentTypeBody());
    const halfYearly = await createInstrumentType(
      sys,
      admin,
      instrumentTypeBody({ cycles: [{ cycleMonths: 6, effectiveFrom: '2013-11-15', legalBasis: 'test' }] }),
    );
    // Verified in the past 12 months (months before the current one: never in the future), due in the horizon.
    const m1 = plusMonths(start, -12).slice(0, 8) + '10'; // due in forecast month 1
    const m3 = plusMonths(start, -10).slice(0, 8) + '10'; // due in forecast month 3
    const m10 = plusMonths(start, -3).slice(0, 8) + '10'; // due in forecast month 10
    for (let n = 0; n < 3; n++) await verifiedOn(yearly.id, owner, m1, commune.id);
    for (let n = 0; n < 2; n++) await verifiedOn(yearly.id, owner, m3);
    await verifiedOn(yearly.id, owner, m10);
    // Fell due in the past 12 months and still overdue (verified 13–23 months ago): the on-time rate's lapsed.
    const lapsed = plusMonths(start, -22).slice(0, 8) + '15';
    for (let n = 0; n < 2; n++) await verifiedOn(yearly.id, owner, lapsed);
    // Overdue for longer (before the window): backlog only.
    await verifiedOn(yearly.id, owner, plusMonths(start, -30).slice(0, 8) + '01');
    // The 6-month type: due in month 1, then again in month 7.
    await verifiedOn(halfYearly.id, owner, plusMonths(start, -6).slice(0, 8) + '12', commune.id);
    // Calibration, on the owner's interval (the yearly type's verification figures are unchanged by
    // these: they have no verification): two every 6 months, calibrated 6 months before the horizon
    // (due in month 1, then month 7; one in the commune); one every 12 months that fell due last
    // month and is still overdue (lapsed, and backlog). On-time rate 2 / (2 + 1).
    for (let n = 0; n < 2; n++)
      await calibratedOn(yearly.id, owner, plusMonths(start, -6).slice(0, 8) + '05', 6, n ? undefined : commune.id);
    await calibratedOn(yearly.id, owner, plusMonths(start, -14).slice(0, 8) + '20', 12);
    // One technician may verify the yearly type; nobody the 6-month one, and nobody calibrates.
    const technician = await staffSession(sys, ['technician']);
    await authorise(sys, admin, technician, [
      { instrumentTypeId: yearly.id, service: 'verification_periodic', activity: 'perform', validFrom: '2024-01-01' },
    ]);

    const f = await expectStatus<Body>(as(sys, reception).get('/forecast?itemsPerTechnicianDay=1'), 200);
    expect(f.from).toBe(monthOf(start));
    const type = (id: string, service = 'verification_periodic') =>
      f.types.find((t: Body) => t.instrumentTypeId === id && t.service === service);
    // yearly: 6 verified in the window, 2 fell due and lapsed → 0.75; backlog 2 + 1.
    expect(type(yearly.id)).toMatchObject({ cycleMonths: 12, onTimeRate: 0.75, backlog: 3 });
    expect(type(halfYearly.id)).toMatchObject({ cycleMonths: 6, onTimeRate: 1, backlog: 0 });
    expect(type(yearly.id, 'calibration')).toMatchObject({ cycleMonths: null, onTimeRate: 0.6667, backlog: 1 });
    expect(type(halfYearly.id, 'calibration')).toBeUndefined();
    const month = (id: string, k: number, service = 'verification_periodic') =>
      f.byMonth.find(
        (m: Body) => m.instrumentTypeId === id && m.service === service && m.month === monthOf(plusMonths(start, k)),
      );
    const nonZero = (id: string, service = 'verification_periodic') =>
      f.byMonth
        .filter((m: Body) => m.instrumentTypeId === id && m.service === service && m.due > 0)
        .map((m: Body) => [m.month, m.due, m.expected]);
    expect(nonZero(yearly.id)).toEqual([
      [monthOf(start), 3, 2.25],
      [monthOf(plusMonths(start, 2)), 2, 1.5],
      [monthOf(plusMonths(start, 9)), 1, 0.75],
    ]);
    expect(nonZero(halfYearly.id)).toEqual([
      [monthOf(start), 1, 1],
      [monthOf(plusMonths(start, 6)), 1, 1],
    ]);
    // Capacity: 1 technician × 1 item a day × the month's working days; none for the 6-month type.
    const first = new Date(`${start}T00:00:00Z`);
    let workdays = 0;
    for (const d = new Date(first); d.getUTCMonth() === first.getUTCMonth(); d.setUTCDate(d.getUTCDate() + 1))
      if (d.getUTCDay() % 6 !== 0) workdays++;
    expect(month(yearly.id, 0)).toMatchObject({ technicians: 1, capacity: workdays, exceedsCapacity: false });
    expect(month(halfYearly.id, 0)).toMatchObject({ technicians: 0, capacity: 0, exceedsCapacity: true });
    expect(month(halfYearly.id, 1)).toMatchObject({ due: 0, exceedsCapacity: false });
    // Calibration: its own demand, cycle (the owner's interval) and capacity (the verifier is not
    // authorised to calibrate).
    expect(nonZero(yearly.id, 'calibration')).toEqual([
      [monthOf(start), 2, 1.33],
      [monthOf(plusMonths(start, 6)), 2, 1.33],
    ]);
    expect(month(yearly.id, 0, 'calibration')).toMatchObject({ technicians: 0, capacity: 0, exceedsCapacity: true });
    expect(f.byMonth).toHaveLength(36);
    // By commune: month 1 has the yearly three and the half-yearly one in the commune.
    const inCommune = f.byCommune
      .filter((c: Body) => c.communeId === commune.id)
      .map((c: Body) => [c.month, c.instrumentTypeId, c.service, c.due, c.expected, c.communeName]);
    const [V, C] = ['verification_periodic', 'calibration'];
    expect(inCommune).toEqual(
      expect.arrayContaining([
        [monthOf(start), yearly.id, V, 3, 2.25, 'Phường Thử Nghiệm'],
        [monthOf(start), halfYearly.id, V, 1, 1, 'Phường Thử Nghiệm'],
        [monthOf(plusMonths(start, 6)), halfYearly.id, V, 1, 1, 'Phường Thử Nghiệm'],
        [monthOf(start), yearly.id, C, 1, 0.67, 'Phường Thử Nghiệm'],
        [monthOf(plusMonths(start, 6)), yearly.id, C, 1, 0.67, 'Phường Thử Nghiệm'],
      ]),
    );
    expect(inCommune).toHaveLength(5);
    await expectStatus(as(sys, reception).get('/forecast?itemsPerTechnicianDay=0'), 400);
  });

  it('GET /statistics counts the certificates issued in the period, with pass rate and turnaround', async () => {
    const w = await certificateWorld(sys);
    const measuredOn = addDays(todayInVietnam(), -3);
    const approved = await Promise.all([
      approvedVerification(w, { measuredOn }),
      approvedVerification(w, { measuredOn }),
      approvedVerification(w, { measuredOn, pass: false }),
    ]);
    for (const a of approved) expect((await issueState(w, a.revisionId)).status).toBe('issued');
    const today = todayInVietnam();
    const s = await expectStatus<Body>(
      as(sys, reception).get(`/statistics?from=${addDays(today, -7)}&to=${today}&refresh=true`),
      200,
    );
    expect(s.totals).toMatchObject({ certificates: 3, pass: 2, fail: 1, passRate: 0.6667, items: 3, requests: 3 });
    // Received the day before measuring (approvedVerification), certified today: 4 days for each.
    expect(s.totals.turnaround).toEqual({ medianDays: 4, p90Days: 4, certificates: 3 });
    const fuel = s.byType.find((t: Body) => t.key === w.fuelType.id);
    expect(fuel).toMatchObject({ label: w.fuelType.nameVi, certificates: 3, pass: 2, fail: 1, items: 3 });
    // The service rows: the certificates', and the forecast population's overdue per service.
    expect(s.byService).toEqual([
      expect.objectContaining({
        key: 'verification_periodic',
        label: 'Kiểm định định kỳ',
        certificates: 3,
        overdueInstruments: 3,
        overdueCalibrations: 0,
      }),
      expect.objectContaining({
        key: 'calibration',
        label: 'Hiệu chuẩn',
        certificates: 0,
        overdueInstruments: 0,
        overdueCalibrations: 1,
      }),
    ]);
    expect(s.byVerdict.map((v: Body) => [v.key, v.certificates]).sort()).toEqual([
      ['fail', 1],
      ['pass', 2],
    ]);
    // The forecast test's population: 3 instruments overdue for verification today (2 lapsed + 1
    // older) and 1 for calibration.
    expect(s.totals).toMatchObject({ overdueInstruments: 3, overdueCalibrations: 1 });
    expect(s.byType.find((t: Body) => t.key !== w.fuelType.id && t.overdueCalibrations === 1)).toBeDefined();
    const before = await expectStatus<Body>(as(sys, reception).get(`/statistics?from=2020-01-01&to=2020-12-31`), 200);
    expect(before.totals).toMatchObject({ certificates: 0, items: 0, requests: 0, passRate: null, turnaround: null });
    // The export carries the same figures: the totals line first.
    const csv = await as(sys, reception)
      .get(`/statistics/export?format=csv&from=${addDays(today, -7)}&to=${today}`)
      .expect(200);
    const total = csv.text
      .replace(/^\uFEFF/, '')
      .split('\n')[1]!
      .split(',');
    expect(total.slice(2, 7)).toEqual(['3', '3', '2', '1', '0.6667']);
    const bad = await expectStatus<Body>(as(sys, reception).get(`/statistics?from=${today}&to=2020-01-01`), 400);
    expect(bad.errors[0].field).toBe('to');
  });
});
