import type { IncomingMessage } from 'node:http';
import { clientAddress } from './public-lookup.fast-path.js';

const request = (remoteAddress: string, forwarded?: string): IncomingMessage =>
  ({
    socket: { remoteAddress },
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
  }) as unknown as IncomingMessage;

describe('clientAddress (trust proxy: loopback, as the API configures Express)', () => {
  it('is the peer when the peer is not a proxy on this host', () => {
    expect(clientAddress(request('203.0.113.9'))).toBe('203.0.113.9');
    expect(clientAddress(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });

  it('behind a local proxy, is the rightmost forwarded address that is not loopback', () => {
    expect(clientAddress(request('127.0.0.1', '198.51.100.1, 203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(request('::ffff:127.0.0.1', '198.51.100.1, 127.0.0.1'))).toBe('198.51.100.1');
    expect(clientAddress(request('::1'))).toBe('::1');
  });
});
