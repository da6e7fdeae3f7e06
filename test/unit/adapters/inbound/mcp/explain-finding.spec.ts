import * as chai from 'chai';
import { NotFoundError } from '../../../../../domain/errors.js';
import { DEFAULT_POLICY } from '../../../../../domain/policy.js';
import { SSVC_COORDINATOR_TABLE, ssvcOutcome } from '../../../../../domain/risk/ssvc.js';
import { BOD_26_04_TABLE, remediationTimeline } from '../../../../../domain/risk/timeline.js';
import { explainFinding } from '../../../../../adapters/inbound/mcp/explain-finding.js';
import { aCatalog, aCvss, aFinding, anAcceptance, anAsset, T0 } from '../../../../builders.js';
import { assistantOver } from './support.js';

const { expect } = chai;
const DAY = 86_400_000;
const WEB = 'i-0000000000000a001';
const DEV = 'i-0000000000000b002';

function assistant() {
  return assistantOver({
    now: T0 + 5 * DAY,
    assets: [
      anAsset({ instanceId: WEB, name: 'web-1', tags: { Name: 'web-1', Environment: 'prod' }, publicIpv4: '198.51.100.7' }),
      anAsset({ instanceId: DEV, name: 'dev-1', tags: { Name: 'dev-1', env: 'dev' } }),
    ],
    findings: [
      aFinding({ findingArn: 'arn:kev', instanceId: WEB, vulnerabilityId: 'CVE-2024-1086', cvss: [aCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8)] }),
      aFinding({ findingArn: 'arn:poc', instanceId: DEV, vulnerabilityId: 'CVE-2023-0001', exploitAvailable: true, cvss: [aCvss('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:H/A:N', 6.1)] }),
      aFinding({ findingArn: 'arn:novector', instanceId: DEV, vulnerabilityId: 'CVE-2023-0002', cvss: [], adjustedCvss: null }),
      aFinding({ findingArn: 'arn:accepted', instanceId: DEV, vulnerabilityId: 'CVE-2023-0003' }),
    ],
    catalog: aCatalog('CVE-2024-1086'),
    acceptances: [anAcceptance({ vulnerabilityId: 'CVE-2023-0003', instanceId: DEV, until: T0 + 60 * DAY })],
  });
}

async function explain(instance: string, query: string) {
  const a = assistant();
  return explainFinding(await a.assessInstance(instance), query, DEFAULT_POLICY);
}

