import { runTestingSeed } from '#libs/testing';
import { allPages, as, expectStatus, ok, type Body } from './support/http.js';
import { createCustomer, staffSession, type StaffSession } from './support/factories.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * The testing catalogue over HTTP: seeded as `npm start` seeds a new database, limits with their
 * confidence, an admin's confirmation (audited), and the conformity engine on posted results.
 */
describe('testing catalogue and conformity (e2e)', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let analyst: StaffSession;
  let products: Body[];
  const product = (code: string): Body => products.find((p) => p.code === code);
  const parameter = (p: Body, code: string): Body => p.parameters.find((x: Body) => x.code === code);

  beforeAll(async () => {
    sys = await startTestSystem({ seedCatalogue: true });
    admin = await staffSession(sys, ['admin']);
    analyst = await staffSession(sys, ['technician']);
    products = await allPages<Body>(async (cursor) =>
      expectStatus(as(sys, analyst).get(`/testing/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`), 200),
    );
  });
  afterAll(async () => sys?.close());

  it('shows the seeded catalogue with each limit’s source and confidence, and what needs confirmation', async () => {
    expect(products.map((p) => p.code).sort()).toEqual([
      'diesel',
      'gasoline',
      'gasoline_ethanol',
      'gold_jewellery',
      'lpg',
      'motorcycle_helmet',
    ]);
    const gasoline = product('gasoline');
    expect(gasoline.regulations.map((r: Body) => [r.code, r.inForceFrom, r.inForce])).toEqual([
      ['QCVN 01:2022/BKHCN', '2023-02-01', true],
      ['TCVN 6776:2018', null, true],
    ]);
    const sulphur = parameter(gasoline, 'sulphur');
    expect(sulphur.methods.map((m: Body) => m.code)).toEqual(['TCVN 6701', 'TCVN 7760', 'TCVN 3172']);
    expect(sulphur.limits.find((l: Body) => l.level === '3')).toMatchObject({
      kind: 'max',
      max: '150',
      display: '≤ 150',
      confidence: 'VERIFIED',
      usable: true,
      sourceDocument: expect.stringContaining('quangninh.tcvn.gov.vn'),
    });
    const vapour = parameter(gasoline, 'vapour_pressure').limits;
    expect(vapour.map((l: Body) => [l.regulationCode, l.confidence, l.usable])).toEqual([
      ['QCVN 01:2022/BKHCN', 'UNCERTAIN', false],
      ['TCVN 6776:2018', 'VERIFIED', true],
    ]);
    expect(gasoline.readiness.ready).toBe(false);
    expect(gasoline.readiness.needsConfirmation).toContainEqual(
      expect.objectContaining({
        parameter: 'vapour_pressure',
        regulationCode: 'QCVN 01:2022/BKHCN',
        confidence: 'UNCERTAIN',
      }),
    );
    expect(product('motorcycle_helmet').readiness.withoutLimit).toEqual([
      'impact_absorption',
      'penetration',
      'retention',
    ]);
    const one = await expectStatus<Body>(as(sys, analyst).get(`/testing/products/${gasoline.id}`), 200);
    expect(one.parameters).toHaveLength(gasoline.parameters.length);
  });

  it('is for staff: a business is refused, and only an admin sets a method’s LOQ', async () => {
    const customer = await createCustomer(sys);
    await expectStatus(as(sys, customer).get('/testing/products'), 403);
    const method = parameter(product('gasoline'), 'benzene').methods[0];
    await expectStatus(as(sys, analyst).patch(`/testing/methods/${method.id}`, { loq: '0.2' }), 403);
  });

  it('judges gasoline RON 95 at mức 3: sulphur over the limit fails, benzene below the LOQ prints "< 0,2"', async () => {
    const gasoline = product('gasoline');
    const benzene = parameter(gasoline, 'benzene').methods.find((m: Body) => m.code === 'TCVN 3166');
    const set = await expectStatus<Body>(as(sys, admin).patch(`/testing/methods/${benzene.id}`, { loq: '0.2' }), 200);
    expect(set).toMatchObject({ code: 'TCVN 3166', equivalent: 'ASTM D 5580', loq: '0.2' });
    const body = {
      productId: gasoline.id,
      testDate: '2026-01-15',
      level: '3',
      grade: '95',
      results: [
        { parameter: 'ron', replicates: ['95.3', '95.1'] },
        { parameter: 'sulphur', method: 'TCVN 7760', replicates: ['162', '166'] },
        { parameter: 'benzene', method: 'TCVN 3166', replicates: ['0.12', '0.15'] },
        { parameter: 'distillation_ibp', replicates: ['35.5'] },
        { parameter: 'distillation_t50', replicates: ['98.0'] },
        { parameter: 'distillation_fbp', replicates: ['205.5'] },
      ],
    };
    const report = await expectStatus<Body>(as(sys, analyst).post('/testing/conformity/evaluate', body), 200);
    const rows = Object.fromEntries(report.rows.map((r: Body) => [r.parameter, r]));
    expect(rows.ron).toMatchObject({ display: '95,2', conformity: 'pass', limit: { display: '≥ 95', grade: '95' } });
    expect(rows.sulphur).toMatchObject({
      value: '164',
      display: '164',
      conformity: 'fail',
      label: { vi: 'Không đạt', en: 'Fail' },
      limit: { display: '≤ 150', level: '3', regulationCode: 'QCVN 01:2022/BKHCN' },
    });
    expect(rows.benzene).toMatchObject({
      resultKind: 'below',
      bound: '0.2',
      display: '< 0,2',
      value: null,
      conformity: 'pass',
    });
    expect(rows.distillation_ibp).toMatchObject({ display: '35,5', conformity: 'not_judged' });
    expect(rows.distillation_fbp).toMatchObject({ conformity: 'pass', limit: { display: '≤ 210' } });
    expect(report.rows.some((r: Body) => /^0([,.]0*)?$/.test(r.display))).toBe(false);
    expect(report).toMatchObject({ overall: 'fail', overallLabel: { vi: 'Không đạt' }, decisionRule: 'simple' });
  });

  it('refuses an UNCERTAIN limit (422 naming it) until an admin confirms it; a winter date takes the winter pour point', async () => {
    const diesel = product('diesel');
    const pour = parameter(diesel, 'pour_point').limits;
    const winter = pour.find((l: Body) => l.season === 'winter');
    const summer = pour.find((l: Body) => l.season === 'summer');
    const evaluate = (testDate: string, replicates: string[]) =>
      as(sys, analyst).post('/testing/conformity/evaluate', {
        productId: diesel.id,
        testDate,
        level: '5',
        results: [{ parameter: 'pour_point', replicates }],
      });
    const refused = await expectStatus<Body>(evaluate('2026-01-10', ['5']), 422);
    expect(refused.code).toBe('spec_limit.unconfirmed');
    expect(refused.limits).toEqual([
      expect.objectContaining({ limitId: winter.id, parameter: 'pour_point', confidence: 'UNCERTAIN' }),
    ]);
    expect(refused.detail).toContain(winter.id);

    const document = 'QCVN 01:2022/BKHCN, bảng 2, chú thích 2) (bản PDF vanban.chinhphu.vn)';
    await expectStatus(as(sys, analyst).post(`/testing/limits/${winter.id}/confirm`, { document }), 403);
    const confirmed = await expectStatus<Body>(
      as(sys, admin).post(`/testing/limits/${winter.id}/confirm`, { document }),
      201,
    );
    expect(confirmed).toMatchObject({
      usable: true,
      confidence: 'UNCERTAIN',
      confirmation: { by: admin.userId, against: document },
    });
    await expectStatus(as(sys, admin).post(`/testing/limits/${winter.id}/confirm`, { document }), 409);
    await expectStatus(
      as(sys, admin).post('/testing/limits/00000000-0000-4000-8000-000000000000/confirm', { document }),
      404,
    );
    const verified = parameter(diesel, 'viscosity_40').limits[0];
    const notNeeded = await expectStatus<Body>(
      as(sys, admin).post(`/testing/limits/${verified.id}/confirm`, { document }),
      409,
    );
    expect(notNeeded.code).toBe('spec_limit.confirmation_not_needed');

    const audit = await expectStatus<Body>(as(sys, admin).get(`/audit?entity=spec_limit&id=${winter.id}`), 200);
    expect(audit.items).toEqual([
      expect.objectContaining({
        action: 'confirm',
        actor: expect.objectContaining({ id: admin.userId }),
        after: expect.objectContaining({ against: document, season: 'winter', max: '3', confirmed: true }),
      }),
    ]);

    const judged = await expectStatus<Body>(evaluate('2026-01-10', ['5']), 200);
    expect(judged.rows[0]).toMatchObject({
      conformity: 'fail',
      limit: { id: winter.id, season: 'winter', display: '≤ 3' },
    });
    expect(judged.overall).toBe('fail');
    const ok = await expectStatus<Body>(evaluate('2026-01-10', ['-3']), 200);
    expect(ok.rows[0]).toMatchObject({ display: '−3', conformity: 'pass' });
    // In summer the summer limit applies, and it is not confirmed yet.
    const july = await expectStatus<Body>(evaluate('2026-07-10', ['5']), 422);
    expect(july.limits).toEqual([expect.objectContaining({ limitId: summer.id })]);
  });

  it('seeding again changes nothing, and keeps the admin’s confirmations and the centre’s LOQ', async () => {
    const report = await runTestingSeed(sys.runtime.dataSource, { onlyIfEmpty: false });
    expect(report).toMatchObject({
      regulationsInserted: 0,
      productsInserted: 0,
      limitsInserted: 0,
      limitsUpdated: 0,
      limitsKeptConfirmed: 1,
    });
    const gasoline = await expectStatus<Body>(as(sys, analyst).get(`/testing/products/${product('gasoline').id}`), 200);
    expect(parameter(gasoline, 'benzene').methods.find((m: Body) => m.code === 'TCVN 3166').loq).toBe('0.2');
  });

  it('answers 422 for a level the product does not have and for a result it cannot read', async () => {
    const diesel = product('diesel');
    const bad = await expectStatus<Body>(
      as(sys, analyst).post('/testing/conformity/evaluate', {
        productId: diesel.id,
        testDate: '2026-01-10',
        level: '9',
        results: [{ parameter: 'water', replicates: ['100'] }],
      }),
      422,
    );
    expect(bad.code).toBe('conformity.invalid_sample');
    const unreadable = await expectStatus<Body>(
      as(sys, analyst).post('/testing/conformity/evaluate', {
        productId: diesel.id,
        testDate: '2026-01-10',
        level: '5',
        results: [{ parameter: 'water', replicates: ['lots'] }],
      }),
      422,
    );
    expect(unreadable).toMatchObject({
      code: 'conformity.invalid_result',
      errors: [{ field: 'results[0].replicates[0]' }],
    });
    ok(await as(sys, analyst).get(`/testing/products/${diesel.id}`), 'product');
  });
});
