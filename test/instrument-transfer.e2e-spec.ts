// Transfer of an instrument to another owner (a sale): staff only, audited, the ownership periods
// kept; from then on the new owner sees it and the old owner does not.
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, expectStatus, type Body } from './support/http.js';
import {
  createCustomer,
  createInstrumentType,
  instrumentTypeBody,
  requestInstrumentBody,
  staffSession,
  type StaffSession,
} from './support/factories.js';

describe('instrument transfer', () => {
  let sys: TestSystem;
  let reception: StaffSession;
  let seller: { id: string; key: string };
  let buyer: { id: string; key: string };
  let instrument: Body;

  beforeAll(async () => {
    sys = await startTestSystem();
    const admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
    const typeId = (await createInstrumentType(sys, admin, instrumentTypeBody())).id;
    seller = await createCustomer(sys, { name: 'Cửa hàng Xăng dầu Bán' });
    buyer = await createCustomer(sys, { name: 'Công ty Xăng dầu Mua' });
    instrument = await expectStatus<Body>(as(sys, seller).post('/instruments', requestInstrumentBody(typeId)), 201);
  });
  afterAll(async () => sys?.close());

  it('moves the instrument to the buyer: the seller loses it, the buyer sees it, the periods are kept', async () => {
    await expectStatus(as(sys, buyer).get(`/instruments/${instrument.id}`), 404);
    const reason = 'Bán theo hợp đồng số 12/2026';
    const periods = await expectStatus<Body[]>(
      as(sys, reception).post(`/instruments/${instrument.id}/transfer`, { newOwnerId: buyer.id, reason }),
      200,
    );
    expect(periods).toEqual([
      {
        owner: { id: seller.id, name: 'Cửa hàng Xăng dầu Bán' },
        since: instrument.createdAt,
        until: expect.any(String),
        reasonEnded: reason,
      },
      {
        owner: { id: buyer.id, name: 'Công ty Xăng dầu Mua' },
        since: periods[0].until,
        until: null,
        reasonEnded: null,
      },
    ]);
    await expectStatus(as(sys, seller).get(`/instruments/${instrument.id}`), 404);
    const mine = await expectStatus<{ items: { id: string }[] }>(as(sys, seller).get('/instruments'), 200);
    expect(mine.items.map((i) => i.id)).not.toContain(instrument.id);
    const bought = await expectStatus<Body>(as(sys, buyer).get(`/instruments/${instrument.id}`), 200);
    expect(bought.owner).toEqual({ id: buyer.id, name: 'Công ty Xăng dầu Mua' });
    expect(await expectStatus(as(sys, reception).get(`/instruments/${instrument.id}/ownership`), 200)).toEqual(periods);
    const [audit] = await sys.runtime.dataSource.query(
      `SELECT action, before, after, reason FROM audit_event WHERE entity = 'instrument' AND entity_id = $1 AND action = 'transfer'`,
      [instrument.id],
    );
    expect(audit).toMatchObject({ before: { ownerId: seller.id }, after: { ownerId: buyer.id }, reason });
  });

  it('is for reception and admin, to another active organization', async () => {
    const body = { newOwnerId: seller.id, reason: 'trả lại' };
    await expectStatus(as(sys, buyer).post(`/instruments/${instrument.id}/transfer`, body), 403);
    const same = await expectStatus<{ code: string }>(
      as(sys, reception).post(`/instruments/${instrument.id}/transfer`, { ...body, newOwnerId: buyer.id }),
      409,
    );
    expect(same.code).toBe('instrument.same_owner');
    const unknown = await expectStatus<{ code: string }>(
      as(sys, reception).post(`/instruments/${instrument.id}/transfer`, {
        ...body,
        newOwnerId: '00000000-0000-4000-8000-000000000000',
      }),
      422,
    );
    expect(unknown.code).toBe('instrument.bad_reference');
    await expectStatus(
      as(sys, reception).post(`/instruments/${instrument.id}/transfer`, { newOwnerId: seller.id }),
      400,
    );
    // The history is append-only for the application's role.
    await expect(sys.runtime.dataSource.query(`DELETE FROM instrument_transfer`)).rejects.toThrow(/permission denied/);
  });
});
