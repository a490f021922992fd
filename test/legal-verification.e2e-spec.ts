import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { todayInVietnam } from '#libs/registry';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, ok, type Body } from './support/http.js';
import {
  staffSession,
  createOrganization,
  authorise,
  createInstrument,
  createStandardWithCertificate,
  benchItem,
  type StaffSession,
} from './support/factories.js';

/**
 * Legal verification on the shipped catalogue: on a system started as `npm start` starts a new installation (the shipped
 * catalogue seeded: types, procedures, cycles, MPE rules with their sources and confidence), the
 * centre verifies one instrument of each type whose rule is VERIFIED, over HTTP, from request to
 * certificate, without editing the catalogue. A SECONDARY rule (pressure gauge) works once an admin
 * confirms it (and gives the type the cycle the seed lacks); a type that is not ready is refused at
 * contract review with a 422 naming what is missing; a failed fuel dispenser gets a notice.
 */
describe('legal verification on the shipped catalogue', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let technician: StaffSession;
  let reviewer: StaffSession;
  let ownerId: string;
  const types = new Map<string, Body>();
  const standards: Record<'mass' | 'volume' | 'pressure', string> = { mass: '', volume: '', pressure: '' };

  const hasTool = (tool: string): boolean => {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true, seedCatalogue: true });
    admin = await staffSession(sys, ['admin']);
    technician = await staffSession(sys, ['technician']);
    reviewer = await staffSession(sys, ['reviewer']);
    ownerId = (await createOrganization(sys)).id;
    const page = ok(await as(sys, admin).get('/instrument-types?limit=100'), 'catalogue');
    for (const t of page.items as Body[]) types.set(t.code as string, t);
    for (const t of types.values()) {
      const grants = (t.services as string[])
        .filter((s) => s !== 'testing')
        .map((service) => ({ instrumentTypeId: t.id as string, service, validFrom: '2024-01-01' }));
      await authorise(
        sys,
        admin,
        technician,
        grants.map((g) => ({ ...g, activity: 'perform' })),
      );
      await authorise(
        sys,
        admin,
        reviewer,
        grants.map((g) => ({ ...g, activity: 'approve' })),
      );
    }
    const today = todayInVietnam();
    const certificate = (unit: string, nominal: string) => ({
      calibrationDate: today,
      dueDate: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
      values: [{ nominal, value: nominal, unit, expandedUncertainty: '0.0001', coverageFactor: '2' }],
    });
    for (const [quantity, unit, nominal] of [
      ['mass', 'kg', '1'],
      ['volume', 'L', '20'],
      ['pressure', 'MPa', '1'],
    ] as const) {
      const { standard } = await createStandardWithCertificate(
        sys,
        admin,
        { name: `Chuẩn ${quantity}`, quantity, unit, rangeMin: '0', rangeMax: '100000' },
        certificate(unit, nominal),
      );
      standards[quantity] = standard.id as string;
    }
  });
  afterAll(async () => sys?.close());

  interface Point {
    nominal: string;
    unit: string;
    referenceValue: string;
    readings: string[];
    flowPoint?: string;
  }

  /** Request → contract review and acceptance → schedule → receipt → result → review → certificate. */
  async function verify(
    code: string,
    o: {
      service: string;
      instrument: Record<string, unknown>;
      points: Point[];
      u: string;
      procedureCode?: string;
      quantity: keyof typeof standards;
      /** A worksheet template: its budget rows and decision rule apply. */
      templateId?: string;
    },
  ): Promise<{ certificate: Body; result: Body }> {
    const type = types.get(code)!;
    const ins = await createInstrument(sys, admin, ownerId, type.id as string, o.instrument);
    const item = await benchItem(sys, admin, {
      organizationId: ownerId,
      instrumentId: ins.id as string,
      service: o.service,
      technician,
    });
    const result = ok(
      await as(sys, technician).post('/results', {
        requestItemId: item.itemId,
        ...(o.procedureCode ? { procedureCode: o.procedureCode } : {}),
        measuredOn: todayInVietnam(),
        place: 'Phòng thí nghiệm khối lượng – dung tích',
        environment: { temperature: '25.0', humidity: '60' },
        standardIds: [standards[o.quantity]],
        ...(o.templateId ? { templateId: o.templateId } : {}),
        points: o.points.map((p) => ({
          ...p,
          ...(o.templateId
            ? {}
            : {
                budget: [
                  { kind: 'type_a_readings', name: 'repeatability' },
                  {
                    kind: 'type_b_expanded',
                    name: 'reference standard',
                    expandedUncertainty: o.u,
                    coverageFactor: '2',
                  },
                ],
              }),
        })),
      }),
      `record ${code}`,
    );
    ok(await as(sys, technician).post(`/results/${result.id}/submit`, { revision: 1 }), 'submit');
    ok(await as(sys, reviewer).post(`/results/${result.id}/approve`, { revision: 1 }), 'approve');
    const revisionId = result.revision.id as string;
    for (let i = 0; i < 120; i++) {
      const state = ok(await as(sys, admin).get(`/certificate-issues/${revisionId}`), 'issue state');
      if (state.status === 'issued') return { certificate: state.certificate as Body, result };
      if (state.status === 'failed') throw new Error(`issue failed: ${JSON.stringify(state.job)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no certificate for ${code}`);
  }

  async function pdfOf(certificateId: string): Promise<Buffer> {
    const res = await as(sys, admin)
      .get(`/certificates/${certificateId}/pdf`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    return res.body as Buffer;
  }

  it('shows every seeded rule with its source, confidence and confirmation, and which types are ready', async () => {
    const fuel = ok(await as(sys, admin).get(`/instrument-types/${types.get('FUEL_DISPENSER')!.id}`), 'fuel');
    expect(fuel.mpeRules).toEqual([
      expect.objectContaining({
        confidence: 'VERIFIED',
        usable: true,
        confirmation: null,
        sourceDocument: expect.stringContaining('baria-vungtau') as string,
        rule: { kind: 'composite', quantities: { volume: { kind: 'percent_of_reading', p: 0.3 } } },
      }),
    ]);
    expect(fuel.readyForVerification).toBe(true);
    const gauge = types.get('PRESSURE_GAUGE_SPRING')!;
    expect(gauge.readyForVerification).toBe(false);
    expect(gauge.mpeRules[0]).toMatchObject({ confidence: 'SECONDARY', usable: false, confirmation: null });
    const periodic = (gauge.readiness as Body[]).find((r) => r.service === 'verification_periodic');
    expect(periodic.missing).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/no verification cycle/),
        expect.stringMatching(/SECONDARY and has not been confirmed/),
      ]),
    );
    // A scale's periodic rule rests on an unread Vietnamese text: shown, not used as law.
    const truck = types.get('SCALE_TRUCK')!;
    expect((truck.readiness as Body[]).find((r) => r.service === 'verification_initial')).toMatchObject({
      ready: true,
    });
    expect((truck.readiness as Body[]).find((r) => r.service === 'verification_periodic')).toMatchObject({
      ready: false,
      missing: [expect.stringMatching(/UNCERTAIN and has not been confirmed/)],
      // The same as a code with its value, for a screen to say in its own language.
      reasons: [
        { code: 'mpe_rule_unconfirmed', kind: 'missing', confidence: 'UNCERTAIN' },
        { code: 'cycle_uncertain', kind: 'warning', cycleMonths: 12 },
        { code: 'type_uncertain', kind: 'warning' },
      ],
    });
  });

  const mass = (nominal: string, readings: string[], unit: string): Point => ({
    nominal,
    unit,
    referenceValue: nominal,
    readings,
  });

  it.each([
    {
      code: 'BALANCE_ANALYTICAL',
      instrument: {
        accuracyClass: 'I',
        rangeMin: '0',
        rangeMax: '220',
        rangeUnit: 'g',
        resolution: '0.0001',
        scaleInterval: '0.001',
      },
      points: [mass('100', ['100.0003', '100.0004', '100.0003'], 'g')], // 100 000 e: MPE 1 e = 0.001 g
      mpe: '0.001',
      u: '0.00005',
    },
    {
      code: 'BALANCE_TECHNICAL',
      instrument: {
        accuracyClass: 'II',
        rangeMin: '0',
        rangeMax: '2200',
        rangeUnit: 'g',
        resolution: '0.01',
        scaleInterval: '0.1',
      },
      points: [mass('1000', ['1000.03', '1000.04', '1000.03'], 'g')], // 10 000 e: MPE 1 e = 0.1 g
      mpe: '0.1',
      u: '0.01',
    },
    {
      code: 'SCALE_SPRING_DIAL',
      procedureCode: 'ĐLVN 30',
      instrument: {
        accuracyClass: 'IIII',
        rangeMin: '0',
        rangeMax: '30',
        rangeUnit: 'kg',
        resolution: '0.1',
        scaleInterval: '0.1',
      },
      points: [mass('20', ['20.0', '20.1', '20.0'], 'kg')], // 200 e: MPE 1 e = 0.1 kg
      mpe: '0.1',
      u: '0.01',
    },
    {
      code: 'SCALE_TRUCK',
      instrument: {
        accuracyClass: 'III',
        rangeMin: '0',
        rangeMax: '60',
        rangeUnit: 't',
        resolution: '20',
        resolutionUnit: 'kg',
        scaleInterval: '20',
      },
      points: [mass('40000', ['40000', '40020', '40020'], 'kg')], // 2000 e (upper edge): MPE 1 e = 20 kg
      mpe: '20',
      u: '4',
    },
  ])('verifies a $code initially with no catalogue edit (MPE $mpe at the load)', async (c) => {
    const { certificate, result } = await verify(c.code, {
      service: 'verification_initial',
      instrument: c.instrument,
      points: c.points,
      u: c.u,
      quantity: 'mass',
      ...(c.procedureCode ? { procedureCode: c.procedureCode } : {}),
    });
    expect(result.revision.points[0]).toMatchObject({ mpe: c.mpe, decision: 'pass' });
    expect(result.revision.mpeBasis).toMatchObject({ confidence: 'VERIFIED', usable: true });
    expect(certificate).toMatchObject({ kind: 'verification', outcome: 'pass', stamp: expect.anything() });
  });

  it.each(['WATER_METER_MECHANICAL', 'WATER_METER_ELECTRONIC'])(
    'verifies a %s by flow zones, readings in L on a type in m³',
    async (code) => {
      const { certificate, result } = await verify(code, {
        service: 'verification_initial',
        instrument: {
          accuracyClass: '2',
          rangeMin: '0.016',
          rangeMax: '2.5',
          rangeUnit: 'm³/h',
          resolution: '0.05',
          resolutionUnit: 'L',
        },
        points: [
          { nominal: '10', unit: 'L', referenceValue: '10.00', readings: ['10.30', '10.30'], flowPoint: 'Q1' }, // +3 %, MPE 5 %
          { nominal: '50', unit: 'L', referenceValue: '50.00', readings: ['50.75', '50.75'], flowPoint: 'Q2' }, // +1.5 %, MPE 2 %
          { nominal: '100', unit: 'L', referenceValue: '100.00', readings: ['100.80', '100.80'], flowPoint: 'Q3' },
        ],
        u: '0.02',
        quantity: 'volume',
      });
      expect(result.revision.points.map((p: Body) => [p.conditions.flowPoint, p.mpe, p.decision])).toEqual([
        ['Q1', '0.515', 'pass'],
        ['Q2', '1.015', 'pass'],
        ['Q3', '2.016', 'pass'],
      ]);
      expect(certificate).toMatchObject({ kind: 'verification', outcome: 'pass' });
    },
  );

  it('verifies a fuel dispenser periodically; a failing one gets a notice, no certificate and no stamp', async () => {
    const dispenser = { accuracyClass: '0.5', rangeMin: '5', rangeMax: '60', rangeUnit: 'L/min', resolution: '0.01' };
    const passed = await verify('FUEL_DISPENSER', {
      service: 'verification_periodic',
      instrument: dispenser,
      points: [{ nominal: '20', unit: 'L', referenceValue: '20.000', readings: ['20.04', '20.06', '20.05'] }],
      u: '0.004',
      quantity: 'volume',
    });
    expect(passed.result.revision.points[0]).toMatchObject({ mpe: '0.06015', decision: 'pass' });
    expect(passed.certificate).toMatchObject({ kind: 'verification', outcome: 'pass' });

    const failed = await verify('FUEL_DISPENSER', {
      service: 'verification_periodic',
      instrument: dispenser,
      points: [{ nominal: '20', unit: 'L', referenceValue: '20.000', readings: ['20.12', '20.13', '20.11'] }],
      u: '0.004',
      quantity: 'volume',
    });
    expect(failed.certificate).toMatchObject({ kind: 'verification_failure', outcome: 'fail', stamp: null });
    expect(failed.certificate.number).toMatch(/^TBKĐ-\d{4}-\d{6}$/);
    const lookup = ok(
      await sys.http().get(`/public/certificates/${encodeURIComponent(failed.certificate.number as string)}`),
      'public lookup',
    );
    expect(lookup).toMatchObject({ status: 'not_passed' });
    if (hasTool('pdfsig')) {
      const dir = mkdtempSync(join(tmpdir(), 'notice-'));
      try {
        const file = join(dir, 'notice.pdf');
        writeFileSync(file, await pdfOf(failed.certificate.id as string));
        expect(execFileSync('pdfsig', [file]).toString()).toContain('Signature is Valid.');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('never gives "conditional" for a verification under a guarded rule: the guard band is a fail', async () => {
    const fuel = types.get('FUEL_DISPENSER')!;
    const template = ok(
      await as(sys, admin).post('/calibration-templates', {
        instrumentTypeId: fuel.id,
        name: 'Cột đo xăng dầu — kiểm định định kỳ, chấp nhận có dải bảo vệ',
        services: ['verification_periodic'],
        procedureCode: 'ĐLVN 10',
        unit: 'L',
        points: [{ nominal: '20', readings: 3 }],
        components: [
          { kind: 'type_a_readings', name: 'repeatability' },
          { kind: 'reference_standard', name: 'proving can' },
        ],
        standardIds: [standards.volume],
        decisionRule: { kind: 'guarded' },
      }),
      'guarded template',
    );
    // Error 0.06 L within the MPE (0.3 % of 20.06 = 0.06018 L) but inside the guard band (U ≈ 0.026 L).
    const { certificate, result } = await verify('FUEL_DISPENSER', {
      service: 'verification_periodic',
      instrument: { accuracyClass: '0.5', rangeMin: '5', rangeMax: '60', rangeUnit: 'L/min', resolution: '0.01' },
      points: [{ nominal: '20', unit: 'L', referenceValue: '20.000', readings: ['20.05', '20.07', '20.06'] }],
      u: '0',
      quantity: 'volume',
      templateId: template.id as string,
    });
    expect(result.revision.decisionRule).toMatchObject({ kind: 'guarded', source: 'procedure' });
    expect(result.revision.points[0]).toMatchObject({ error: '0.060', mpe: '0.06018', decision: 'fail' });
    expect(result.revision.overallOutcome).toBe('fail');
    expect(certificate).toMatchObject({ kind: 'verification_failure', outcome: 'fail', stamp: null });
  });

  it('refuses a type that is not ready at contract review, naming what is missing', async () => {
    const platform = types.get('SCALE_PLATFORM')!;
    const ins = await createInstrument(sys, admin, ownerId, platform.id as string, {
      accuracyClass: 'III',
      rangeMin: '0',
      rangeMax: '300',
      rangeUnit: 'kg',
      resolution: '0.1',
      scaleInterval: '0.1',
    });
    const request = ok(
      await as(sys, admin).post('/requests', {
        organizationId: ownerId,
        place: 'lab',
        items: [{ instrumentId: ins.id, service: 'verification_initial' }],
      }),
      'submit',
    );
    for (const res of [
      await as(sys, admin).get(`/requests/${request.id}/contract-review`),
      await as(sys, admin).post(`/requests/${request.id}/accept`, {}),
    ]) {
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'request.items_not_ready',
        // One error per rule broken, each with its rule and values for a client's own wording.
        errors: [
          {
            field: 'items[0]',
            message: expect.stringMatching(/^item 1 \(verification_initial\): no procedure/) as string,
            constraint: 'readiness.no_procedure',
            values: { service: 'verification_initial' },
          },
          {
            field: 'items[0]',
            message: expect.stringMatching(/no verification cycle is in force on \d{4}-\d{2}-\d{2}$/) as string,
            constraint: 'readiness.no_cycle',
            values: { service: 'verification_initial', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
          },
          ...(res.body.errors.slice(2) as unknown[]),
        ],
      });
    }
  });

  it('verifies a pressure gauge once an admin confirms its SECONDARY rule (and gives it a cycle); kPa range, MPa readings', async () => {
    const gauge = types.get('PRESSURE_GAUGE_SPRING')!;
    const ruleId = gauge.mpeRules[0].id as string;
    // Nobody but an admin confirms; the confirmation names its document and is audited.
    expect(
      (await as(sys, technician).post(`/instrument-types/${gauge.id}/mpe-rules/${ruleId}/confirm`, { document: 'x' }))
        .status,
    ).toBe(403);
    expect((await as(sys, admin).post(`/instrument-types/${gauge.id}/mpe-rules/${ruleId}/confirm`, {})).status).toBe(
      400,
    );
    const confirmed = ok(
      await as(sys, admin).post(`/instrument-types/${gauge.id}/mpe-rules/${ruleId}/confirm`, {
        document: 'ĐLVN 08:2011, mục 5 (bản PDF tcvn.gov.vn)',
      }),
      'confirm',
    );
    expect(confirmed.mpeRules[0]).toMatchObject({
      usable: true,
      confirmation: { by: admin.userId, against: 'ĐLVN 08:2011, mục 5 (bản PDF tcvn.gov.vn)' },
    });
    expect(
      (await as(sys, admin).post(`/instrument-types/${gauge.id}/mpe-rules/${ruleId}/confirm`, { document: 'again' }))
        .status,
    ).toBe(409);
    ok(
      await as(sys, admin).post(`/instrument-types/${gauge.id}/cycles`, {
        cycleMonths: 12,
        effectiveFrom: '2013-11-15',
        legalBasis: 'Quyết định của Trung tâm (chu kỳ chưa tìm thấy trong TT 03/2024)',
      }),
      'cycle',
    );
    const audit = ok(await as(sys, admin).get(`/audit?entity=mpe_rule&id=${ruleId}`), 'audit');
    expect(audit.items).toEqual([expect.objectContaining({ action: 'confirm' })]);

    const { certificate, result } = await verify('PRESSURE_GAUGE_SPRING', {
      service: 'verification_periodic',
      instrument: { accuracyClass: '1.6', rangeMin: '0', rangeMax: '1600', rangeUnit: 'kPa', resolution: '10' },
      points: [
        { nominal: '0.8', unit: 'MPa', referenceValue: '0.8000', readings: ['0.81', '0.81', '0.81'] },
        { nominal: '1.6', unit: 'MPa', referenceValue: '1.6000', readings: ['1.59', '1.60', '1.59'] },
      ],
      u: '0.002',
      quantity: 'pressure',
    });
    // 1.6 % of 1600 kPa = 25.6 kPa = 0.0256 MPa — not "25.6" in the readings' unit.
    expect(result.revision.points.map((p: Body) => p.mpe)).toEqual(['0.0256', '0.0256']);
    if (hasTool('pdftotext')) {
      // Means to the resolution in the readings' unit (10 kPa = 0.01 MPa), the item's resolution with its unit.
      const text = execFileSync('pdftotext', ['-layout', '-', '-'], {
        input: await pdfOf(certificate.id as string),
      }).toString();
      expect(text).toContain('10 kPa');
      expect(text).toMatch(/\b0,81\b/);
      expect(text).not.toMatch(/\d\.\d+ MPa|0,8100000/);
    }
    expect(result.revision.mpeBasis).toMatchObject({
      confidence: 'SECONDARY',
      usable: true,
      confirmedAgainst: expect.stringContaining('ĐLVN 08'),
    });
    expect(certificate).toMatchObject({ kind: 'verification', outcome: 'pass' });
  });
});
