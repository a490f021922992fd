// Calibration and verification results, through the HTTP API on a real PostgreSQL and Redis: a technician records a
// 5-point calibration of a pressure gauge and a periodic verification of fuel dispensers; the numbers,
// U and decisions are checked against the GUM maths evaluated independently here; a reviewer approves;
// an overdue standard, a self-approval and an edit in place are refused with clear errors; the audit
// trail shows the changes.
import { CalibrationCertificateSource, CalibrationResultReader } from '#libs/calibration';
import { CertificateSourceError } from '#libs/certificates';
import { validateCertificateModel } from '#libs/documents';
import { JobQueue, Outbox } from '#libs/core';
import { addDays, addMonths, todayInVietnam } from '#libs/registry';
import { evaluateBudget, type UncertaintyComponentInput } from '#libs/uncertainty';
import { DataSource } from 'typeorm';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, ok, type Body } from './support/http.js';
import {
  pressureGaugeTypeBody,
  fuelDispenserTypeBody,
  staffSession,
  createOrganization,
  authorise,
  createInstrumentType,
  createInstrument,
  createStandardWithCertificate,
  benchItem,
  itemStatus,
  type StaffSession,
} from './support/factories.js';

// The work happens after the item is received (today); the standards' certificates are dated around it.
const MEASURED_ON = todayInVietnam();
const OVERDUE_ON = addDays(MEASURED_ON, -35);

/** The five points of the gauge: nominal, reference value, three readings, U of the standard there. */
const GAUGE_POINTS = [
  { nominal: '0.2', referenceValue: '0.2000', readings: ['0.202', '0.203', '0.201'], standardU: 0.0008 },
  { nominal: '0.4', referenceValue: '0.4001', readings: ['0.404', '0.404', '0.401'], standardU: 0.001 },
  { nominal: '0.8', referenceValue: '0.7998', readings: ['0.806', '0.805', '0.804'], standardU: 0.0012 },
  { nominal: '1.2', referenceValue: '1.2003', readings: ['1.208', '1.210', '1.209'], standardU: 0.0014 },
  { nominal: '1.6', referenceValue: '1.6000', readings: ['1.611', '1.609', '1.610'], standardU: 0.0016 },
];

/** The budget of a gauge point written out independently of the library's template machinery. */
function gaugeBudget(p: (typeof GAUGE_POINTS)[number], error: number) {
  const components: UncertaintyComponentInput[] = [
    { kind: 'type_a_readings', name: 'repeatability', readings: p.readings.map(Number) },
    { kind: 'type_b_expanded', name: 'reference standard', expandedUncertainty: p.standardU, coverageFactor: 2 },
    { kind: 'type_b_resolution', name: 'resolution', resolution: 0.002 },
    { kind: 'type_b_limits', name: 'temperature effect', halfWidth: 0.0008, distribution: 'rectangular' },
  ];
  return evaluateBudget({ components, result: error });
}

