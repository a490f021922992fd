import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../../contract/schema.js';
import { checkResponse } from './response-contract.js';
import type { TestSystem } from './system.js';

/** A client generated from the committed contract (contract/schema.d.ts), as a business would make it. */
export type TypedClient = Client<paths>;

/** Who calls: a business with its API key, or a staff member with a bearer token. */
export type Credentials = { key: string } | { token: string };

/** The test system's API on a free loopback port, for clients that speak real HTTP. Once per system. */
export async function listen(sys: TestSystem): Promise<string> {
  await sys.app.listen(0, '127.0.0.1');
  return (await sys.app.getUrl()).replace('[::1]', '127.0.0.1');
}

/** Each response the typed client receives is checked against the contract too, like supertest's. */
const contractCheck: Middleware = {
  async onResponse({ request, response }) {
    const bytes = new Uint8Array(await response.clone().arrayBuffer());
    const contentType = response.headers.get('content-type') ?? undefined;
    const json = /[/+]json\b/.test(contentType ?? '') && bytes.length > 0;
    const body: unknown = json ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
    checkResponse(request.method, request.url, {
      status: response.status,
      contentType,
      hasBody: bytes.length > 0,
      body,
    });
  },
};

/** An openapi-fetch client on `baseUrl`, sending the caller's X-Api-Key or Authorization. */
export function typedClient(baseUrl: string, who: Credentials): TypedClient {
  const headers = 'key' in who ? { 'X-Api-Key': who.key } : { Authorization: `Bearer ${who.token}` };
  const client = createClient<paths>({ baseUrl, headers });
  client.use(contractCheck);
  return client;
}
