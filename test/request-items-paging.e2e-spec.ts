// GET /requests/:id carries item counts and the first page of items; GET /requests/:id/items pages
// the rest by ordinal with the core cursor codec; each item links to its results and certificates;
// the history names a business by its organization's name.
import { startTestSystem, type TestSystem } from './support/system.js';
import { allPages, as, expectStatus } from './support/http.js';
import {
  createCustomer,
  createInstrumentType,
  instrumentTypeBody,
  requestInstrumentBody,
  staffSession,
} from './support/factories.js';

interface Item {
  id: string;
  ordinal: number;
  links: { results: string; certificates: string };
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

describe('request items, a page at a time', () => {
  let sys: TestSystem;
  let customer: { id: string; key: string };
  let requestId: string;
  const ITEMS = 120;

  beforeAll(async () => {
    sys = await startTestSystem();
    const admin = await staffSession(sys, ['admin']);
    const typeId = (await createInstrumentType(sys, admin, instrumentTypeBody())).id;
    customer = await createCustomer(sys);
    const items = Array.from({ length: ITEMS }, () => ({
      instrument: requestInstrumentBody(typeId),
      service: 'verification_periodic',
    }));
    requestId = (await expectStatus<{ id: string }>(as(sys, customer).post('/requests', { place: 'lab', items }), 201))
      .id;
  });
  afterAll(async () => sys?.close());

  it('shows counts and the first 50 items, then pages the rest in ordinal order', async () => {
    const view = await expectStatus<{
      itemCount: number;
      itemStatusCounts: Record<string, number>;
      items: Item[];
      itemsNextCursor: string | null;
    }>(as(sys, customer).get(`/requests/${requestId}`), 200);
    expect(view.itemCount).toBe(ITEMS);
    expect(view.itemStatusCounts).toEqual({ submitted: ITEMS });
    expect(view.items.map((i) => i.ordinal)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(view.itemsNextCursor).toEqual(expect.any(String));
    const rest = await allPages(async (cursor) =>
      expectStatus<Page>(
        as(sys, customer).get(
          `/requests/${requestId}/items?limit=30&cursor=${encodeURIComponent(cursor ?? view.itemsNextCursor!)}`,
        ),
        200,
      ),
    );
    expect([...view.items, ...rest].map((i) => i.ordinal)).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
    const all = await allPages((cursor) =>
      expectStatus<Page>(
        as(sys, customer).get(
          `/requests/${requestId}/items?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        ),
        200,
      ),
    );
    expect(all).toHaveLength(ITEMS);
  });

  it('links each item to its results and certificates', async () => {
    const page = await expectStatus<Page>(as(sys, customer).get(`/requests/${requestId}/items?limit=1`), 200);
    const item = page.items[0]!;
    expect(item.links).toEqual({
      results: `/results?requestItemId=${item.id}`,
      certificates: `/certificates?requestItemId=${item.id}`,
    });
    // The links answer (empty lists for now) for those who may read them.
    const staff = await staffSession(sys, ['reviewer']);
    await expectStatus(as(sys, staff).get(item.links.results), 200);
    await expectStatus(as(sys, customer).get(item.links.certificates), 200);
  });

  it('names a business actor in the history by its organization, not by an id', async () => {
    const org = await expectStatus<{ name: string }>(as(sys, customer).get(`/organizations/${customer.id}`), 200);
    const history = await expectStatus<{ items: { to: string; actor: { kind: string; name: string } }[] }>(
      as(sys, customer).get(`/requests/${requestId}/history`),
      200,
    );
    expect(history.items[0]).toMatchObject({ to: 'submitted', actor: { kind: 'business', name: org.name } });
    expect(history.items[0]!.actor.name).not.toContain(customer.id);
  });

  it("refuses a forged cursor and hides another organization's request", async () => {
    const forged = await expectStatus<{ errors: { field: string }[] }>(
      as(sys, customer).get(`/requests/${requestId}/items?cursor=${Buffer.from('["x"]').toString('base64url')}`),
      400,
    );
    expect(forged.errors[0]!.field).toBe('cursor');
    const other = await createCustomer(sys);
    await expectStatus(as(sys, other).get(`/requests/${requestId}/items`), 404);
  });
});
