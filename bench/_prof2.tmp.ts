import { performance } from 'node:perf_hooks';
import { assessFleet } from '../ports/inbound/fleet-reader.js';
import { toAssetReport } from '../ports/inbound/reports.js';
import { aFinding, aManagedInstance, anAsset, T0 } from '../test/builders.js';
import { fakeDependencies } from '../test/fakes/memory-ports.js';
const gc = (globalThis as { gc?: () => void }).gc!;
const N=2000, F=40000, now=T0+20*86400000;
const assets = Array.from({ length: N }, (_, i) => anAsset({ instanceId: `i-${i.toString(16).padStart(17, '0')}`, name: `host-${i}`, tags: { Name: `host-${i}`, Environment: i % 3 ? 'prod' : 'dev' } }));
const findings = Array.from({ length: F }, (_, i) => aFinding({ findingArn: `arn:f-${i}`, instanceId: assets[i % N]!.instanceId, vulnerabilityId: `CVE-2024-${10000 + (i % 3000)}`, exploitAvailable: i % 7 === 0 }));
const base = { assets, findings, now, managed: assets.map((a) => aManagedInstance({ instanceId: a.instanceId })) };
const acc = (match: boolean) => Array.from({ length: 10000 }, (_, i) => ({ id: `acc-${i}`, vulnerabilityId: match ? `CVE-2024-${10000 + ((i * 7) % 6000)}` : `CVE-2023-${i}`, instanceId: i % 10 === 0 ? null : assets[(i * 13) % N]!.instanceId, reason: 'b', acceptedBy: 'b', acceptedAt: now - 1, until: i % 5 === 1 ? now - 1 : now + 1e9 }));
const deps = { none: fakeDependencies({ ...base, acceptances: [] }).deps, nomatch: fakeDependencies({ ...base, acceptances: acc(false) }).deps, match: fakeDependencies({ ...base, acceptances: acc(true) }).deps };
const res: Record<string, { a: number[]; r: number[] }> = { none: { a: [], r: [] }, nomatch: { a: [], r: [] }, match: { a: [], r: [] } };
for (let k = 0; k < 15; k++) for (const [name, d] of Object.entries(deps)) {
  gc(); let t = performance.now(); const fleet = await assessFleet(d); const ta = performance.now() - t;
  gc(); t = performance.now(); fleet.assets.map((a) => toAssetReport(a, fleet.now, ['Environment'])); const tr = performance.now() - t;
  res[name]!.a.push(ta); res[name]!.r.push(tr);
}
const med = (x: number[]) => x.sort((a, b) => a - b)[7]!.toFixed(0);
for (const [k, v] of Object.entries(res)) console.log(k, 'assess', med(v.a), 'report', med(v.r));
