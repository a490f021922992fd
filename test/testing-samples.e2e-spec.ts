import { DataSource } from 'typeorm';
import { binary, hasTool, pdfText } from './support/certificates.js';
import { as, expectStatus, fields, type Body } from './support/http.js';
import { createCustomer, createTechnician, inDays, staffSession, type StaffSession } from './support/factories.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * Samples in requests over HTTP (issue 14, part B1): a business submits a gasoline RON 95 sample at
 * mức 3, reception accepts, schedules and receives it (label = sample code), the split sample's
 * chain of custody names each portion with its dates and persons; another business sees nothing of
 * it; an inspector's sample keeps its results from the owner until released.
 */
describe('test samples in requests (e2e)', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let reception: StaffSession;
  let analyst: StaffSession;
  let inspector: StaffSession;
  let owner: { id: string; key: string };
  let stranger: { id: string; key: string };

  const gasoline = (overrides: Body = {}): Body => ({
    productCode: 'gasoline',
    level: '3',
    grade: '95',
    lot: 'Lô 2611-03',
    quantity: 2,
    quantityUnit: 'L',
    packaging: '2 chai thủy tinh màu nâu 1 L',
    sampling: { by: 'customer' },
    storage: '≤ 25 °C, tránh ánh sáng',
    ...overrides,
  });

  beforeAll(async () => {
    sys = await startTestSystem({ seedCatalogue: true });
    admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
    inspector = await staffSession(sys, ['inspector']);
    analyst = await createTechnician(sys, admin, [{ instrumentTypeId: null, service: 'testing' }]);
    owner = await createCustomer(sys);
    stranger = await createCustomer(sys);
    await expectStatus(
      as(sys, owner).post(`/organizations/${owner.id}/webhooks`, {
        url: 'http://127.0.0.1:9/hooks',
        events: ['item.status_changed'],
      }),
      201,
    );
  });
  afterAll(async () => sys?.close());

  /** Submitted by the business, accepted, scheduled and received by reception with this label. */
  async function receivedSample(label: string, sample: Body = gasoline()): Promise<{ request: Body; itemId: string }> {
    const submitted = await expectStatus<Body>(as(sys, owner).post('/testing/samples', { samples: [sample] }), 201);
    const request = submitted.request;
    const itemId = submitted.samples[0].itemId as string;
    await expectStatus(as(sys, reception).post(`/requests/${request.id}/accept`), 200);
    await expectStatus(
      as(sys, reception).post(`/requests/${request.id}/items/schedule`, {
        items: [{ itemId, technicianId: analyst.userId, date: inDays(0) }],
      }),
      200,
    );
    await expectStatus(
      as(sys, reception).post(`/requests/${request.id}/items/receive`, {
        items: [{ itemId, labelId: label, condition: 'Nguyên niêm phong, không rò rỉ' }],
      }),
      200,
    );
    return { request, itemId };
  }

  it('a business submits a gasoline RON 95 sample at mức 3; reception accepts, schedules and receives it', async () => {
    const submitted = await expectStatus<Body>(
      as(sys, owner).post('/testing/samples', { notes: 'Kiểm tra chất lượng định kỳ', samples: [gasoline()] }),
      201,
    );
    expect(submitted.request).toMatchObject({
      number: expect.stringMatching(/^YC-\d{4}-\d{6}$/),
      organization: { id: owner.id },
      status: 'submitted',
      place: 'lab',
      itemCount: 1,
    });
    const sample = submitted.samples[0];
    expect(sample).toMatchObject({
      ordinal: 0,
      code: null,
      status: 'submitted',
      product: { code: 'gasoline' },
      level: '3',
      grade: '95',
      quantity: 2,
      quantityUnit: 'L',
      sampling: { by: 'customer', samplerName: null, sealNumbers: [] },
      decisionRule: 'simple',
      inspection: null,
      results: { ownerMayRead: true, releasedAt: null },
    });
    const request = await expectStatus<Body>(as(sys, owner).get(`/requests/${submitted.request.id}`), 200);
    expect(request.items[0]).toMatchObject({
      id: sample.itemId,
      subjectKind: 'sample',
      instrument: null,
      service: 'testing',
    });

    const accepted = await expectStatus<Body>(as(sys, reception).post(`/requests/${request.id}/accept`), 200);
    expect(accepted).toMatchObject({ accepted: 1, rejected: [] });
    await expectStatus(
      as(sys, reception).post(`/requests/${request.id}/items/schedule`, {
        items: [{ itemId: sample.itemId, technicianId: analyst.userId, date: inDays(0) }],
      }),
      200,
    );
    const label = `TN-${Date.now().toString(36).toUpperCase()}`;
    await expectStatus(
      as(sys, reception).post(`/requests/${request.id}/items/receive`, {
        items: [{ itemId: sample.itemId, labelId: label, condition: 'Nguyên niêm phong' }],
      }),
      200,
    );
    const received = await expectStatus<Body>(as(sys, owner).get(`/testing/samples/${sample.itemId}`), 200);
    expect(received).toMatchObject({
      code: label,
      status: 'received',
      conditionOnReceipt: 'Nguyên niêm phong',
      receivedAt: expect.any(String),
    });
    const page = await expectStatus<Body>(as(sys, owner).get(`/testing/requests/${request.id}/samples`), 200);
    expect(page.items.map((s: Body) => s.code)).toEqual([label]);

    // The owner's webhook: the item's events, signed as every delivery, say it is a sample and give its code.
    const deliveries = (await sys.app.get(DataSource).query(
      `SELECT payload->'data' AS data FROM webhook_delivery
        WHERE event_type = 'item.status_changed' AND payload->'data'->>'itemId' = $1
        ORDER BY (payload->'data'->>'changedAt')::timestamptz`,
      [sample.itemId],
    )) as { data: Body }[];
    expect(deliveries.map((d) => [d.data.to, d.data.subjectKind, d.data.instrumentId])).toEqual([
      ['accepted', 'sample', null],
      ['scheduled', 'sample', null],
      ['received', 'sample', null],
    ]);
    expect(deliveries[2]!.data.labelId).toBe(label);

    // The label sheet (requests' GET /requests/:id/labels.pdf) prints the sample: code, product, grade, level, lot.
    const res = await as(sys, reception)
      .get(`/requests/${request.id}/labels.pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (!hasTool('pdftotext')) return console.warn('pdftotext is not installed: skipping the label text check');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain(label);
    expect(text).toContain('Xăng không chì 95');
    expect(text).toContain('Mức 3 · Lô 2611-03');
    expect(text).toContain(request.number);
  });

  it('answers field-level 400s and 422s naming the sample', async () => {
    const bad = await expectStatus<Body>(
      as(sys, owner).post('/testing/samples', { samples: [gasoline({ quantity: 0, quantityUnit: '' })] }),
      400,
    );
    expect(fields(bad)).toEqual(expect.arrayContaining(['samples[0].quantity', 'samples[0].quantityUnit']));
    const refused = await expectStatus<Body>(
      as(sys, owner).post('/testing/samples', {
        samples: [
          gasoline({ productCode: 'kerosene' }),
          gasoline({ level: '9', grade: '98' }),
          gasoline({ sampling: { by: 'inspector', samplerName: 'X' }, inspection: { reference: 'BB 1' } }),
        ],
      }),
      422,
    );
    expect(refused.code).toBe('test_sample.invalid');
    expect(fields(refused)).toEqual([
      'samples[0].productCode',
      'samples[1].grade',
      'samples[1].level',
      'samples[2].sampling.by',
    ]);
    const unknownId = await expectStatus<Body>(
      as(sys, reception).post('/testing/samples', {
        organizationId: owner.id,
        samples: [gasoline({ productCode: undefined, productId: '00000000-0000-4000-8000-000000000000' })],
      }),
      422,
    );
    expect(fields(unknownId)).toEqual(['samples[0].productId']);
    const noOwner = await expectStatus<Body>(
      as(sys, reception).post('/testing/samples', { samples: [gasoline()] }),
      400,
    );
    expect(fields(noOwner)).toEqual(['organizationId']);
  });

  it("a split sample's chain of custody shows each portion with its dates and persons", async () => {
    const label = `TN-S-${Date.now().toString(36).toUpperCase()}`;
    const { itemId } = await receivedSample(label, gasoline({ retainUntil: inDays(30) }));
    const before = new Date(Date.now() - 60_000).toISOString();
    const split = await expectStatus<Body>(
      as(sys, reception).post(`/testing/samples/${itemId}/custody`, {
        kind: 'split',
        portions: [
          { quantity: 1, quantityUnit: 'L', purpose: 'thử nghiệm' },
          { quantity: 1, quantityUnit: 'L', purpose: 'lưu mẫu' },
        ],
        handledBy: 'Trần Thị Bình',
      }),
      201,
    );
    expect(split.state).toBe('split');
    expect(split.portions.map((p: Body) => [p.code, p.state])).toEqual([
      [`${label}-A`, 'held'],
      [`${label}-B`, 'held'],
    ]);
    const [a, b] = split.portions as Body[];
    // The whole sample takes no step once split; the dating rule holds per portion.
    const whole = await expectStatus<Body>(
      as(sys, reception).post(`/testing/samples/${itemId}/custody`, { kind: 'disposed' }),
      409,
    );
    expect(whole).toMatchObject({ code: 'custody.step_not_allowed', from: 'split', allowed: [] });
    await expectStatus(
      as(sys, analyst).post(`/testing/samples/${itemId}/custody`, {
        kind: 'stored',
        portionId: b.id,
        occurredAt: before,
      }),
      422,
    );
    await expectStatus(
      as(sys, analyst).post(`/testing/samples/${itemId}/custody`, {
        kind: 'subcontracted',
        portionId: a.id,
        subcontractor: 'Trung tâm Kỹ thuật 3 (Quatest 3)',
        handledBy: 'Bưu điện tỉnh',
      }),
      201,
    );
    await expectStatus(
      as(sys, reception).post(`/testing/samples/${itemId}/custody`, {
        kind: 'stored',
        portionId: b.id,
        location: 'Tủ lưu mẫu số 2',
      }),
      201,
    );
    const early = await expectStatus<Body>(
      as(sys, reception).post(`/testing/samples/${itemId}/custody`, { kind: 'disposed', portionId: b.id }),
      422,
    );
    expect(early.code).toBe('custody.retention_not_over');
    await expectStatus(
      as(sys, admin).post(`/testing/samples/${itemId}/custody`, {
        kind: 'returned_from_subcontractor',
        portionId: a.id,
      }),
      201,
    );
    // The business reads its own sample's chain.
    const chain = await expectStatus<Body>(as(sys, owner).get(`/testing/samples/${itemId}/custody`), 200);
    expect(chain.events.map((e: Body) => [e.kind, e.portionCode, e.actor.name])).toEqual([
      ['received', null, `Test ${reception.username}`],
      ['split', null, `Test ${reception.username}`],
      ['subcontracted', `${label}-A`, `Test ${analyst.username}`],
      ['stored', `${label}-B`, `Test ${reception.username}`],
      ['returned_from_subcontractor', `${label}-A`, `Test ${admin.username}`],
    ]);
    for (const e of chain.events as Body[]) expect(Date.parse(e.occurredAt)).not.toBeNaN();
    const portion = (code: string): Body => chain.portions.find((p: Body) => p.code === code);
    expect(portion(`${label}-A`)).toMatchObject({ state: 'held', purpose: 'thử nghiệm', quantity: 1 });
    expect(portion(`${label}-A`).events.map((e: Body) => [e.kind, e.handledBy, e.subcontractor])).toEqual([
      ['split', 'Trần Thị Bình', null],
      ['subcontracted', 'Bưu điện tỉnh', 'Trung tâm Kỹ thuật 3 (Quatest 3)'],
      ['returned_from_subcontractor', null, null],
    ]);
    expect(portion(`${label}-B`).events.map((e: Body) => [e.kind, e.location])).toEqual([
      ['split', null],
      ['stored', 'Tủ lưu mẫu số 2'],
    ]);
    // Only staff record steps.
    await expectStatus(as(sys, owner).post(`/testing/samples/${itemId}/custody`, { kind: 'stored' }), 403);
  });

  it('has no chain before receipt (409), and a business cannot see another’s sample (404)', async () => {
    const submitted = await expectStatus<Body>(as(sys, owner).post('/testing/samples', { samples: [gasoline()] }), 201);
    const itemId = submitted.samples[0].itemId as string;
    const problem = await expectStatus<Body>(
      as(sys, reception).post(`/testing/samples/${itemId}/custody`, { kind: 'stored' }),
      409,
    );
    expect(problem.code).toBe('custody.not_received');
    await expectStatus(as(sys, stranger).get(`/testing/samples/${itemId}`), 404);
    await expectStatus(as(sys, stranger).get(`/testing/samples/${itemId}/custody`), 404);
    await expectStatus(as(sys, stranger).get(`/testing/requests/${submitted.request.id}/samples`), 404);
    await expectStatus(as(sys, stranger).get(`/requests/${submitted.request.id}`), 404);
    await expectStatus(as(sys, owner).get(`/testing/samples/${itemId}`), 200);
  });

  it("keeps an inspector's results from the owner until they are released", async () => {
    const submitted = await expectStatus<Body>(
      as(sys, reception).post('/testing/samples', {
        organizationId: owner.id,
        samples: [
          gasoline({
            sampling: {
              by: 'inspector',
              samplerName: 'Lê Văn Cường',
              place: 'Cửa hàng xăng dầu số 5, bể số 2',
              sampledAt: '2026-11-28T08:30:00+07:00',
              method: 'TCVN 6777:2007',
              sealNumbers: ['NP-001234', 'NP-001235'],
            },
            inspection: { reference: 'BB-LM 125/2026', authority: 'Chi cục TĐC' },
          }),
        ],
      }),
      201,
    );
    const itemId = submitted.samples[0].itemId as string;
    const seen = await expectStatus<Body>(as(sys, owner).get(`/testing/samples/${itemId}`), 200);
    expect(seen).toMatchObject({
      sampling: { by: 'inspector', samplerName: 'Lê Văn Cường', sealNumbers: ['NP-001234', 'NP-001235'] },
      inspection: { reference: 'BB-LM 125/2026', authority: 'Chi cục TĐC' },
      results: { ownerMayRead: false, releasedAt: null },
    });
    await expectStatus(as(sys, reception).post(`/testing/samples/${itemId}/release`), 403);
    await expectStatus(as(sys, owner).post(`/testing/samples/${itemId}/release`), 403);
    const released = await expectStatus<Body>(as(sys, inspector).post(`/testing/samples/${itemId}/release`), 200);
    expect(released.results).toMatchObject({ ownerMayRead: true, releasedAt: expect.any(String) });
    expect((await expectStatus<Body>(as(sys, owner).get(`/testing/samples/${itemId}`), 200)).results.ownerMayRead).toBe(
      true,
    );
    expect((await expectStatus<Body>(as(sys, admin).post(`/testing/samples/${itemId}/release`), 409)).code).toBe(
      'test_sample.already_released',
    );
    const own = await expectStatus<Body>(as(sys, owner).post('/testing/samples', { samples: [gasoline()] }), 201);
    expect(
      (await expectStatus<Body>(as(sys, admin).post(`/testing/samples/${own.samples[0].itemId}/release`), 409)).code,
    ).toBe('test_sample.not_inspection');
    const audit = await expectStatus<Body>(as(sys, admin).get(`/audit?entity=test_sample&id=${itemId}`), 200);
    expect(audit.items.map((e: Body) => e.action)).toEqual(expect.arrayContaining(['submit', 'release_results']));
  });
});
