// The calibration API's edges: POST /uncertainty/evaluate (shape, ν = ∞ in JSON, field paths in 400
// and 422), template validation, budgets given per point, adjusted instruments (as found / as left),
// and the requests a result needs to make sense (conformity, series).
import { addDays, todayInVietnam } from '#libs/registry';
import { evaluateBudget } from '#libs/uncertainty';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, type Body } from './support/http.js';
import {
  pressureGaugeTypeBody,
  staffSession,
  businessKey,
  createOrganization,
  authorise,
  createInstrumentType,
  createInstrument,
  createStandardWithCertificate,
  benchItem,
  type StaffSession,
} from './support/factories.js';

describe('calibration API', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let technician: StaffSession;
  let reception: StaffSession;

  beforeAll(async () => {
    sys = await startTestSystem();
    admin = await staffSession(sys, ['admin']);
    technician = await staffSession(sys, ['technician']);
    reception = await staffSession(sys, ['reception']);
  });
  afterAll(async () => sys?.close());

  describe('POST /uncertainty/evaluate', () => {
    const budget = {
      components: [
        { kind: 'type_a_readings', name: 'repeatability', unit: 'MPa', readings: [1.002, 1.003, 1.001] },
        { kind: 'type_b_expanded', name: 'reference standard', expandedUncertainty: 0.0016, coverageFactor: 2 },
        { kind: 'type_b_resolution', name: 'resolution', resolution: 0.005 },
        { kind: 'type_b_limits', name: 'temperature effect', halfWidth: 0.0008, distribution: 'rectangular' },
      ],
      result: 0.002,
    };

    it('returns every contribution, u_c, ν_eff, k, U, rounded U and result as decimal strings', async () => {
      const res = await as(sys, technician).post('/uncertainty/evaluate', budget);
      expect(res.status).toBe(200);
      const expected = evaluateBudget(budget as Parameters<typeof evaluateBudget>[0]);
      expect(Number(res.body.combinedStandardUncertainty)).toBe(expected.combinedStandardUncertainty);
      expect(Number(res.body.effectiveDegreesOfFreedom)).toBe(expected.effectiveDegreesOfFreedom);
      expect(res.body).toMatchObject({
        effectiveDegreesOfFreedomInfinite: false,
        coverageProbability: '0.9545',
        coverageFactorMethod: 'student_t',
        roundedExpandedUncertainty: { value: expected.roundedExpandedUncertainty.text, significantDigits: 2 },
        roundedResult: { value: expected.roundedResult!.text },
      });
      expect(res.body.contributions[0]).toMatchObject({
        name: 'repeatability',
        kind: 'type_a_readings',
        unit: 'MPa',
        estimate: '1.002',
        observations: 3,
        degreesOfFreedom: '2',
        degreesOfFreedomInfinite: false,
      });
      // ν = ∞ has no JSON number: null with the flag beside it.
      expect(res.body.contributions[1]).toMatchObject({
        degreesOfFreedom: null,
        degreesOfFreedomInfinite: true,
        standardUncertainty: '0.0008',
      });
      expect(typeof res.body.expandedUncertainty).toBe('string');
    });

    it('writes an infinite ν_eff as null + effectiveDegreesOfFreedomInfinite (k = 2)', async () => {
      const res = await as(sys, technician).post('/uncertainty/evaluate', { components: budget.components.slice(1) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        effectiveDegreesOfFreedom: null,
        effectiveDegreesOfFreedomInfinite: true,
        degreesOfFreedomForCoverage: null,
        coverageFactor: '2',
        coverageFactorMethod: 'conventional_k2',
      });
      expect(res.body.roundedResult).toBeUndefined();
    });

    it('answers 400 with field paths into the discriminated components', async () => {
      const res = await as(sys, technician).post('/uncertainty/evaluate', {
        components: [
          { kind: 'type_x', name: 'mystery' },
          { kind: 'type_b_limits', name: 'normal limits', halfWidth: 0.1, distribution: 'normal' },
          { kind: 'type_b_limits', name: 'no width', distribution: 'rectangular' },
          { kind: 'type_a_readings', name: 'bad readings', readings: [1, 'two'] },
        ],
      });
      expect(res.status).toBe(400);
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'components[0].kind',
          'components[1].coverageFactor',
          'components[2].halfWidth',
          'components[3].readings',
        ]),
      );
    });

    it('answers 422 naming the field when the maths refuses a well-formed budget', async () => {
      const dup = await as(sys, technician).post('/uncertainty/evaluate', {
        components: [budget.components[1], { ...budget.components[2], name: 'reference standard' }],
      });
      expect(dup.status).toBe(422);
      expect(dup.body).toMatchObject({ code: 'uncertainty.invalid_input', errors: [{ field: 'components[1].name' }] });
      const zero = await as(sys, technician).post('/uncertainty/evaluate', {
        components: [{ kind: 'type_b_standard', name: 'nil', standardUncertainty: 0 }],
      });
      expect(zero.status).toBe(422);
      expect(zero.body.errors).toEqual([expect.objectContaining({ field: 'components' })]);
      const p = await as(sys, technician).post('/uncertainty/evaluate', { ...budget, coverageProbability: 1 });
      expect(p.status).toBe(422);
      expect(p.body.errors).toEqual([expect.objectContaining({ field: 'coverageProbability' })]);
    });

    it('is for technicians, reviewers and admins only', async () => {
      expect((await as(sys, reception).post('/uncertainty/evaluate', budget)).status).toBe(403);
      const key = await businessKey(sys, (await createOrganization(sys)).id);
      expect((await as(sys, { key }).post('/uncertainty/evaluate').send(budget)).status).toBe(403);
    });

    it('is documented in the OpenAPI document with the component kinds as a discriminated union', async () => {
      const doc = (await sys.http().get('/docs-json')).body;
      const op = doc.paths['/uncertainty/evaluate'].post;
      expect(op.responses['200'].content['application/json'].schema.$ref).toMatch(/BudgetEvaluationView/);
      const components = doc.components.schemas.EvaluateBudgetDto.properties.components;
      expect(components.items.discriminator.propertyName).toBe('kind');
      expect(Object.keys(components.items.discriminator.mapping)).toEqual(
        expect.arrayContaining(['type_a_readings', 'type_b_expanded', 'type_b_limits', 'type_b_resolution']),
      );
      expect(components.example).toBeDefined();
      expect(doc.components.schemas.BudgetEvaluationView.properties.effectiveDegreesOfFreedomInfinite).toBeDefined();
      expect(doc.paths['/results/{id}/approve']).toBeDefined();
      expect(doc.paths['/standards/{id}/affected']).toBeDefined();
    });
  });

  describe('templates and results at their edges', () => {
    let type: Body;
    let gauge: Body;
    let standard: Body;
    let owner: Body;
    const bench = async (decisionRule?: 'simple' | 'guarded'): Promise<string> =>
      (
        await benchItem(sys, admin, {
          organizationId: owner.id,
          instrumentId: gauge.id,
          service: 'calibration',
          technician,
          ...(decisionRule ? { decisionRule } : {}),
        })
      ).itemId;

    beforeAll(async () => {
      type = await createInstrumentType(sys, admin, pressureGaugeTypeBody());
      await authorise(sys, admin, technician, [
        { instrumentTypeId: type.id, service: 'calibration', activity: 'perform' },
      ]);
      owner = await createOrganization(sys);
      gauge = await createInstrument(sys, admin, owner.id, type.id, {
        accuracyClass: '1',
        rangeMin: '0',
        rangeMax: '1',
        rangeUnit: 'MPa',
        resolution: '0.001',
      });
      standard = (
        await createStandardWithCertificate(
          sys,
          admin,
          { name: 'Áp kế chuẩn', quantity: 'pressure', unit: 'MPa', uncertainty: '0.0004', coverageFactor: '2' },
          {
            calibrationDate: addDays(todayInVietnam(), -100),
            dueDate: addDays(todayInVietnam(), 265),
            values: [{ nominal: '1', value: '1', unit: 'MPa', expandedUncertainty: '0.0004', coverageFactor: '2' }],
          },
        )
      ).standard;
    });

    it('refuses a template whose procedure is not one of the type’s (422) or whose rows are malformed (400)', async () => {
      const base = {
        instrumentTypeId: type.id,
        name: 'x',
        services: ['calibration'],
        procedureCode: 'ĐLVN 08',
        unit: 'MPa',
        points: [{ nominal: '0.5', readings: 3 }],
        components: [{ kind: 'type_a_readings', name: 'repeatability' }],
      };
      const wrong = await as(sys, technician).post('/calibration-templates', { ...base, procedureCode: 'ĐLVN 99' });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({ code: 'template.invalid', errors: [{ field: 'procedureCode' }] });
      const rows = await as(sys, technician).post('/calibration-templates', {
        ...base,
        components: [
          { kind: 'type_a_readings', name: 'a' },
          { kind: 'type_q', name: 'b' },
          { kind: 'type_b_limits', name: 'c', distribution: 'rectangular' },
        ],
      });
      expect(rows.status).toBe(400);
      expect(rows.body.errors.map((e: Body) => e.field)).toEqual(
        expect.arrayContaining(['components[1].kind', 'components[2].halfWidth']),
      );
      const dup = await as(sys, technician).post('/calibration-templates', {
        ...base,
        components: [
          { kind: 'type_a_readings', name: 'a' },
          { kind: 'type_b_resolution', name: 'a' },
        ],
      });
      expect(dup.status).toBe(400);
      expect(dup.body.errors).toEqual([expect.objectContaining({ field: 'components[1].name' })]);
      expect((await as(sys, reception).post('/calibration-templates', base)).status).toBe(403);
    });

    it('changes a template, keeping before and after in the audit trail', async () => {
      const created = await as(sys, technician).post('/calibration-templates', {
        instrumentTypeId: type.id,
        name: 'Áp kế 0–1 MPa',
        services: ['calibration'],
        procedureCode: 'ĐLVN 08',
        unit: 'MPa',
        points: [{ nominal: '0.5', readings: 3 }],
        components: [{ kind: 'type_a_readings', name: 'repeatability' }],
      });
      expect(created.status).toBe(201);
      const changed = await as(sys, admin).patch(`/calibration-templates/${created.body.id}`, {
        environmentLimits: { temperature: { min: '20', max: '26' } },
        unit: 'kPa',
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        environmentLimits: { temperature: { min: '20', max: '26' } },
        points: [{ nominal: '0.5', unit: 'kPa', readings: 3 }],
      });
      const bad = await as(sys, admin).patch(`/calibration-templates/${created.body.id}`, {
        environmentLimits: { humidity: { min: '80', max: '20' } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'environmentLimits.humidity.max' })]);
      const audit = (await as(sys, admin).get(`/audit?entity=calibration_template&id=${created.body.id}`)).body;
      expect(audit.items.map((e: Body) => e.action)).toEqual(['create', 'update']);
      expect(audit.items[1]).toMatchObject({
        before: { environmentLimits: {} },
        after: { environmentLimits: { temperature: { min: '20' } } },
      });
      const listed = (
        await as(sys, technician).get(`/calibration-templates?instrumentTypeId=${type.id}&service=calibration`)
      ).body;
      expect(listed.items.map((t: Body) => t.id)).toContain(created.body.id);
    });

    const measured = (requestItemId: string, points: object[], extra: object = {}) => ({
      requestItemId,
      measuredOn: todayInVietnam(),
      place: 'Phòng thí nghiệm Áp suất',
      standardIds: [standard.id],
      points,
      ...extra,
    });
    const budgetRows = [
      { kind: 'type_a_readings', name: 'repeatability' },
      { kind: 'reference_standard', name: 'reference standard' },
      { kind: 'type_b_resolution', name: 'resolution' },
    ];

    it('without a template every point carries its budget, and one without answers 400 naming it', async () => {
      const itemId = await bench();
      const missing = await as(sys, technician).post(
        '/results',
        measured(itemId, [{ nominal: '1', referenceValue: '1.0000', readings: ['1.001', '1.002'] }]),
      );
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'points[0].budget' })]);
      const res = await as(sys, technician).post(
        '/results',
        measured(itemId, [
          { nominal: '1', referenceValue: '1.0000', readings: ['1.001', '1.002'], budget: budgetRows },
        ]),
      );
      expect(res.status).toBe(201);
      expect(res.body.revision).toMatchObject({
        procedure: { code: 'ĐLVN 08' },
        environmentLimits: {},
        decisionRule: null,
      });
      expect(res.body.revision.points[0]).toMatchObject({ error: '0.0015', mpe: '0.01' });
      const listed = (await as(sys, technician).get(`/results?requestItemId=${itemId}`)).body;
      expect(listed).toEqual({
        items: [expect.objectContaining({ id: res.body.id, status: 'draft' })],
        nextCursor: null,
      });
    });

    it('names the point’s readings when a Type A row gets a single reading', async () => {
      const res = await as(sys, technician).post(
        '/results',
        measured(await bench(), [{ nominal: '1', referenceValue: '1.0000', readings: ['1.001'], budget: budgetRows }]),
      );
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'uncertainty.invalid_input', errors: [{ field: 'points[0].readings' }] });
    });

    it('records as found and as left for an adjusted instrument, deciding on each and reporting as left', async () => {
      const res = await as(sys, technician).post(
        '/results',
        measured(
          await bench('simple'),
          [
            {
              series: 'as_found',
              nominal: '1',
              referenceValue: '1.0000',
              readings: ['1.014', '1.013', '1.015'],
              budget: budgetRows,
            },
            {
              series: 'as_left',
              nominal: '1',
              referenceValue: '1.0000',
              readings: ['1.001', '1.002', '1.000'],
              budget: budgetRows,
            },
          ],
          { adjusted: true },
        ),
      );
      expect(res.status).toBe(201);
      expect(res.body.revision).toMatchObject({
        adjusted: true,
        reportedSeries: 'as_left',
        overallOutcome: 'pass',
        asFoundOutcome: 'fail',
      });
      expect(res.body.revision.points.map((p: Body) => [p.series, p.error, p.decision])).toEqual([
        ['as_found', '0.0140', 'fail'],
        ['as_left', '0.0010', 'pass'],
      ]);
    });

    it('refuses as-left points without adjustment, an adjustment without both series, a date ahead, an unknown standard', async () => {
      const itemId = await bench();
      const point = { nominal: '1', referenceValue: '1.0000', readings: ['1.001', '1.002'], budget: budgetRows };
      const left = await as(sys, technician).post('/results', measured(itemId, [{ ...point, series: 'as_left' }]));
      expect(left.status).toBe(400);
      expect(left.body.errors).toEqual([expect.objectContaining({ field: 'points[0].series' })]);
      const half = await as(sys, technician).post('/results', measured(itemId, [point], { adjusted: true }));
      expect(half.status).toBe(422);
      expect(half.body.code).toBe('result.series_missing');
      const before = await as(sys, technician).post(
        '/results',
        measured(itemId, [point], { measuredOn: addDays(todayInVietnam(), -1) }),
      );
      expect(before.status).toBe(422);
      expect(before.body).toMatchObject({ code: 'result.measured_before_receipt', errors: [{ field: 'measuredOn' }] });
      const future = await as(sys, technician).post(
        '/results',
        measured(itemId, [point], { measuredOn: '2999-01-01' }),
      );
      expect(future.status).toBe(422);
      expect(future.body.errors).toEqual([expect.objectContaining({ field: 'measuredOn' })]);
      const unknown = await as(sys, technician).post(
        '/results',
        measured(itemId, [point], { standardIds: ['6f1c0d51-4a8e-4d0e-9a43-5d2b1f0a7e11'] }),
      );
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({ code: 'result.standard_unknown', errors: [{ field: 'standardIds[0]' }] });
    });

    it('answers 404 for a result or revision that does not exist', async () => {
      const missing = '6f1c0d51-4a8e-4d0e-9a43-5d2b1f0a7e11';
      expect((await as(sys, technician).get(`/results/${missing}`)).status).toBe(404);
      expect((await as(sys, technician).get(`/results/${missing}/revisions/1`)).status).toBe(404);
      expect(
        (await as(sys, await staffSession(sys, ['reviewer'])).post(`/results/${missing}/approve`, { revision: 1 }))
          .status,
      ).toBe(404);
    });
  });
});
