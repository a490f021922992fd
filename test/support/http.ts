import type { Test } from 'supertest';
import type { TestSystem } from './system.js';

/** A response body: its shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the API under test
export type Body = any;

/** Who calls: a staff member (bearer token: a StaffSession or `{ token }`), a business (`{ key }`), or nobody. */
export type Who = { token: string } | { key: string } | null;

/** The API as someone calls it: every request carries their Authorization or X-Api-Key header. */
export interface Client {
  get(path: string): Test;
  post(path: string, body?: string | object): Test;
  put(path: string, body?: string | object): Test;
  patch(path: string, body?: string | object): Test;
  delete(path: string): Test;
}

function header(who: Who): [string, string] | undefined {
  if (who === null) return undefined;
  return 'token' in who ? ['Authorization', `Bearer ${who.token}`] : ['X-Api-Key', who.key];
}

/** The one HTTP helper of the e2e specs: `await as(sys, admin).post('/organizations', body)`. */
export function as(sys: TestSystem, who: Who): Client {
  const h = header(who);
  const start = (t: Test): Test => (h ? t.set(...h) : t);
  const withBody = (t: Test, body?: string | object): Test => (body === undefined ? t : t.send(body));
  return {
    get: (path) => start(sys.http().get(path)),
    post: (path, body) => withBody(start(sys.http().post(path)), body),
    put: (path, body) => withBody(start(sys.http().put(path)), body),
    patch: (path, body) => withBody(start(sys.http().patch(path)), body),
    delete: (path) => start(sys.http().delete(path)),
  };
}

/** Fails loudly with the problem details when a setup call does not answer 2xx; returns the body. */
export function ok(res: { status: number; body: Body }, what: string): Body {
  if (res.status < 200 || res.status >= 300)
    throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Fails unless the call answers exactly `status`; returns the body. */
export async function expectStatus<T = Record<string, unknown>>(
  res: PromiseLike<{ status: number; body: unknown }> | { status: number; body: unknown },
  status: number,
): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

/** The field paths of a 400/422 problem-details body. */
export function fields(body: { errors?: { field: string }[] }): string[] {
  return [...new Set((body.errors ?? []).map((e) => e.field))].sort();
}

/** Follows nextCursor to the end; returns every item in order. */
export async function allPages<T>(
  fetch: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await fetch(cursor);
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error('more than 1000 pages');
}