describe('calibration and verification results: record, review, approve', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let technician: StaffSession;
  let reviewer: StaffSession;
  let both: StaffSession; // technician and reviewer: may measure or review, never both on one result
  let gaugeType: Body;
  let fuelType: Body;
  let owner: Body;
  let gauge: Body;
  let pressureStandard: Body;
  let overdueStandard: Body;
  let template: Body;
  let gaugeItem: { requestId: string; itemId: string; labelId: string };

  beforeAll(async () => {
    sys = await startTestSystem();
    admin = await staffSession(sys, ['admin']);
    technician = await staffSession(sys, ['technician']);
    reviewer = await staffSession(sys, ['reviewer']);
    both = await staffSession(sys, ['technician', 'reviewer']);
    gaugeType = await createInstrumentType(sys, admin, pressureGaugeTypeBody());
    fuelType = await createInstrumentType(sys, admin, fuelDispenserTypeBody());
    for (const type of [gaugeType, fuelType]) {
      const services = type === gaugeType ? ['calibration'] : ['verification_periodic'];
      for (const service of services) {
        await authorise(sys, admin, technician, [{ instrumentTypeId: type.id, service, activity: 'perform' }]);
        await authorise(sys, admin, reviewer, [{ instrumentTypeId: type.id, service, activity: 'approve' }]);
        await authorise(sys, admin, both, [
          { instrumentTypeId: type.id, service, activity: 'perform' },
          { instrumentTypeId: type.id, service, activity: 'approve' },
        ]);
      }
    }
    owner = await createOrganization(sys);
    gauge = await createInstrument(sys, admin, owner.id, gaugeType.id, {
      manufacturer: 'Wika',
      model: '213.53',
      accuracyClass: '1.6',
      rangeMin: '0',
      rangeMax: '1.6',
      rangeUnit: 'MPa',
      resolution: '0.002',
    });
    pressureStandard = (
      await createStandardWithCertificate(
        sys,
        admin,
        { name: 'Áp kế chuẩn điện tử 0–2.5 MPa', quantity: 'pressure', unit: 'MPa', rangeMin: '0', rangeMax: '2.5' },
        {
          certificateNumber: 'V08.P.0412/24',
          calibrationDate: addDays(MEASURED_ON, -200),
          dueDate: addDays(MEASURED_ON, 165),
          externalReference: { kind: 'national_standard', name: 'Chuẩn quốc gia áp suất — VMI' },
          values: GAUGE_POINTS.map((p) => ({
            nominal: p.nominal,
            value: p.nominal,
            unit: 'MPa',
            expandedUncertainty: String(p.standardU),
            coverageFactor: '2',
          })),
        },
      )
    ).standard;
    overdueStandard = (
      await createStandardWithCertificate(
        sys,
        admin,
        { code: `P-OLD-${Date.now()}`, name: 'Áp kế chuẩn cũ', quantity: 'pressure', unit: 'MPa' },
        {
          calibrationDate: addDays(MEASURED_ON, -400),
          dueDate: OVERDUE_ON,
          values: [{ nominal: '1', value: '1', unit: 'MPa', expandedUncertainty: '0.002', coverageFactor: '2' }],
        },
      )
    ).standard;
    // The customer asks for a calibration with a statement of conformity under guarded acceptance (ILAC-G8).
    gaugeItem = await benchItem(sys, admin, {
      organizationId: owner.id,
      instrumentId: gauge.id,
      service: 'calibration',
      decisionRule: 'guarded',
      technician,
    });
  });
  afterAll(async () => sys?.close());

  describe('pressure gauge: a 5-point calibration', () => {
    let result: Body;

    it('a technician makes a template for the type: points, budget rows, environmental limits', async () => {
      const res = await as(sys, technician).post('/calibration-templates', {
        instrumentTypeId: gaugeType.id,
        name: 'Áp kế lò xo 0–1.6 MPa, 5 điểm',
        services: ['calibration'],
        procedureCode: 'ĐLVN 08',
        unit: 'MPa',
        points: GAUGE_POINTS.map((p) => ({ nominal: p.nominal, readings: 3 })),
        components: [
          { kind: 'type_a_readings', name: 'repeatability' },
          { kind: 'reference_standard', name: 'reference standard' },
          { kind: 'type_b_resolution', name: 'resolution' },
          { kind: 'type_b_limits', name: 'temperature effect', halfWidth: '0.0008', distribution: 'rectangular' },
        ],
        standardIds: [pressureStandard.id],
        environmentLimits: { temperature: { min: '18', max: '28' }, humidity: { max: '80' } },
      });
      expect(res.status).toBe(201);
      template = res.body;
      expect(template).toMatchObject({
        procedure: { code: 'ĐLVN 08', version: '2011' },
        environmentLimits: { temperature: { min: '18', max: '28' }, humidity: { min: null, max: '80' } },
        decisionRule: { kind: 'simple' },
      });
      expect(template.points).toHaveLength(5);
    });

    it('fills the worksheet for the gauge: MPE per point from its class and span, U and k from the certificate', async () => {
      const sheet = ok(
        await as(sys, technician).get(
          `/calibration-templates/${template.id}/worksheet?instrumentId=${gauge.id}&on=${MEASURED_ON}`,
        ),
        'worksheet',
      );
      expect(sheet.standards).toEqual([
        expect.objectContaining({ id: pressureStandard.id, usable: true, certificateNumber: 'V08.P.0412/24' }),
      ]);
      expect(sheet.points.map((p: Body) => p.mpe)).toEqual(['0.0256', '0.0256', '0.0256', '0.0256', '0.0256']);
      expect(sheet.points[3].budget).toEqual([
        expect.objectContaining({ termKind: 'type_a_readings' }),
        expect.objectContaining({
          input: expect.objectContaining({
            kind: 'type_b_expanded',
            expandedUncertainty: '0.0014',
            coverageFactor: '2',
          }),
          source: expect.objectContaining({ kind: 'standard_certificate', certificateNumber: 'V08.P.0412/24' }),
        }),
        expect.objectContaining({
          input: expect.objectContaining({ resolution: '0.002' }),
          source: { kind: 'instrument_resolution' },
        }),
        expect.objectContaining({
          input: expect.objectContaining({ halfWidth: '0.0008', distribution: 'rectangular' }),
        }),
      ]);
    });

    const body = () => ({
      requestItemId: gaugeItem.itemId,
      templateId: template.id,
      measuredOn: MEASURED_ON,
      place: 'Phòng thí nghiệm Áp suất',
      environment: { temperature: '23.1', humidity: '55', pressure: '100.8' },
      points: GAUGE_POINTS.map((p) => ({ nominal: p.nominal, referenceValue: p.referenceValue, readings: p.readings })),
    });

    it('refuses an environment outside the procedure’s limits, naming the field', async () => {
      const res = await as(sys, technician).post('/results', {
        ...body(),
        environment: { temperature: '31.5', humidity: '55' },
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'result.environment_out_of_limits',
        errors: [
          { field: 'environment.temperature', message: expect.stringMatching(/31\.5 °C is outside .*18 to 28/) },
        ],
      });
    });

    it('refuses an overdue standard with 422, naming it and the reason', async () => {
      const res = await as(sys, technician).post('/results', {
        ...body(),
        standardIds: [pressureStandard.id, overdueStandard.id],
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'result.standard_unusable',
        errors: [{ field: 'standardIds[1]', message: expect.stringContaining(overdueStandard.code) }],
        standards: [{ id: overdueStandard.id, code: overdueStandard.code, reasons: ['calibration_overdue'] }],
      });
      expect(res.body.detail).toMatch(new RegExp(`calibration was overdue \\(due ${OVERDUE_ON}\\)`));
    });

    it('records only for a request item at the bench, matching it, once', async () => {
      const scheduled = await benchItem(sys, admin, {
        organizationId: owner.id,
        instrumentId: gauge.id,
        service: 'calibration',
        technician,
        receive: false,
      });
      const early = await as(sys, technician).post('/results', { ...body(), requestItemId: scheduled.itemId });
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ code: 'result.item_not_ready', itemStatus: 'scheduled' });
      const other = await as(sys, technician).post('/results', {
        ...body(),
        instrumentId: overdueStandard.id,
        service: 'verification_periodic',
      });
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({
        code: 'result.item_mismatch',
        errors: [{ field: 'instrumentId' }, { field: 'service' }],
      });
      const unknown = await as(sys, technician).post('/results', { ...body(), requestItemId: overdueStandard.id });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({ code: 'result.bad_reference', errors: [{ field: 'requestItemId' }] });
    });

    it('refuses a technician not authorised for the work, and a reviewer recording at all', async () => {
      const stranger = await staffSession(sys, ['technician']);
      const refused = await as(sys, stranger).post('/results', body());
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('result.not_authorised');
      expect((await as(sys, reviewer).post('/results', body())).status).toBe(403);
    });

    it('records the readings; error, u_c, ν_eff, k, U, rounded U and the decision are computed and stored per point', async () => {
      const res = await as(sys, technician).post('/results', body());
      expect(res.status).toBe(201);
      result = res.body;
      expect(result).toMatchObject({
        status: 'draft',
        currentRevision: 1,
        service: 'calibration',
        // From the published views registry_instrument_card_v and requests_item_card_v.
        instrument: {
          id: gauge.id,
          serialNumber: gauge.serialNumber,
          typeId: gaugeType.id,
          typeCode: gaugeType.code,
          typeName: gaugeType.nameVi,
        },
        customer: { id: owner.id, name: owner.name },
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      const rev = result.revision;
      expect(rev).toMatchObject({
        revision: 1,
        procedure: { code: 'ĐLVN 08', version: '2011' },
        environment: { temperature: '23.1', humidity: '55', pressure: '100.8' },
        conformityRequested: true,
        decisionRule: { kind: 'guarded', source: 'request' },
        coverageProbability: '0.9545',
        standards: [
          { id: pressureStandard.id, certificateNumber: 'V08.P.0412/24', dueDate: addDays(MEASURED_ON, 165) },
        ],
        overallOutcome: 'pass',
      });
      expect(rev.points).toHaveLength(5);
      rev.points.forEach((p: Body, i: number) => {
        const input = GAUGE_POINTS[i]!;
        const mean = input.readings.map(Number).reduce((a, b) => a + b) / 3;
        const expected = gaugeBudget(input, mean - Number(input.referenceValue));
        expect(p.readings).toEqual(input.readings);
        expect(Number(p.error)).toBeCloseTo(mean - Number(input.referenceValue), 12);
        expect(Number(p.combinedStandardUncertainty)).toBe(expected.combinedStandardUncertainty);
        expect(Number(p.effectiveDegreesOfFreedom)).toBe(expected.effectiveDegreesOfFreedom);
        expect(Number(p.coverageFactor)).toBe(expected.coverageFactor);
        expect(Number(p.expandedUncertainty)).toBe(expected.expandedUncertainty);
        expect(p.roundedExpandedUncertainty).toBe(expected.roundedExpandedUncertainty.text);
        expect(p.roundedError).toBe(expected.roundedResult!.text);
        expect(p.mpe).toBe('0.0256');
        expect(p.decision).toBe('pass');
        expect(p.budget.contributions.map((c: Body) => c.name)).toEqual([
          'repeatability',
          'reference standard',
          'resolution',
          'temperature effect',
        ]);
      });
      // The last point by hand: s = 0.001 → u_A = 0.000577 (ν 2); u_std = 0.0008; u_res = 0.002/(2√3) = 0.000577;
      // u_T = 0.0008/√3 = 0.000462; u_c = 0.001233; ν_eff = u_c⁴/(u_A⁴/2) = 41.6 → t₉₅.₄₅(41) = 2.063; U = 0.00254.
      // Recording results starts the work on the item.
      expect(await itemStatus(sys, reviewer, gaugeItem)).toBe('in_progress');
      const again = await as(sys, technician).post('/results', body());
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'result.exists_for_item', resultId: result.id });
      const last = rev.points[4];
      expect(last).toMatchObject({
        indicatedMean: '1.61',
        error: '0.0100',
        roundedError: '0.0100',
        roundedExpandedUncertainty: '0.0025',
      });
      expect(Number(last.combinedStandardUncertainty)).toBeCloseTo(0.0012329, 7);
      expect(Number(last.effectiveDegreesOfFreedom)).toBeCloseTo(41.587, 3);
      expect(Number(last.coverageFactor)).toBeCloseTo(2.063, 3);
      expect(rev.points[1]).toMatchObject({ error: '0.0029', roundedExpandedUncertainty: '0.0034' });
    });

    it('keeps every input with the result: the budget rows as asked, as resolved and their source', async () => {
      const rev = ok(await as(sys, reviewer).get(`/results/${result.id}/revisions/1`), 'revision 1');
      expect(rev.points[0].budget.resolved[1]).toMatchObject({
        input: { kind: 'type_b_expanded', expandedUncertainty: '0.0008', coverageFactor: '2' },
        source: { kind: 'standard_certificate', standardId: pressureStandard.id, statedAtNominal: '0.2' },
      });
      expect(rev.points[0].budget.terms).toEqual(template.components);
    });

    it('a reviewer returns it with a comment; the technician corrects it in revision 2, revision 1 stays readable', async () => {
      ok(await as(sys, technician).post(`/results/${result.id}/submit`, { revision: 1 }), 'submit 1');
      const returned = await as(sys, reviewer).post(`/results/${result.id}/return`, {
        revision: 1,
        comment: 'Point 0.4 MPa: the third reading looks mistyped',
      });
      expect(returned.status).toBe(200);
      expect(returned.body).toMatchObject({
        status: 'returned',
        revision: { status: 'returned', reviewComment: expect.stringMatching(/mistyped/) },
      });

      const points = GAUGE_POINTS.map((p) => ({
        nominal: p.nominal,
        referenceValue: p.referenceValue,
        readings: p.readings,
      }));
      points[1] = { ...points[1]!, readings: ['0.404', '0.404', '0.404'] };
      const noReason = await as(sys, technician).post(`/results/${result.id}/revisions`, { points });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
      const revised = await as(sys, technician).post(`/results/${result.id}/revisions`, {
        reason: 'Third reading at 0.4 MPa mistyped (0.401 for 0.404)',
        points,
      });
      expect(revised.status).toBe(201);
      expect(revised.body).toMatchObject({
        currentRevision: 2,
        status: 'draft',
        revision: { revision: 2, reason: expect.stringMatching(/mistyped/) },
      });
      // Carried over from revision 1: environment, standards, template, conformity.
      expect(revised.body.revision).toMatchObject({
        environment: { temperature: '23.1' },
        templateId: template.id,
        decisionRule: { kind: 'guarded' },
        standards: [{ id: pressureStandard.id }],
      });
      expect(revised.body.revision.points[1]).toMatchObject({ readings: ['0.404', '0.404', '0.404'], error: '0.0039' });

      const first = ok(await as(sys, reviewer).get(`/results/${result.id}/revisions/1`), 'revision 1');
      expect(first).toMatchObject({ revision: 1, status: 'superseded', points: expect.any(Array) });
      expect(first.points[1].readings).toEqual(['0.404', '0.404', '0.401']);
      const list = ok(await as(sys, reviewer).get(`/results/${result.id}/revisions`), 'revisions');
      expect(list.map((r: Body) => [r.revision, r.status])).toEqual([
        [1, 'superseded'],
        [2, 'draft'],
      ]);
      // The names come from auth's published view auth_staff_name_v.
      const performedBy = { id: technician.userId, name: technician.principal.fullName };
      expect(first.performedBy).toEqual(performedBy);
      expect(list.map((r: Body) => r.performedBy)).toEqual([performedBy, performedBy]);
    });

    it('approval is of a specific revision: the superseded one cannot be approved', async () => {
      ok(await as(sys, technician).post(`/results/${result.id}/submit`, { revision: 2 }), 'submit 2');
      const stale = await as(sys, reviewer).post(`/results/${result.id}/approve`, { revision: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('result.revision_not_current');
    });

    it('a reviewer approves: the instrument history is updated and a certificate.issue job is queued, in one transaction', async () => {
      const res = await as(sys, reviewer).post(`/results/${result.id}/approve`, {
        revision: 2,
        comment: 'Checked against the data sheet',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'approved',
        approvedRevision: 2,
        revision: { status: 'approved', reviewedBy: { id: reviewer.userId, name: reviewer.principal.fullName } },
      });
      const revisionId = res.body.revision.id as string;
      const history = ok(await as(sys, reviewer).get(`/instruments/${gauge.id}/history`), 'history');
      expect(history.items).toEqual([
        expect.objectContaining({ service: 'calibration', date: MEASURED_ON, result: 'pass', origin: 'approval' }),
      ]);
      const db = sys.app.get(DataSource);
      const outbox = await db.query(
        `SELECT job_name, job_id, payload FROM outbox_message WHERE job_name = 'certificate.issue'`,
      );
      expect(outbox).toEqual([
        {
          job_name: 'certificate.issue',
          job_id: `certificate.${revisionId}`,
          payload: { resultRevisionId: revisionId },
        },
      ]);
      // No worker (so no outbox sweeper) runs here, and the review service flushes nothing by hand:
      // the outbox's afterCommit hook started moving the job to the queue when the approval committed.
      await sys.app.get(Outbox).settled();
      const [{ dispatched }] = (await db.query(
        `SELECT dispatched_at IS NOT NULL AS dispatched FROM outbox_message WHERE job_id = $1`,
        [`certificate.${revisionId}`],
      )) as [{ dispatched: boolean }];
      expect(dispatched).toBe(true);
      const job = await sys.app.get(JobQueue).job('certificate.issue', `certificate.${revisionId}`);
      expect(job?.data).toEqual({ resultRevisionId: revisionId });
      expect(await itemStatus(sys, reviewer, gaugeItem)).toBe('results_approved');
    });

    it('gives the certificates library everything a certificate needs', async () => {
      const view = ok(await as(sys, reviewer).get(`/results/${result.id}`), 'result');
      const data = await sys.app.get(CalibrationResultReader).forCertificate(view.revision.id);
      expect(data).toMatchObject({
        resultId: result.id,
        revision: 2,
        requestItemId: gaugeItem.itemId,
        request: {
          id: gaugeItem.requestId,
          itemOrdinal: 0,
          place: 'lab',
          labelId: gaugeItem.labelId,
          receivedAt: expect.any(String),
        },
        serviceKind: 'calibration',
        procedure: { code: 'ĐLVN 08', version: '2011' },
        measuredOn: MEASURED_ON,
        environment: { temperature: '23.1', humidity: '55', pressure: '100.8', units: { temperature: '°C' } },
        instrument: {
          serialNumber: gauge.serialNumber,
          manufacturer: 'Wika',
          accuracyClass: '1.6',
          typeCode: gaugeType.code,
        },
        customer: { id: owner.id, name: owner.name, taxCode: owner.taxCode },
        standards: [
          {
            code: pressureStandard.code,
            certificateNumber: 'V08.P.0412/24',
            issuingLab: expect.any(String),
            dueDate: addDays(MEASURED_ON, 165),
          },
        ],
        technician: { id: technician.userId, name: `Test ${technician.username}` },
        reviewer: { id: reviewer.userId, name: `Test ${reviewer.username}` },
        coverageProbability: '0.9545',
        conformityRequested: true,
        decisionRule: { kind: 'guarded', source: 'request' },
        overallOutcome: 'pass',
        adjusted: false,
        asLeft: [],
      });
      expect(data.points[4]).toMatchObject({
        error: '0.0100',
        expandedUncertainty: '0.0025',
        coverageFactor: '2.06',
        mpe: '0.0256',
        decision: 'pass',
      });
      expect(data.asFound).toHaveLength(5);

      // The draft for the certificates library is a printable certificate once issuing adds its own fields.
      const draft = await sys.app.get(CalibrationCertificateSource).load(view.revision.id);
      expect(draft).toMatchObject({
        organizationId: owner.id,
        outcome: 'pass',
        validUntil: null,
        measurementDate: MEASURED_ON,
      });
      expect(draft.content.results[0]!.rows[4]).toEqual({
        nominal: '1.6',
        reference: '1.6000',
        indicated: '1.61',
        error: '0.0100',
        expandedUncertainty: '0.0025',
        coverageFactor: '2.06',
        mpe: '±0.0256',
        decision: 'pass',
      });
      expect(draft.content).toMatchObject({
        uncertainty: { coverageProbability: '95.45' },
        decisionRule: { rule: 'guarded', guardBand: 'U' },
        conformity: { decision: 'pass', specification: 'ĐLVN 08:2011, cấp chính xác 1,6' },
        receiptDate: MEASURED_ON,
      });
      expect(() =>
        validateCertificateModel({
          ...draft.content,
          kind: 'calibration',
          number: 'HC-2025-000001',
          issueDate: MEASURED_ON,
          laboratory: { name: 'Trung tâm Kỹ thuật TĐC', address: '12 Trần Phú, Nha Trang' },
          verificationUrl: 'https://tdc.example/v/1',
        }),
      ).not.toThrow();
      const first = ok(await as(sys, reviewer).get(`/results/${result.id}/revisions/1`), 'revision 1');
      await expect(sys.app.get(CalibrationCertificateSource).load(first.id)).rejects.toMatchObject({
        reason: 'not_approved',
      });
      await expect(sys.app.get(CalibrationCertificateSource).load(owner.id)).rejects.toBeInstanceOf(
        CertificateSourceError,
      );
    });

    it('refuses to edit an approved revision in place (API), and the database refuses it too', async () => {
      const patch = await as(sys, technician).patch(`/results/${result.id}/revisions/2`, { points: [] });
      expect(patch.status).toBe(409);
      expect(patch.body).toMatchObject({
        code: 'result.revision_approved',
        detail: expect.stringMatching(/new revision/),
      });
      const db = sys.app.get(DataSource);
      const [{ id }] = await db.query(
        `SELECT id FROM calibration_result_revision WHERE result_id = $1 AND revision = 2`,
        [result.id],
      );
      await expect(
        db.query(`UPDATE calibration_result_revision SET place = 'elsewhere' WHERE id = $1`, [id]),
      ).rejects.toThrow(/approved and immutable: UPDATE refused/);
      await expect(
        db.query(`UPDATE calibration_result_revision SET review_comment = 'x' WHERE id = $1`, [id]),
      ).rejects.toThrow(/approved and immutable/);
      // The application's role may not update points or delete revisions at all; the owner, who may, meets the triggers.
      await expect(
        db.query(`UPDATE calibration_result_point SET error = 0 WHERE revision_id = $1`, [id]),
      ).rejects.toThrow(/permission denied for table calibration_result_point/);
      await expect(db.query(`DELETE FROM calibration_result_revision WHERE id = $1`, [id])).rejects.toThrow(
        /permission denied for table calibration_result_revision/,
      );
      const owner = new DataSource({ type: 'postgres', url: sys.db.url });
      await owner.initialize();
      try {
        await expect(
          owner.query(`UPDATE calibration_result_point SET error = 0 WHERE revision_id = $1`, [id]),
        ).rejects.toThrow(/calibration_result_point is append-only: UPDATE refused/);
        await expect(owner.query(`DELETE FROM calibration_result_revision WHERE id = $1`, [id])).rejects.toThrow(
          /never deleted/,
        );
      } finally {
        await owner.destroy();
      }
      // Even a revision not approved keeps its technical columns: only the review columns change.
      const [first] = await db.query(
        `SELECT id FROM calibration_result_revision WHERE result_id = $1 AND revision = 1`,
        [result.id],
      );
      await expect(
        db.query(`UPDATE calibration_result_revision SET measured_on = '2020-01-01' WHERE id = $1`, [first.id]),
      ).rejects.toThrow(/technical columns .* never overwritten/);
      const [{ place }] = await db.query(`SELECT place FROM calibration_result_revision WHERE id = $1`, [id]);
      expect(place).toBe('Phòng thí nghiệm Áp suất');
    });

    it('the audit trail shows every change: create, submit, return, revise (before/after/reason), approve', async () => {
      const audit = ok(await as(sys, reviewer).get(`/audit?entity=calibration_result&id=${result.id}`), 'audit');
      expect(audit.items.map((e: Body) => e.action)).toEqual([
        'create',
        'submit',
        'return',
        'revise',
        'submit',
        'approve',
      ]);
      const revise = audit.items[3];
      expect(revise).toMatchObject({
        actor: { kind: 'staff', id: technician.userId },
        reason: 'Third reading at 0.4 MPa mistyped (0.401 for 0.404)',
        before: {
          revision: 1,
          points: expect.arrayContaining([
            expect.objectContaining({ nominal: '0.4', readings: ['0.404', '0.404', '0.401'] }),
          ]),
        },
        after: {
          revision: 2,
          points: expect.arrayContaining([
            expect.objectContaining({ nominal: '0.4', readings: ['0.404', '0.404', '0.404'] }),
          ]),
        },
      });
      expect(audit.items[5]).toMatchObject({
        actor: { id: reviewer.userId },
        reason: 'Checked against the data sheet',
      });
      const templateAudit = ok(
        await as(sys, reviewer).get(`/audit?entity=calibration_template&id=${template.id}`),
        'template audit',
      );
      expect(templateAudit.items.map((e: Body) => e.action)).toEqual(['create']);
    });

    it('reverse traceability lists the result, its request item, instrument and customer for the standard', async () => {
      const res = ok(
        await as(sys, reviewer).get(
          `/standards/${pressureStandard.id}/affected?from=${addDays(MEASURED_ON, -10)}&to=${addDays(MEASURED_ON, 10)}`,
        ),
        'affected',
      );
      expect(res.items).toEqual([
        expect.objectContaining({
          resultId: result.id,
          requestItemId: gaugeItem.itemId,
          requestId: gaugeItem.requestId,
          firstUsedOn: MEASURED_ON,
          instrument: expect.objectContaining({ id: gauge.id, serialNumber: gauge.serialNumber }),
          customer: { id: owner.id, name: owner.name },
          revisions: [
            expect.objectContaining({ revision: 1, status: 'superseded' }),
            expect.objectContaining({ revision: 2, status: 'approved' }),
          ],
          approvedRevisionIds: [expect.any(String)],
        }),
      ]);
      const outside = ok(
        await as(sys, reviewer).get(`/standards/${pressureStandard.id}/affected?from=${addDays(MEASURED_ON, 1)}`),
        'affected later',
      );
      expect(outside.items).toEqual([]);
    });
  });

  describe('the reviewer is not the person who measured', () => {
    it('refuses a self-approval with 403 result.self_approval', async () => {
      const second = await createInstrument(sys, admin, owner.id, gaugeType.id, {
        manufacturer: 'Wika',
        accuracyClass: '1.6',
        rangeMin: '0',
        rangeMax: '1.6',
        rangeUnit: 'MPa',
        resolution: '0.002',
      });
      const item = await benchItem(sys, admin, {
        organizationId: owner.id,
        instrumentId: second.id,
        service: 'calibration',
        technician: both,
        start: true,
      });
      const recorded = ok(
        await as(sys, both).post('/results', {
          requestItemId: item.itemId,
          templateId: template.id,
          measuredOn: MEASURED_ON,
          place: 'Phòng thí nghiệm Áp suất',
          environment: { temperature: '22', humidity: '60' },
          points: GAUGE_POINTS.map((p) => ({
            nominal: p.nominal,
            referenceValue: p.referenceValue,
            readings: p.readings,
          })),
        }),
        'record by the dual-role user',
      );
      // Calibration without a statement of conformity: results with U, no decision.
      expect(recorded.revision).toMatchObject({ conformityRequested: false, decisionRule: null, overallOutcome: null });
      expect(recorded.revision.points.every((p: Body) => p.decision === null && p.roundedExpandedUncertainty)).toBe(
        true,
      );
      ok(await as(sys, both).post(`/results/${recorded.id}/submit`, { revision: 1 }), 'submit');
      const self = await as(sys, both).post(`/results/${recorded.id}/approve`, { revision: 1 });
      expect(self.status).toBe(403);
      expect(self.body).toMatchObject({
        code: 'result.self_approval',
        detail: expect.stringMatching(/may not review it/),
      });
      const notSubmitter = await as(sys, technician).post(`/results/${recorded.id}/submit`, { revision: 1 });
      expect(notSubmitter.status).toBe(409);
      expect(notSubmitter.body).toMatchObject({
        code: 'result.invalid_transition',
        revisionStatus: 'submitted',
        allowedFrom: ['draft'],
      });
      const approved = await as(sys, reviewer).post(`/results/${recorded.id}/approve`, { revision: 1 });
      expect(approved.status).toBe(200);
      const history = ok(await as(sys, reviewer).get(`/instruments/${second.id}/history`), 'history');
      expect(history.items[0]).toMatchObject({ service: 'calibration', result: null });
    });
  });

  describe('fuel dispensers: periodic verification against MPE ±0.5 % of the reading', () => {
    let fuelTemplate: Body;
    let can: Body;

    beforeAll(async () => {
      can = (
        await createStandardWithCertificate(
          sys,
          admin,
          { name: 'Bình chuẩn kim loại 20 L', quantity: 'volume', unit: 'L', rangeMin: '0', rangeMax: '20' },
          {
            calibrationDate: addDays(MEASURED_ON, -100),
            dueDate: addDays(MEASURED_ON, 265),
            values: [{ nominal: '20', value: '20.002', unit: 'L', expandedUncertainty: '0.004', coverageFactor: '2' }],
          },
        )
      ).standard;
      fuelTemplate = ok(
        await as(sys, admin).post('/calibration-templates', {
          instrumentTypeId: fuelType.id,
          name: 'Cột đo xăng dầu — kiểm định định kỳ',
          services: ['verification_periodic'],
          procedureCode: 'ĐLVN 10',
          unit: 'L',
          points: [
            { nominal: '20', readings: 3 },
            { nominal: '20', readings: 3 },
          ],
          components: [
            { kind: 'type_a_readings', name: 'repeatability' },
            { kind: 'reference_standard', name: 'proving can' },
            { kind: 'type_b_resolution', name: 'resolution' },
          ],
          standardIds: [can.id],
          environmentLimits: { temperature: { min: '5', max: '40' } },
        }),
        'fuel template',
      );
    });

    const verify = (requestItemId: string, points: object[]) => ({
      requestItemId,
      templateId: fuelTemplate.id,
      measuredOn: MEASURED_ON,
      place: 'Cửa hàng xăng dầu số 5, Nha Trang (on site)',
      environment: { temperature: '29.5' },
      points,
    });

    it('passes a dispenser within ±0.5 %, and the next due date follows the 12-month cycle', async () => {
      const dispenser = await createInstrument(sys, admin, owner.id, fuelType.id, {
        resolution: '0.01',
        accuracyClass: '0.5',
      });
      const item = await benchItem(sys, admin, {
        organizationId: owner.id,
        instrumentId: dispenser.id,
        service: 'verification_periodic',
        technician,
      });
      const res = await as(sys, technician).post(
        '/results',
        verify(item.itemId, [
          { nominal: '20', referenceValue: '20.000', readings: ['20.04', '20.06', '20.05'] },
          {
            nominal: '20',
            referenceValue: '19.998',
            readings: ['20.03', '20.02', '20.04'],
            corrections: [{ name: 'can temperature correction', value: '-0.004' }],
          },
        ]),
      );
      expect(res.status).toBe(201);
      const rev = res.body.revision;
      expect(rev).toMatchObject({
        decisionRule: { kind: 'simple', source: 'procedure' },
        overallOutcome: 'pass',
        conformityRequested: false,
      });
      // MPE = 0.5 % of the indication: 0.005 × 20.05 = 0.10025 L and 0.005 × 20.03 = 0.10015 L.
      expect(rev.points[0]).toMatchObject({ indicatedMean: '20.05', error: '0.050', mpe: '0.10025', decision: 'pass' });
      expect(rev.points[1]).toMatchObject({
        indicatedMean: '20.03',
        correctionTotal: '-0.004',
        error: '0.028',
        mpe: '0.10015',
        decision: 'pass',
      });
      const expected = evaluateBudget({
        components: [
          { kind: 'type_a_readings', name: 'repeatability', readings: [20.03, 20.02, 20.04] },
          { kind: 'type_b_expanded', name: 'proving can', expandedUncertainty: 0.004, coverageFactor: 2 },
          { kind: 'type_b_resolution', name: 'resolution', resolution: 0.01 },
        ],
        result: 0.028,
      });
      expect(Number(rev.points[1].expandedUncertainty)).toBe(expected.expandedUncertainty);
      expect(rev.points[1].roundedExpandedUncertainty).toBe(expected.roundedExpandedUncertainty.text);
      expect(rev.points[1].roundedError).toBe(expected.roundedResult!.text);

      ok(await as(sys, technician).post(`/results/${res.body.id}/submit`, { revision: 1 }), 'submit');
      ok(await as(sys, reviewer).post(`/results/${res.body.id}/approve`, { revision: 1 }), 'approve');
      const after = ok(await as(sys, reviewer).get(`/instruments/${dispenser.id}`), 'instrument');
      expect(after).toMatchObject({
        lastVerification: { date: MEASURED_ON, passed: true },
        nextDueDate: addMonths(MEASURED_ON, 12),
      });
      expect(await itemStatus(sys, reviewer, item)).toBe('results_approved');
      // The validity is issuing's to print (the instrument's next due date, read in the issue's
      // transaction, asserted above): the draft leaves it null.
      const draft = await sys.app.get(CalibrationCertificateSource).load(res.body.revision.id);
      expect(draft).toMatchObject({
        service: 'verification_periodic',
        outcome: 'pass',
        validUntil: null,
      });
      expect(() =>
        validateCertificateModel({
          ...draft.content,
          kind: 'verification',
          number: 'KĐ-2025-000001',
          issueDate: MEASURED_ON,
          laboratory: { name: 'Trung tâm Kỹ thuật TĐC', address: '12 Trần Phú, Nha Trang' },
          verification: { type: 'periodic', validUntil: after.nextDueDate },
          verificationUrl: 'https://tdc.example/v/2',
        }),
      ).not.toThrow();
    });

    it('fails a dispenser outside ±0.5 %: the item fails and gets no next due date', async () => {
      const dispenser = await createInstrument(sys, admin, owner.id, fuelType.id, { resolution: '0.01' });
      const item = await benchItem(sys, admin, {
        organizationId: owner.id,
        instrumentId: dispenser.id,
        service: 'verification_periodic',
        technician,
      });
      const res = await as(sys, technician).post(
        '/results',
        verify(item.itemId, [
          { nominal: '20', referenceValue: '20.000', readings: ['20.12', '20.13', '20.11'] },
          { nominal: '20', referenceValue: '20.000', readings: ['20.05', '20.05', '20.06'] },
        ]),
      );
      expect(res.status).toBe(201);
      expect(res.body.revision.points.map((p: Body) => [p.error, p.mpe, p.decision])).toEqual([
        ['0.120', '0.1006', 'fail'],
        ['0.05333333333333333333', expect.stringMatching(/^0\.10026666/), 'pass'],
      ]);
      expect(res.body.revision.overallOutcome).toBe('fail');
      ok(await as(sys, technician).post(`/results/${res.body.id}/submit`, { revision: 1 }), 'submit');
      ok(await as(sys, reviewer).post(`/results/${res.body.id}/approve`, { revision: 1 }), 'approve');
      const after = ok(await as(sys, reviewer).get(`/instruments/${dispenser.id}`), 'instrument');
      expect(after).toMatchObject({
        lastVerification: { date: MEASURED_ON, passed: false },
        lastService: { result: 'fail' },
      });
    });

    it('refuses readings fewer than the procedure asks for, naming the field', async () => {
      const dispenser = await createInstrument(sys, admin, owner.id, fuelType.id, { resolution: '0.01' });
      const item = await benchItem(sys, admin, {
        organizationId: owner.id,
        instrumentId: dispenser.id,
        service: 'verification_periodic',
        technician,
      });
      const res = await as(sys, technician).post(
        '/results',
        verify(item.itemId, [{ nominal: '20', referenceValue: '20.000', readings: ['20.05'] }]),
      );
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'result.too_few_readings', errors: [{ field: 'points[0].readings' }] });
    });
  });
});
