import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { clientAddress, parseTrustProxy, type TrustFunction } from './client-address.js';

// Express's own compiler of `trust proxy` (proxy-addr, through Express): the helper must agree with `req.ip`.
const require = createRequire(import.meta.url);
const proxyaddr = require('proxy-addr') as {
  (req: IncomingMessage, trust: TrustFunction): string;
  compile(list: string[]): TrustFunction;
};

const request = (remoteAddress: string, forwarded?: string): IncomingMessage =>
  ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as IncomingMessage;

describe('TRUST_PROXY', () => {
  it('trusts nobody by default or when false', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
  });

  it('takes a number of hops, or addresses, ranges and named ranges', () => {
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8,fd00::/8, 192.0.2.7')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.7',
    ]);
  });

  it('says what is wrong with anything else', () => {
    for (const bad of ['true', '0', '11', 'proxy.local', '10.0.0.0/33', '::1/129', 'loopback,', '10.0.0.1/8/2'])
      expect(typeof parseTrustProxy(bad)).toBe('string');
  });
});

describe('clientAddress', () => {
  const none: TrustFunction = () => false;
  const loopback = proxyaddr.compile(['loopback']);

  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(request('127.0.0.1', '198.51.100.1'), none)).toBe('127.0.0.1');
    expect(clientAddress(request('203.0.113.9', '198.51.100.1'), loopback)).toBe('203.0.113.9');
  });

  it('behind a trusted proxy, is the rightmost forwarded address not itself trusted', () => {
    expect(clientAddress(request('127.0.0.1', '198.51.100.1, 203.0.113.7'), loopback)).toBe('203.0.113.7');
    expect(clientAddress(request('::ffff:127.0.0.1', '198.51.100.1, 127.0.0.1'), loopback)).toBe('198.51.100.1');
    expect(clientAddress(request('::1'), loopback)).toBe('::1');
  });

  it('agrees with Express (proxy-addr) on every case', () => {
    const cases: [string, string | undefined][] = [
      ['127.0.0.1', '198.51.100.1, 203.0.113.7'],
      ['127.0.0.1', ' , 10.0.0.1,,127.0.0.2 '],
      ['127.0.0.1', '127.0.0.5, 127.0.0.6'],
      ['10.1.2.3', '198.51.100.1'],
      ['127.0.0.1', undefined],
    ];
    const trusts: TrustFunction[] = [none, loopback, proxyaddr.compile(['loopback', '10.0.0.0/8']), (_, i) => i < 1];
    for (const trust of trusts)
      for (const [peer, xff] of cases)
        expect(clientAddress(request(peer, xff), trust)).toBe(proxyaddr(request(peer, xff), trust));
  });
});
