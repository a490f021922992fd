import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Which peers may speak for the client through X-Forwarded-For (TRUST_PROXY). Unset or `false`:
 * nobody, so the client is the TCP peer and the header is ignored (a client cannot pick its own
 * address to escape a rate limit). Otherwise a number of proxy hops, or a comma-separated list of
 * addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal` (as Express reads it).
 */
export type TrustProxy = false | number | string[];

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY as Express's `trust proxy` setting; a string saying what is wrong when it is not valid. */
export function parseTrustProxy(raw: string | undefined): TrustProxy | string {
  const value = raw?.trim() ?? '';
  if (value === '' || value.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops >= 1 && hops <= 10 ? hops : 'must be a number of proxy hops between 1 and 10';
  }
  const entries = value.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (NAMES.has(entry)) continue;
    const [address, prefix, ...extra] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra.length > 0)
      return `must be false, a number of hops, or addresses, CIDR ranges, loopback, linklocal, uniquelocal separated by commas (bad entry "${entry}")`;
  }
  return entries;
}

/** The validated setting (loadEnv has refused a bad value already). */
export function trustProxy(raw: string | undefined): TrustProxy {
  const parsed = parseTrustProxy(raw);
  if (typeof parsed === 'string') throw new Error(`TRUST_PROXY ${parsed}`);
  return parsed;
}

/** How Express compiles `trust proxy`: may the peer at this address (i hops from us) speak for the client? */
export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * The client's address exactly as Express computes `req.ip` (proxy-addr): walk X-Forwarded-For from
 * the right while the hop that handed the request on is trusted. For code that answers before
 * Express (the public lookup fast path), so both agree.
 */
export function clientAddress(req: IncomingMessage, trust: TrustFunction): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  const header = req.headers['x-forwarded-for'];
  const forwarded =
    typeof header === 'string'
      ? header
          .split(',')
          .map((h) => h.trim())
          .filter((h) => h !== '')
      : [];
  const chain = [socket, ...forwarded.reverse()];
  let address = socket;
  for (let i = 0; i < chain.length - 1; i++) {
    if (!trust(chain[i]!, i)) break;
    address = chain[i + 1]!;
  }
  return address;
}
