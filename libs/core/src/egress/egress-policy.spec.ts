import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEgressAllow } from './egress-allow.js';
import { EgressPolicy, EgressRefusedError, type EgressResolver, type ResolvedAddress } from './egress-policy.js';
import { egressPost } from './egress-request.js';

/** A resolver that knows only the names given; anything else has no address (as ENOTFOUND). */
function resolver(names: Record<string, string[]>): EgressResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    const found = names[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

async function refusal(
  policy: EgressPolicy,
  url: string,
): Promise<Pick<EgressRefusedError, 'reason' | 'addressClass'>> {
  try {
    await policy.vet(url);
  } catch (e) {
    if (e instanceof EgressRefusedError) return { reason: e.reason, addressClass: e.addressClass };
    throw e;
  }
  throw new Error(`${url} was not refused`);
}

describe('EgressPolicy.vet', () => {
  const names = resolver({
    'hooks.example.vn': ['203.162.4.190'],
    'metadata.google.internal': ['169.254.169.254'],
    'loopback.example.vn': ['127.0.0.1'],
    'mixed.example.vn': ['203.162.4.190', '10.0.0.7'],
    'v6loop.example.vn': ['::ffff:127.0.0.1'],
    'erp.lab.internal': ['10.20.1.5'],
    'nas.lab.internal': ['10.20.9.9'],
  });
  const development = new EgressPolicy({ production: false, resolve: names });
  const production = new EgressPolicy({ production: true, resolve: names });

  it.each([
    ['https://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['https://10.0.0.1/', 'private'],
    ['https://192.168.1.1/admin', 'private'],
    ['https://100.64.1.1/', 'carrierGradeNat'],
    ['https://224.0.0.251/', 'multicast'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://255.255.255.255/', 'broadcast'],
    ['https://[::ffff:127.0.0.1]/', 'ipv4Mapped'],
    ['https://[::127.0.0.1]/', 'ipv4Compatible'],
    ['https://[::1]/', 'loopback'],
    ['https://[fe80::1]/', 'linkLocal'],
    ['https://[fd00::1]/', 'uniqueLocal'],
    ['https://[64:ff9b::a9fe:a9fe]/', 'rfc6052'],
    // Decimal, hexadecimal and octal IPv4 forms: the URL parser reads them all as 127.0.0.1.
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['https://metadata.google.internal/', 'linkLocal'],
    ['https://loopback.example.vn/', 'loopback'],
    ['https://v6loop.example.vn/', 'ipv4Mapped'],
    ['https://mixed.example.vn/', 'private'],
  ])('refuses %s (%s)', async (url, addressClass) => {
    expect(await refusal(development, url)).toEqual({ reason: 'address_class', addressClass });
  });

  it('refuses a name with no address, and one whose resolution does not answer in time', async () => {
    expect(await refusal(development, 'https://nowhere.example.vn/')).toMatchObject({ reason: 'no_address' });
    const hanging = new EgressPolicy({
      production: false,
      resolve: () => new Promise<ResolvedAddress[]>(() => undefined),
      resolveTimeoutMs: 50,
    });
    expect(await refusal(hanging, 'https://slow.example.vn/')).toMatchObject({ reason: 'no_address' });
    const empty = new EgressPolicy({ production: false, resolve: async () => [] });
    expect(await refusal(empty, 'https://empty.example.vn/')).toMatchObject({ reason: 'no_address' });
  });

  it('takes https, and plain http only outside production; no other scheme', async () => {
    expect(await refusal(development, 'ftp://hooks.example.vn/')).toMatchObject({ reason: 'scheme' });
    expect(await refusal(development, 'file:///etc/passwd')).toMatchObject({ reason: 'scheme' });
    expect(await refusal(development, 'not a url')).toMatchObject({ reason: 'invalid_url' });
    expect(await refusal(production, 'http://hooks.example.vn/')).toMatchObject({ reason: 'https_required' });
    await expect(production.vet('https://hooks.example.vn/h')).resolves.toMatchObject({
      address: '203.162.4.190',
      family: 4,
    });
    await expect(development.vet('http://hooks.example.vn/h')).resolves.toMatchObject({ address: '203.162.4.190' });
    // In production even an allow-listed internal receiver is reached over https only.
    const allowed = new EgressPolicy({ production: true, resolve: names, allow: parseEgressAllow('erp.lab.internal') });
    expect(await refusal(allowed, 'http://erp.lab.internal/')).toMatchObject({ reason: 'https_required' });
  });

  it('lets EGRESS_ALLOW through: a host by its name, a range by the resolved address, nothing else', async () => {
    const byHost = new EgressPolicy({ production: false, resolve: names, allow: parseEgressAllow('erp.lab.internal') });
    await expect(byHost.vet('https://erp.lab.internal/hook')).resolves.toMatchObject({ address: '10.20.1.5' });
    expect(await refusal(byHost, 'https://nas.lab.internal/')).toMatchObject({ addressClass: 'private' });
    expect(await refusal(byHost, 'https://10.20.1.5/')).toMatchObject({ addressClass: 'private' });

    const byRange = new EgressPolicy({ production: false, resolve: names, allow: parseEgressAllow(' 10.20.0.0/16 ') });
    await expect(byRange.vet('https://nas.lab.internal/')).resolves.toMatchObject({ address: '10.20.9.9' });
    await expect(byRange.vet('https://10.20.1.5/')).resolves.toMatchObject({ address: '10.20.1.5' });
    expect(await refusal(byRange, 'https://10.21.0.1/')).toMatchObject({ addressClass: 'private' });
    expect(await refusal(byRange, 'https://metadata.google.internal/')).toMatchObject({ addressClass: 'linkLocal' });

    // An IP literal in the list is a host: it matches that URL host, not names that resolve to it.
    const literal = new EgressPolicy({ production: false, resolve: names, allow: parseEgressAllow('127.0.0.1') });
    await expect(literal.vet('http://127.0.0.1:8080/')).resolves.toMatchObject({ address: '127.0.0.1' });
    expect(await refusal(literal, 'http://loopback.example.vn/')).toMatchObject({ addressClass: 'loopback' });
    expect(await refusal(literal, 'http://[::ffff:127.0.0.1]/')).toMatchObject({ addressClass: 'ipv4Mapped' });
  });
});

describe('parseEgressAllow', () => {
  it('reads host names, IP addresses and CIDR ranges, and names a bad entry', () => {
    const list = parseEgressAllow('Hooks.Lab.Internal., 10.0.0.5, [fd00::5], 10.20.0.0/16, fd00:1::/64');
    expect([...list.hosts]).toEqual(['hooks.lab.internal', '10.0.0.5', 'fd00::5']);
    expect(list.ranges.map(([ip, bits]) => `${ip.toString()}/${bits}`)).toEqual(['10.20.0.0/16', 'fd00:1::/64']);
    expect(parseEgressAllow(undefined)).toEqual({ hosts: new Set(), ranges: [] });
    expect(() => parseEgressAllow('10.0.0.0/33')).toThrow('EGRESS_ALLOW entry "10.0.0.0/33" is not a CIDR range');
    expect(() => parseEgressAllow('http://x.vn/')).toThrow('EGRESS_ALLOW entry "http://x.vn/" is not a CIDR range');
    expect(() => parseEgressAllow('a b')).toThrow('EGRESS_ALLOW entry "a b" is neither a host name');
  });
});

describe('egressPost', () => {
  let server: Server;
  let port: number;
  const seen: { host?: string; signature?: string; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ host: req.headers.host, signature: req.headers['x-sig'] as string | undefined, body });
        if (req.url === '/slow') return; // never answers
        res.writeHead(req.url === '/fail' ? 503 : 204).end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  it('connects to the checked address only, keeping the name in Host, without resolving it again', async () => {
    // .test names resolve nowhere (RFC 2606): the request can arrive only through the pinned address.
    const names = resolver({ 'hooks.example.test': ['127.0.0.1'] });
    const policy = new EgressPolicy({ production: false, resolve: names, allow: parseEgressAllow('127.0.0.0/8') });
    const target = await policy.vet(`http://hooks.example.test:${port}/hook`);
    const outcome = await egressPost(target, { headers: { 'X-Sig': 's' }, body: '{"a":1}', timeoutMs: 5000 });
    expect(outcome).toEqual({ kind: 'answered', statusCode: 204 });
    expect(seen.at(-1)).toEqual({ host: `hooks.example.test:${port}`, signature: 's', body: '{"a":1}' });
    expect(names.calls).toEqual(['hooks.example.test']);
  });

  it('gives the status code of an answer and a fixed category of a failure, never the error text', async () => {
    const target = (path: string, p = port) => ({
      url: new URL(`http://127.0.0.1:${p}${path}`),
      address: '127.0.0.1',
      family: 4 as const,
    });
    const post = (t: ReturnType<typeof target>, timeoutMs = 5000) =>
      egressPost(t, { headers: {}, body: '', timeoutMs });
    expect(await post(target('/fail'))).toEqual({ kind: 'answered', statusCode: 503 });
    expect(await post(target('/slow'), 200)).toEqual({ kind: 'failed', category: 'timeout' });
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    expect(await post(target('/', closedPort))).toEqual({ kind: 'failed', category: 'connection_refused' });
    const tls = { ...target('/'), url: new URL(`https://127.0.0.1:${port}/`) };
    expect(await post(tls)).toEqual({ kind: 'failed', category: 'tls_error' });
  });
});
