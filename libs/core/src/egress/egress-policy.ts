import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressClass } from './address-class.js';
import { bareHost, EMPTY_ALLOW_LIST, inAllowedRange, type EgressAllowList } from './egress-allow.js';

/** Why a URL was refused: the scheme, plain http in production, a name with no address, or an address class. */
export type EgressRefusal = 'invalid_url' | 'scheme' | 'https_required' | 'no_address' | 'address_class';

export class EgressRefusedError extends Error {
  constructor(
    readonly reason: EgressRefusal,
    message: string,
    /** For `address_class`: the class of the first refused address (`loopback`, `linkLocal`, …). */
    readonly addressClass?: string,
  ) {
    super(message);
    this.name = 'EgressRefusedError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address of a name; the default is the system resolver (`dns.lookup`, all addresses, as given). */
export type EgressResolver = (host: string) => Promise<ResolvedAddress[]>;

/** What a request may connect to: the URL and the one address that was checked, to connect to and nothing else. */
export interface EgressTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export interface EgressPolicyOptions {
  /** https only in production; plain http is allowed elsewhere, to hosts that pass the address check. */
  production: boolean;
  allow?: EgressAllowList;
  resolve?: EgressResolver;
  /** How long a name may take to resolve before the URL is refused as having no address. */
  resolveTimeoutMs?: number;
}

const systemResolver: EgressResolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * The one place that decides whether the system may send a request to a URL (webhooks now, e-mail and
 * others later): it parses the URL, checks the scheme, resolves the name and refuses every address
 * that is not an ordinary public unicast address unless EGRESS_ALLOW lets it through. The request is
 * then made to the address that was checked (`egressPost`), so a name that resolves differently a
 * moment later (DNS rebinding) cannot swap it.
 */
export class EgressPolicy {
  private readonly allow: EgressAllowList;
  private readonly resolve: EgressResolver;
  private readonly resolveTimeoutMs: number;

  constructor(private readonly options: EgressPolicyOptions) {
    this.allow = options.allow ?? EMPTY_ALLOW_LIST;
    this.resolve = options.resolve ?? systemResolver;
    this.resolveTimeoutMs = options.resolveTimeoutMs ?? 5000;
  }

  /** Resolves the URL's host and checks every address; throws EgressRefusedError naming the reason. */
  async vet(raw: string): Promise<EgressTarget> {
    const url = this.parse(raw);
    const host = bareHost(url.hostname);
    const hostAllowed = this.allow.hosts.has(host);
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.addressesOf(host);
    for (const { address } of addresses) {
      if (hostAllowed || inAllowedRange(this.allow, address)) continue;
      const cls = addressClass(address);
      if (cls !== 'public')
        throw new EgressRefusedError('address_class', `the URL's host is (or resolves to) a ${cls} address`, cls);
    }
    const first = addresses[0] as ResolvedAddress;
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  private parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new EgressRefusedError('invalid_url', 'the URL cannot be parsed');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new EgressRefusedError('scheme', `the scheme ${url.protocol.slice(0, -1)} is not allowed; use https`);
    if (url.protocol === 'http:' && this.options.production)
      throw new EgressRefusedError('https_required', 'plain http is refused in production; use https');
    return url;
  }

  private async addressesOf(host: string): Promise<ResolvedAddress[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), this.resolveTimeoutMs);
    });
    try {
      const found = await Promise.race([this.resolve(host), timeout]);
      if (found.length > 0) return found;
    } catch {
      // No address, a resolver failure or a timeout: all mean there is nothing we may connect to.
    } finally {
      clearTimeout(timer);
    }
    throw new EgressRefusedError('no_address', `the host ${host} has no address`);
  }
}
