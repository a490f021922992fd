import type { StaffRole } from '#libs/core';
import type { Test } from 'supertest';
import { businessKey, staffSession } from './auth.js';
import type { TestSystem } from './system.js';

/** Someone calling the API with their own credentials: a staff member (bearer token) or a business (API key). */
export interface Caller {
  get(path: string): Test;
  post(path: string, body?: object): Test;
  patch(path: string, body: object): Test;
}

function caller(sys: TestSystem, header: [string, string]): Caller {
  return {
    get: (path) =>
      sys
        .http()
        .get(path)
        .set(...header),
    post: (path, body) =>
      sys
        .http()
        .post(path)
        .set(...header)
        .send(body),
    patch: (path, body) =>
      sys
        .http()
        .patch(path)
        .set(...header)
        .send(body),
  };
}

export async function staff(sys: TestSystem, ...roles: StaffRole[]): Promise<Caller> {
  const session = await staffSession(sys, roles);
  return caller(sys, ['Authorization', `Bearer ${session.token}`]);
}

export async function business(sys: TestSystem, organizationId: string): Promise<Caller> {
  return caller(sys, ['X-Api-Key', await businessKey(sys, organizationId)]);
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
