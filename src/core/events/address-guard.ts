import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether a webhook may be delivered to an address. Only global unicast addresses are allowed:
 * private, loopback, link-local (cloud metadata lives there), carrier-grade NAT, unique-local,
 * multicast and reserved ranges are refused, also when written as IPv4-mapped IPv6. With
 * `allowLoopback` (tests, local development) loopback is allowed too.
 */
export function addressAllowed(address: string, allowLoopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' || (allowLoopback && range === 'loopback');
}

export class AddressRefusedError extends Error {
  constructor(readonly address: string) {
    super(`Refusing to deliver to ${address}: not a public address`);
    this.name = 'AddressRefusedError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http that checks the address it resolved before the socket connects to it,
 * so a DNS answer that changes between a check and the connection (rebinding) cannot slip through.
 */
export function guardedLookup(allowLoopback: boolean) {
  return (hostname: string, options: LookupOneOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as LookupAddress[];
      const refused = list.find((entry) => !addressAllowed(entry.address, allowLoopback));
      if (refused || list.length === 0) return callback(new AddressRefusedError(refused?.address ?? hostname), '', 4);
      if ((options as { all?: boolean }).all) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** A URL a webhook may target: http(s), and an IP literal must itself be allowed. */
export function webhookUrlProblem(url: string, allowLoopback: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http or https URL';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !addressAllowed(host, allowLoopback)) return 'must not point at a private, loopback or link-local address';
  if (!allowLoopback && /^(localhost|.*\.localhost|.*\.internal|.*\.local)$/i.test(host)) return 'must not point at a local host name';
  return null;
}
