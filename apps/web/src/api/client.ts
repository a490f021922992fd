import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { readTokens, writeTokens, type Tokens } from './session';

/**
 * The typed client generated from the API's OpenAPI document (npm run api:types). The middleware
 * adds the bearer token, and on a 401 exchanges the refresh token once (shared by concurrent
 * calls) and retries; when that fails too the session ends (sign-in again).
 */
export const api = createClient<paths>({ baseUrl: window.location.origin });

let refreshing: Promise<Tokens | null> | null = null;

async function refresh(refreshToken: string): Promise<Tokens | null> {
  const res = await fetch('/auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  const tokens = res.ok ? ((await res.json()) as Tokens) : null;
  writeTokens(tokens);
  return tokens;
}

/** An unsent copy of each request (fetch consumes the body), for the retry after a refresh. */
const copies = new WeakMap<Request, Request>();

const auth: Middleware = {
  onRequest({ request }) {
    const tokens = readTokens();
    if (tokens && !request.headers.has('Authorization'))
      request.headers.set('Authorization', `Bearer ${tokens.accessToken}`);
    copies.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || new URL(request.url).pathname.startsWith('/auth/')) return response;
    const tokens = readTokens();
    if (!tokens) return response;
    refreshing ??= refresh(tokens.refreshToken).finally(() => (refreshing = null));
    const fresh = await refreshing;
    if (!fresh) return response;
    const again = copies.get(request) ?? request;
    again.headers.set('Authorization', `Bearer ${fresh.accessToken}`);
    return fetch(again);
  },
};
api.use(auth);

/** Ends the session on the server (the refresh token stops working) and here. */
export async function signOut(): Promise<void> {
  const tokens = readTokens();
  writeTokens(null);
  if (tokens) await api.POST('/auth/logout', { body: { refreshToken: tokens.refreshToken } });
}
