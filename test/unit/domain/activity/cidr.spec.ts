import { expect } from 'chai';
import fc from 'fast-check';
import { cidrContains, parseCidr, parseIp, parseIpv4, parseIpv6 } from '../../../../domain/activity/cidr.js';
import { ValidationError } from '../../../../domain/errors.js';

function ip(text: string) {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`test setup: ${text} is not an address`);
  return parsed;
}

function v4Text(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function v6Text(n: bigint): string {
  return Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
}

describe('parseIp', () => {
  it('reads IPv4 dotted quads strictly', () => {
    expect(parseIpv4('203.0.113.10')).to.equal(0xcb00710an);
    expect(parseIpv4('0.0.0.0')).to.equal(0n);
    for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.-4']) expect(parseIpv4(bad), bad).to.equal(null);
  });

  it('reads IPv6 in full, compressed, with a dotted tail and with a zone id', () => {
    expect(parseIpv6('2001:db8:0:0:0:0:0:1')).to.equal(parseIpv6('2001:db8::1'));
    expect(parseIpv6('::')).to.equal(0n);
    expect(parseIpv6('::1')).to.equal(1n);
    expect(parseIpv6('1:2:3:4:5:6:7::')).to.equal(parseIpv6('1:2:3:4:5:6:7:0'));
    expect(parseIpv6('::ffff:192.0.2.1')).to.equal((0xffffn << 32n) | 0xc0000201n);
    expect(parseIpv6('fe80::1%eth0')).to.equal(parseIpv6('fe80::1'));
    expect(parseIpv6('2001:DB8::A')).to.equal(parseIpv6('2001:db8::a'));
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', ':1:2:3:4:5:6:7', '1.2.3.4::', '1:2:3:4:5:6:7::8']) {
      expect(parseIpv6(bad), bad).to.equal(null);
    }
  });

  it('does not take service principals or names for addresses', () => {
    for (const name of ['ec2.amazonaws.com', 'AWS Internal', 'ssm.amazonaws.com', 'cafe', '']) expect(parseIp(name), name).to.equal(null);
  });
});

describe('cidrContains', () => {
  it('matches IPv4 addresses against IPv4 blocks', () => {
    const net = parseCidr('203.0.113.0/24');

    expect(cidrContains(net, ip('203.0.113.0'))).to.equal(true);
    expect(cidrContains(net, ip('203.0.113.255'))).to.equal(true);
    expect(cidrContains(net, ip('203.0.114.0'))).to.equal(false);
    expect(cidrContains(parseCidr('10.0.0.0/8'), ip('10.200.3.4'))).to.equal(true);
    expect(cidrContains(parseCidr('0.0.0.0/0'), ip('198.51.100.7'))).to.equal(true);
    expect(cidrContains(parseCidr('198.51.100.7/32'), ip('198.51.100.8'))).to.equal(false);
  });

  it('matches IPv6 addresses against IPv6 blocks', () => {
    const net = parseCidr('2001:db8:abcd::/48');

    expect(cidrContains(net, ip('2001:db8:abcd:12::1'))).to.equal(true);
    expect(cidrContains(net, ip('2001:db8:abce::1'))).to.equal(false);
    expect(cidrContains(parseCidr('::/0'), ip('2600:1f18::1'))).to.equal(true);
    expect(cidrContains(parseCidr('2001:db8::1/128'), ip('2001:db8::2'))).to.equal(false);
  });

  it('never matches across families, except an IPv4-mapped IPv6 address against an IPv4 block', () => {
    expect(cidrContains(parseCidr('::/0'), ip('10.0.0.1'))).to.equal(false);
    expect(cidrContains(parseCidr('0.0.0.0/0'), ip('2001:db8::1'))).to.equal(false);
    expect(cidrContains(parseCidr('10.0.0.0/8'), ip('::ffff:10.1.2.3'))).to.equal(true);
  });

  it('clears host bits of a block', () => {
    expect(cidrContains(parseCidr('10.1.2.3/8'), ip('10.9.9.9'))).to.equal(true);
  });

  it('refuses text that is not a CIDR', () => {
    for (const bad of ['10.0.0.0/33', '2001:db8::/129', '10.0.0.0', 'example.com/24', '300.0.0.0/8']) {
      expect(() => parseCidr(bad, 'activity.knownNetworks[0]'), bad).to.throw(ValidationError, /activity\.knownNetworks\[0\]/);
    }
  });

  it('puts an IPv4 address in a block exactly when their leading prefix bits agree (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (a, b, prefix) => {
        const agree = prefix === 0 || a >>> (32 - prefix) === b >>> (32 - prefix);

        expect(cidrContains(parseCidr(`${v4Text(a)}/${prefix}`), ip(v4Text(b)))).to.equal(agree);
      }),
    );
  });

  it('puts an IPv6 address in a block exactly when their leading prefix bits agree (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }), (a, b, prefix) => {
        const shift = BigInt(128 - prefix);
        const agree = a >> shift === b >> shift;

        expect(cidrContains(parseCidr(`${v6Text(a)}/${prefix}`), ip(v6Text(b)))).to.equal(agree);
        expect(cidrContains(parseCidr(`${v6Text(a)}/${prefix}`), ip(v6Text(a)))).to.equal(true);
      }),
    );
  });
});
