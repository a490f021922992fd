import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * What EGRESS_ALLOW lets through although the address check would refuse it: host names (matched
 * against the URL's host exactly, as the URL parser normalised it) and CIDR ranges (matched against
 * the addresses the name resolves to). For a centre that really needs an internal receiver.
 */
export interface EgressAllowList {
  hosts: ReadonlySet<string>;
  ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export const EMPTY_ALLOW_LIST: EgressAllowList = { hosts: new Set(), ranges: [] };

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;

/** A URL host as compared with the list: lower case, without IPv6 brackets or a trailing dot. */
export function bareHost(host: string): string {
  const lower = host.toLowerCase();
  const unbracketed = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
}

function parseEntry(entry: string): { host: string } | { range: [ipaddr.IPv4 | ipaddr.IPv6, number] } {
  if (entry.includes('/')) {
    try {
      return { range: ipaddr.parseCIDR(entry) };
    } catch {
      throw new Error(`EGRESS_ALLOW entry "${entry}" is not a CIDR range like 10.20.0.0/16 or fd00:1::/64`);
    }
  }
  const host = bareHost(entry);
  if (isIP(host) || HOST_NAME.test(host)) return { host };
  throw new Error(`EGRESS_ALLOW entry "${entry}" is neither a host name, an IP address nor a CIDR range`);
}

/** Parses the comma-separated EGRESS_ALLOW; throws an Error naming the first bad entry. */
export function parseEgressAllow(value: string | undefined): EgressAllowList {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if ('host' in parsed) hosts.add(parsed.host);
    else ranges.push(parsed.range);
  }
  return { hosts, ranges };
}

/** The start-up check: what is wrong with EGRESS_ALLOW, or undefined. */
export function egressAllowProblem(value: string | undefined): string | undefined {
  try {
    parseEgressAllow(value);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** True when a resolved address lies in one of the allowed ranges (same family only). */
export function inAllowedRange(list: EgressAllowList, address: string): boolean {
  const ip = ipaddr.parse(address);
  return list.ranges.some(([net, bits]) => {
    if (net.kind() !== ip.kind()) return false;
    return ip.kind() === 'ipv4'
      ? (ip as ipaddr.IPv4).match(net as ipaddr.IPv4, bits)
      : (ip as ipaddr.IPv6).match(net as ipaddr.IPv6, bits);
  });
}
