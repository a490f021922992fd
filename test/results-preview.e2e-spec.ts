import { certificateWorld, type CertificateWorld } from './support/certificates.js';
import { benchItem, createInstrument, createOrganization, itemStatus, today } from './support/factories.js';
import { as, expectStatus, fields, ok, type Body } from './support/http.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/** POST /results/preview: the worksheet's live preview computes as recording would, and records nothing. */
describe('result preview', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  let item: { requestId: string; itemId: string };

  const body = (readings: string[], temperature = '29.5') => ({
    requestItemId: item.itemId,
    templateId: w.template.id,
    measuredOn: today(),
    place: 'Phòng thí nghiệm Dung tích',
    environment: { temperature },
    points: [
      { nominal: '20', referenceValue: '20.000', readings },
      { nominal: '20', referenceValue: '19.998', readings: ['20.03', '20.02', '20.04'] },
    ],
  });

  beforeAll(async () => {
    sys = await startTestSystem();
    w = await certificateWorld(sys);
    const org = await createOrganization(sys);
    const dispenser = await createInstrument(sys, w.admin, org.id, w.fuelType.id, { resolution: '0.01' });
    item = await benchItem(sys, w.admin, {
      organizationId: org.id,
      instrumentId: dispenser.id,
      service: 'verification_periodic',
      technician: w.technician,
    });
  });
  afterAll(() => sys.close());

  it('gives error, U, k, MPE, U/MPE and the verdict per point, and the item verdict', async () => {
    const pass = ok(await as(sys, w.technician).post('/results/preview', body(['20.04', '20.06', '20.05'])), 'preview');
    expect(pass.overallOutcome).toBe('pass');
    expect(pass.points[0]).toMatchObject({ mpe: expect.any(String), decision: 'pass' });
    expect(Number(pass.points[0].error)).toBeCloseTo(0.05, 10);
    expect(pass.points[0].coverageFactor).toBeDefined();
    expect(pass.points[0].capabilityRatio).toBeDefined();
    const fail = ok(await as(sys, w.technician).post('/results/preview', body(['20.30', '20.06', '20.05'])), 'preview');
    expect(fail.overallOutcome).toBe('fail');
    expect(fail.points.map((p: { decision: string }) => p.decision)).toEqual(['fail', 'pass']);
  });

  it('writes nothing: no result, the item still received', async () => {
    const results = ok(await as(sys, w.technician).get(`/results?requestItemId=${item.itemId}`), 'results');
    expect(results.items).toEqual([]);
    expect(await itemStatus(sys, w.admin, item)).toBe('received');
  });

  it('answers the 422s of recording, naming the field', async () => {
    const res = await expectStatus<Body>(
      as(sys, w.technician).post('/results/preview', body(['20.04', '20.06', '20.05'], '55')),
      422,
    );
    expect(fields(res)).toContain('environment.temperature');
  });

  it('is the technician’s', async () => {
    await as(sys, w.reviewer)
      .post('/results/preview', body(['20.04', '20.06', '20.05']))
      .expect(403);
  });
});
