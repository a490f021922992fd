// Request numbers (YC-2026-000123): gapless per year under 20 concurrent submissions, with refused
// submissions in between taking no number; shown in the request's views and its webhooks.
import { vietnamYear } from '#libs/core';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, expectStatus } from './support/http.js';
import {
  createCustomer,
  createInstrumentType,
  instrumentTypeBody,
  requestInstrumentBody,
  staffSession,
} from './support/factories.js';

interface RequestView {
  id: string;
  number: string;
}

describe('request numbers', () => {
  let sys: TestSystem;
  let typeId: string;
  let customers: { id: string; key: string }[];

  beforeAll(async () => {
    sys = await startTestSystem();
    const admin = await staffSession(sys, ['admin']);
    typeId = (await createInstrumentType(sys, admin, instrumentTypeBody({ measuredQuantity: 'volume', unit: 'L' }))).id;
    customers = [await createCustomer(sys), await createCustomer(sys)];
  });
  afterAll(async () => {
    await sys?.close();
  });

  const submit = (customer: { key: string }, items: object[]) =>
    as(sys, customer).post('/requests', { place: 'lab', items });
  const good = () => [{ instrument: requestInstrumentBody(typeId), service: 'verification_periodic' }];
  // Refused after the customer and the items are read: it must not consume a number.
  const bad = () => [{ instrumentId: '00000000-0000-4000-8000-000000000000', service: 'verification_periodic' }];

  it('are gapless under 20 concurrent submissions, refused ones taking none', async () => {
    const year = vietnamYear(new Date());
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => submit(customers[i % 2]!, i % 5 === 4 ? bad() : good())),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([
      ...Array<number>(20).fill(201),
      ...Array<number>(5).fill(422),
    ]);
    const numbers = answers.filter((a) => a.status === 201).map((a) => (a.body as RequestView).number);
    expect(numbers.slice().sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `YC-${year}-${String(i + 1).padStart(6, '0')}`),
    );
    // What was committed carries exactly these numbers, and the series stands at the last of them.
    const rows = (await sys.runtime.dataSource.query(`SELECT number FROM service_request ORDER BY number`)) as {
      number: string;
    }[];
    expect(rows.map((r) => r.number)).toEqual(numbers.slice().sort());
    const [series] = (await sys.runtime.dataSource.query(`SELECT last FROM request_series WHERE year = $1`, [
      year,
    ])) as { last: number }[];
    expect(series?.last).toBe(20);
  });

  it('shows the number in the request view, the list and the request webhooks', async () => {
    await expectStatus(
      as(sys, customers[0]!)
        .post(`/organizations/${customers[0]!.id}/webhooks`)
        .send({ url: 'http://127.0.0.1:9/hook', events: ['request.status_changed'] }),
      201,
    );
    const created = await expectStatus<RequestView>(submit(customers[0]!, good()), 201);
    expect(created.number).toMatch(/^YC-\d{4}-000021$/);
    const read = await expectStatus<RequestView>(as(sys, customers[0]!).get(`/requests/${created.id}`), 200);
    expect(read.number).toBe(created.number);
    const list = await expectStatus<{ items: RequestView[] }>(as(sys, customers[0]!).get('/requests?limit=1'), 200);
    expect(list.items[0]).toMatchObject({ id: created.id, number: created.number });
    const [event] = (await sys.runtime.dataSource.query(
      `SELECT payload FROM webhook_delivery WHERE payload->'data'->>'requestId' = $1`,
      [created.id],
    )) as { payload: { data: { requestNumber: string } } }[];
    expect(event?.payload.data.requestNumber).toBe(created.number);
  });
});
