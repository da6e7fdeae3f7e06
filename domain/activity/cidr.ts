/** IPv4 and IPv6 addresses and CIDR blocks, parsed strictly, as 32- and 128-bit integers. */
import { ValidationError } from '../errors.js';

/** An address as an unsigned integer of its family's width. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** A network: the address with host bits cleared, and the prefix length. */
export interface Cidr {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
  readonly text: string;
}

const BITS = { 4: 32, 6: 128 } as const;
const MAPPED_V4_PREFIX = 0xffffn << 32n;

/** Dotted-quad IPv4; octets 0–255 without leading zeros (which some parsers read as octal). */
export function parseIpv4(text: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let value = 0n;
  for (const octet of m.slice(1)) {
    if ((octet.length > 1 && octet.startsWith('0')) || Number(octet) > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

/**
 * IPv6 in any RFC 4291 text form: full, `::`-compressed, with a dotted IPv4 tail
 * (`::ffff:192.0.2.1`), and with a zone id (`fe80::1%eth0`), which is dropped.
 */
export function parseIpv6(text: string): bigint | null {
  const bare = text.split('%')[0] ?? '';
  if (!/^[0-9a-fA-F:.]+$/.test(bare)) return null;
  const halves = bare.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  // A dotted tail is only allowed last: "1.2.3.4::" is not an address.
  if (halves.length === 2 && (halves[0] ?? '').includes('.')) return null;
  const present = head.length + tail.length;
  if (halves.length === 2 ? present > 7 : present !== 8) return null;
  const groups = [...head, ...new Array<number>(8 - present).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** An IPv4 or IPv6 address, or null for anything else ("ec2.amazonaws.com", "AWS Internal"). */
export function parseIp(text: string): IpAddress | null {
  const trimmed = text.trim();
  const v4 = parseIpv4(trimmed);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = trimmed.includes(':') ? parseIpv6(trimmed) : null;
  return v6 === null ? null : { version: 6, value: v6 };
}

/**
 * Parses "203.0.113.0/24" or "2001:db8::/32". Host bits are cleared ("10.1.2.3/8" is 10.0.0.0/8).
 * @throws ValidationError when the text is not a CIDR of either family.
 */
export function parseCidr(text: string, field = 'cidr'): Cidr {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  const ip = m ? parseIp(m[1] ?? '') : null;
  const prefix = Number(m?.[2]);
  if (!ip || !(prefix <= BITS[ip.version])) {
    throw new ValidationError(field, 'a CIDR such as "203.0.113.0/24" or "2001:db8::/32"', `${field}: expected a CIDR such as "203.0.113.0/24" or "2001:db8::/32", got ${JSON.stringify(text)}`);
  }
  return { version: ip.version, network: ip.value & mask(ip.version, prefix), prefix, text };
}

/**
 * Whether `ip` is inside `cidr`. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is matched against
 * IPv4 blocks as the IPv4 address it carries, since dual-stack endpoints report IPv4 callers so.
 */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  let value = ip.value;
  if (ip.version !== cidr.version) {
    if (!(cidr.version === 4 && ip.version === 6 && ip.value >> 32n === MAPPED_V4_PREFIX >> 32n)) return false;
    value = ip.value & 0xffffffffn;
  }
  return (value & mask(cidr.version, cidr.prefix)) === cidr.network;
}

function mask(version: 4 | 6, prefix: number): bigint {
  const bits = BigInt(BITS[version]);
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}
