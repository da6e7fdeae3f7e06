import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isValidationError } from '../../../domain/errors.js';
import { DEFAULT_POLICY, resolvePolicy, scopeOfPolicy } from '../../../domain/policy.js';
import { AWS_REGIONS, DEFAULT_PATCH_ROLE, DEFAULT_READ_ROLE, isScoped, regionOfZone, resolveScope, splitList, type ScopeRequest } from '../../../domain/scope.js';

function refusal(request: ScopeRequest): string {
  try {
    resolveScope(request);
  } catch (e) {
    if (isValidationError(e)) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('domain/scope', () => {
  it('the region list is the AWS SDK partition data of aws, aws-cn and aws-us-gov', () => {
    // The SDK's own partition table (the one its endpoint rules use), read as text: the regions of the three public partitions.
    const core = join(createRequire(import.meta.url).resolve('@aws-sdk/core'), '..', '..', 'dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partitions.js');
    const text = readFileSync(core, 'utf8');
    const sdk = new Set<string>();
    for (const part of ['aws', 'aws-cn', 'aws-us-gov']) {
      const start = text.indexOf(`"id": "${part}"`);
      const block = text.slice(start, text.indexOf('"id": "', start + 10) === -1 ? undefined : text.indexOf('"id": "', start + 10));
      for (const m of block.matchAll(/"([a-z]{2}(?:-gov)?-[a-z]+-\d+)": \{\s*"description"/g)) sdk.add(m[1]!);
    }
    expect([...AWS_REGIONS].sort()).to.deep.equal([...sdk].sort());
  });

  it('no scope is the default: one account (own credentials), one region, the default roles', () => {
    const s = resolveScope({});
    expect(s).to.deep.equal({ regions: [], accounts: null, assumeRole: DEFAULT_READ_ROLE, externalId: null, patchRole: DEFAULT_PATCH_ROLE, inspector: 'members' });
    expect(isScoped(s)).to.equal(false);
    // Inspector from the delegated administrator is an organization read, even of the caller's own account and region.
    expect(isScoped(resolveScope({ inspector: 'administrator' }))).to.equal(true);
  });

  it('accounts and regions, deduplicated; org alone', () => {
    const s = resolveScope({ regions: ['eu-west-1', 'us-east-1', 'eu-west-1'], accounts: ['111111111111', '222222222222', '111111111111'] });
    expect(s.regions).to.deep.equal(['eu-west-1', 'us-east-1']);
    expect(s.accounts).to.deep.equal(['111111111111', '222222222222']);
    expect(isScoped(s)).to.equal(true);
    expect(resolveScope({ accounts: 'org' }).accounts).to.equal('org');
    expect(resolveScope({ accounts: ['org'] }).accounts).to.equal('org');
  });

  it('refuses, naming the option: short account ids, org among ids, unknown regions, mixed partitions, ARNs as role names, bad external ids (without echoing them)', () => {
    expect(refusal({ accounts: ['12345'] })).to.equal('accounts: expected 12-digit AWS account ids (or org alone), got "12345"');
    expect(refusal({ accounts: ['111111111111', 'org'] })).to.match(/^accounts: .*got "org"$/);
    expect(refusal({ regions: ['eu-west-9'] })).to.match(/^regions: expected AWS regions .*got "eu-west-9"$/);
    expect(refusal({ regions: ['eu-west-1', 'cn-north-1'] })).to.match(/^regions: expected regions of one partition/);
    expect(refusal({ assumeRole: 'arn:aws:iam::111111111111:role/X' })).to.match(/^assumeRole: expected an IAM role name/);
    expect(refusal({ patchRole: '' })).to.match(/^patchRole: /);
    const secret = 'has spaces in it';
    expect(refusal({ externalId: secret })).to.match(/^externalId: /).and.not.to.contain(secret);
    expect(refusal({ regions: [] })).to.match(/^regions: /);
    expect(refusal({ inspector: 'admin' as never })).to.equal('inspector: expected members or administrator (where Inspector findings are read), got "admin"');
  });

  it('splitList and regionOfZone', () => {
    expect(splitList(' a, b,,c ')).to.deep.equal(['a', 'b', 'c']);
    expect(regionOfZone('us-east-1a')).to.equal('us-east-1');
    expect(regionOfZone('us-west-2-lax-1a')).to.equal('us-west-2');
    expect(regionOfZone('us-gov-west-1b')).to.equal('us-gov-west-1');
    expect(regionOfZone(null)).to.equal(null);
  });

  it('the policy scope section: "org" or a list, validated with the policy key named; defaults say nothing', () => {
    expect(scopeOfPolicy(DEFAULT_POLICY)).to.deep.equal({});
    const p = resolvePolicy({ scope: { accounts: 'org', regions: ['eu-west-1'], assumeRole: 'OrgRead' } });
    expect(scopeOfPolicy(p)).to.deep.equal({ accounts: ['org'], regions: ['eu-west-1'], assumeRole: 'OrgRead' });
    expect(() => resolvePolicy({ scope: { accounts: ['1'] } })).to.throw(/^policy scope\.accounts: expected 12-digit/);
    expect(() => resolvePolicy({ scope: { region: ['eu-west-1'] } })).to.throw(/^policy scope\.region: unknown key/);
    expect(scopeOfPolicy(resolvePolicy({ scope: { inspector: 'administrator' } }))).to.deep.equal({ inspector: 'administrator' });
    expect(() => resolvePolicy({ scope: { inspector: 'admin' } })).to.throw(/^policy scope\.inspector: expected members or administrator/);
  });
});