describe('explainFinding (MCP explain_finding)', () => {
  it('gives every SSVC and BOD 26-04 input with its basis and the rows used, for a KEV finding on an exposed production host', async () => {
    const r = await explain('web-1', 'cve-2024-1086');

    expect(r).to.include({ instanceId: WEB, name: 'web-1', decision: 'patch-now' });
    const e = r.explanations[0]!;
    expect(r.explanations).to.have.length(1);
    expect(e.counted).to.equal(true);
    expect(e.ssvc.inputs).to.deep.equal({
      exploitation: { value: 'active', basis: 'listed in CISA KEV: exploitation in the wild is on record' },
      automatable: { value: true, basis: 'AV:N, PR:N and UI:N in the CVSS vector' },
      technicalImpact: { value: 'total', basis: 'C:H and I:H in the CVSS vector' },
      mission: { value: 'high', basis: 'tag Environment=prod' },
    });
    expect(e.ssvc.row).to.deep.equal({ number: 12, exploitation: 'active', automatable: true, technicalImpact: 'total', outcomes: { low: 'attend', medium: 'act', high: 'act' } });
    expect(e.ssvc).to.include({ column: 'high', outcome: 'act', table: 'cisa_coordinator_2_0_3' });
    expect(e.timeline.inputs.inKev).to.deep.equal({ value: true, basis: 'in CISA KEV (added 2024-07-01)' });
    expect(e.timeline.inputs.exposed).to.deep.equal({ value: true, basis: 'public IPv4 address 198.51.100.7' });
    expect(e.timeline.row).to.deep.equal({ number: 16, inKev: true, exposed: true, automatable: true, technicalImpact: 'total', timeline: '3 days and forensic investigation' });
    expect(e.timeline).to.include({ outcome: '3 days and forensic investigation', days: 3, firstObservedAt: new Date(T0).toISOString(), dueBy: new Date(T0 + 3 * DAY).toISOString(), overdue: true });
    expect(e.cvss.metrics).to.include({ AV: 'N', PR: 'N', UI: 'N', C: 'H', I: 'H' });
  });

  it('says which vector metrics fall short, and where a low mission and no exposure come from', async () => {
    const e = (await explain('dev-1', 'CVE-2023-0001')).explanations[0]!;

    expect(e.ssvc.inputs.exploitation.value).to.equal('public poc');
    expect(e.ssvc.inputs.automatable).to.deep.equal({ value: false, basis: 'AV:L, PR:L, UI:N in the CVSS vector (automatable needs AV:N, PR:N and UI:N)' });
    expect(e.ssvc.inputs.technicalImpact).to.deep.equal({ value: 'partial', basis: 'C:L, I:H in the CVSS vector (total needs C:H and I:H)' });
    expect(e.ssvc.inputs.mission).to.deep.equal({ value: 'low', basis: 'environment dev (the policy maps it to low)' });
    expect(e.timeline.inputs.exposed.basis).to.equal('no public IPv4 or IPv6 address and no active Inspector network reachability finding');
    expect(e.timeline.inputs.inKev).to.deep.equal({ value: false, basis: 'CVE-2023-0001 is not in the CISA KEV catalog' });
    expect(e.ssvc).to.include({ outcome: 'track' });
    expect(e.ssvc.row.number).to.equal(5);
    expect(e.timeline).to.include({ outcome: 'fix on system upgrade', days: null, dueBy: null, overdue: false });
    expect(e.timeline.row.number).to.equal(1);
  });

  it('says when there is no usable CVSS vector', async () => {
    const e = (await explain('dev-1', 'CVE-2023-0002')).explanations[0]!;

    expect(e.cvss).to.deep.equal({ vector: null, score: null, metrics: null });
    expect(e.ssvc.inputs.automatable.basis).to.equal('no usable CVSS v3 vector, so not automatable');
    expect(e.ssvc.inputs.technicalImpact.basis).to.equal('no usable CVSS v3 vector, so partial');
  });

  it('explains a finding a risk acceptance keeps out of the count, found by its ARN', async () => {
    const r = await explain('dev-1', 'arn:accepted');

    expect(r.explanations[0]).to.include({ findingArn: 'arn:accepted', counted: false });
  });

  it('agrees with the domain decision for every finding it explains', async () => {
    for (const [instance, cve] of [['web-1', 'CVE-2024-1086'], ['dev-1', 'CVE-2023-0001'], ['dev-1', 'CVE-2023-0002'], ['dev-1', 'CVE-2023-0003']] as const) {
      for (const e of (await explain(instance, cve)).explanations) {
        const s = e.ssvc.inputs;
        const t = e.timeline.inputs;
        expect(e.ssvc.outcome).to.equal(ssvcOutcome({ exploitation: s.exploitation.value, automatable: s.automatable.value, technicalImpact: s.technicalImpact.value, mission: s.mission.value }));
        expect(e.timeline.outcome).to.equal(remediationTimeline({ inKev: t.inKev.value, exposed: t.exposed.value, automatable: t.automatable.value, technicalImpact: t.technicalImpact.value }));
        expect(SSVC_COORDINATOR_TABLE[e.ssvc.row.number - 1]?.outcomes[e.ssvc.column]).to.equal(e.ssvc.outcome);
        expect(BOD_26_04_TABLE[e.timeline.row.number - 1]?.timeline).to.equal(e.timeline.outcome);
      }
    }
  });

  it('names the nearest ids on the instance when the id is not there', async () => {
    const err = await explain('dev-1', 'CVE-2023-0009').then(() => null, (e: unknown) => e);

    expect(err).to.be.instanceOf(NotFoundError);
    expect((err as NotFoundError).message).to.equal('no finding on dev-1 (i-0000000000000b002) matches "CVE-2023-0009"; did you mean "CVE-2023-0001", "CVE-2023-0002", "CVE-2023-0003"?');
  });
});
