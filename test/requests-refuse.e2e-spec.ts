// Acceptance in part with reception's reasons: POST /requests/:id/accept {refuse: [{itemId, reason}]}
// rejects those items with the reason given (not reviewed), accepts the doable rest, in one
// transaction; a refused item that is not a submitted item of the request (or named twice) is a 422
// naming refuse[i].itemId, and nothing changes.
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, expectStatus, fields, ok, type Body } from './support/http.js';
import {
  createCustomer,
  createInstrumentType,
  createTechnician,
  createUsableStandard,
  instrumentTypeBody,
  requestInstrumentBody,
  staffSession,
  type StaffSession,
} from './support/factories.js';

describe('acceptance with items refused by reception', () => {
  let sys: TestSystem;
  let reception: StaffSession;
  let customer: { id: string; key: string };
  let typeId: string;
  const run = Date.now().toString(36);

  const submit = async (n: number): Promise<{ id: string; itemIds: string[] }> => {
    const request = ok(
      await as(sys, reception).post('/requests', {
        organizationId: customer.id,
        place: 'lab',
        items: Array.from({ length: n }, (_, i) => ({
          instrument: requestInstrumentBody(typeId, { serialNumber: `RF-${run}-${Math.random()}-${i}` }),
          service: 'verification_periodic',
        })),
      }),
      'submit',
    );
    return { id: request.id as string, itemIds: (request.items as { id: string }[]).map((i) => i.id) };
  };
  const items = async (id: string) =>
    (ok(await as(sys, reception).get(`/requests/${id}`), 'request').items as Body[]).map((i) => ({
      id: i.id as string,
      status: i.status as string,
      statusReason: i.statusReason as string | null,
    }));

  beforeAll(async () => {
    sys = await startTestSystem();
    const admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
    typeId = (await createInstrumentType(sys, admin, instrumentTypeBody({ measuredQuantity: 'volume', unit: 'L' })))
      .id as string;
    await createUsableStandard(sys, admin, { quantity: 'volume', unit: 'L' });
    await createTechnician(sys, admin, [{ instrumentTypeId: typeId, service: 'verification_periodic' }]);
    customer = await createCustomer(sys);
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('rejects the refused items with their reasons and accepts the rest, in one call', async () => {
    const { id, itemIds } = await submit(3);
    const res = await expectStatus<Body>(
      as(sys, reception).post(`/requests/${id}/accept`, {
        refuse: [{ itemId: itemIds[1], reason: 'Vỏ máy vỡ, không kiểm định được' }],
      }),
      200,
    );
    expect(res).toMatchObject({
      accepted: 2,
      rejected: [],
      refused: [{ itemId: itemIds[1], ordinal: 1, reason: 'Vỏ máy vỡ, không kiểm định được' }],
      request: { id, status: 'accepted' },
    });
    expect(await items(id)).toEqual([
      { id: itemIds[0], status: 'accepted', statusReason: null },
      { id: itemIds[1], status: 'rejected', statusReason: 'Vỏ máy vỡ, không kiểm định được' },
      { id: itemIds[2], status: 'accepted', statusReason: null },
    ]);
  });

  it('accepts as before without a body (no refusal): the whole request', async () => {
    const { id } = await submit(2);
    const res = await expectStatus<Body>(as(sys, reception).post(`/requests/${id}/accept`), 200);
    expect(res).toMatchObject({ accepted: 2, rejected: [], refused: [] });
  });

  it('refuses an item of another request, one named twice and a missing reason; nothing changes', async () => {
    const { id, itemIds } = await submit(2);
    const other = await submit(1);
    const bad = await expectStatus<Body>(
      as(sys, reception).post(`/requests/${id}/accept`, {
        refuse: [
          { itemId: other.itemIds[0], reason: 'x' },
          { itemId: itemIds[0], reason: 'hỏng' },
          { itemId: itemIds[0], reason: 'hỏng' },
        ],
      }),
      422,
    );
    expect(bad).toMatchObject({ code: 'request.refusal_invalid' });
    expect(fields(bad)).toEqual(['refuse[0].itemId', 'refuse[2].itemId']);
    expect((await items(id)).map((i) => i.status)).toEqual(['submitted', 'submitted']);
    const noReason = await expectStatus<Body>(
      as(sys, reception).post(`/requests/${id}/accept`, { refuse: [{ itemId: itemIds[0], reason: ' ' }] }),
      400,
    );
    expect(fields(noReason)).toEqual(['refuse[0].reason']);
  });

  it('ends the request rejected when reception refuses every item', async () => {
    const { id, itemIds } = await submit(2);
    const res = await expectStatus<Body>(
      as(sys, reception).post(`/requests/${id}/accept`, {
        refuse: itemIds.map((itemId) => ({ itemId, reason: 'Khách rút yêu cầu' })),
      }),
      200,
    );
    expect(res).toMatchObject({ accepted: 0, request: { status: 'rejected' } });
  });
});
