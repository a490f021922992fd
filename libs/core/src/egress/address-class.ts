import ipaddr from 'ipaddr.js';

/**
 * The class of an IP address as ipaddr.js names its special ranges (`loopback`, `private`,
 * `linkLocal`, `carrierGradeNat`, `multicast`, `unspecified`, `broadcast`, `reserved`, `uniqueLocal`,
 * `ipv4Mapped`, `rfc6052` (NAT64), `6to4`, `teredo`, …), or `public` for an ordinary unicast address.
 * ipaddr.js's own name for that is `unicast`; ours says what matters here.
 *
 * The one rule added to the library's list: an IPv6 address whose first 96 bits are zero (other than
 * `::` and `::1`, which the library names) is the deprecated IPv4-compatible form (RFC 4291
 * 2.5.5.1), `::127.0.0.1`; some stacks still route it to the embedded IPv4 address.
 */
export function addressClass(address: string): string {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(canonical(address));
  } catch {
    return 'invalid';
  }
  const range: string = ip.range();
  if (range !== 'unicast') return range;
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return 'ipv4Compatible';
  return 'public';
}

/**
 * IPv6 text in the form the WHATWG URL parser gives (`::127.0.0.1` → `::7f00:1`), the form every URL
 * host arrives in; dotted-quad tails are read differently by ipaddr.js versions.
 */
function canonical(address: string): string {
  if (!address.includes(':')) return address;
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}
