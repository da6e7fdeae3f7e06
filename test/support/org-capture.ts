/**
 * A capture of an organization read with two accounts holding the same instance ids (ids are
 * unique within an account and region only): the `minimal` snapshot fixture in each account's
 * partition, so both hold web-1 (i-0aaa000000000001) with the same findings; db-1
 * (i-0aaa000000000003) lives in account A only.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

export const ORG = {
  A: '111111111111',
  B: '222222222222',
  REGION: 'us-east-1',
  /** web-1, in both accounts. */
  WEB: 'i-0aaa000000000001',
  /** db-1, in account A only. */
  DB: 'i-0aaa000000000003',
  NOW: '2026-11-20T12:00:00Z',
} as const;

/** Writes the capture under `dir` and returns its folder. */
export function twoAccountCapture(dir: string): string {
  const capture = join(dir, 'capture');
  for (const account of [ORG.A, ORG.B]) {
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'snapshots', 'minimal'), join(capture, account, ORG.REGION), { recursive: true });
    rmSync(join(capture, account, ORG.REGION, 'snapshot.json'));
  }
  const ec2 = join(capture, ORG.B, ORG.REGION, 'ec2-describe-instances.json');
  const doc = JSON.parse(readFileSync(ec2, 'utf8')) as { Reservations: { Instances: { InstanceId: string }[] }[] };
  for (const r of doc.Reservations) r.Instances = r.Instances.filter((i) => i.InstanceId !== ORG.DB);
  writeFileSync(ec2, JSON.stringify(doc));
  writeFileSync(join(capture, 'snapshot.json'), JSON.stringify({ capturedAt: ORG.NOW, partitions: [ORG.A, ORG.B].map((accountId) => ({ accountId, region: ORG.REGION, path: `${accountId}/${ORG.REGION}` })) }));
  return capture;
}
