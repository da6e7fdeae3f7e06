/**
 * Issue 19's benchmark: the size of the history. One assessment of 100,000 findings recorded in
 * the SQLite state file and in the DynamoDB table (moto_server on loopback), in bytes stored per
 * 100,000 findings, with the time to record it and read it back.
 *
 * Two fleets: "shared" (5,000 instances x 20 findings over 3,000 advisories, as a real fleet shares
 * its CVEs) and "distinct" (every finding its own advisory id: the worst case for the encoding's
 * dictionary).
 *
 *   npm run bench:history        (SRE_OPS_BENCH_FINDINGS, default 100000)
 *
 * Prints numbers; asserts nothing (the machine is shared and noisy).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbHistoryStore } from '../adapters/outbound/dynamodb/dynamodb-history-store.js';
import { createStateTable } from '../adapters/outbound/dynamodb/dynamodb-state-store.js';
import { SqliteHistoryStore } from '../adapters/outbound/sqlite/sqlite-history-store.js';
import type { AssessmentRecord, RecordedAsset, RecordedFinding } from '../domain/history/assessment-record.js';
import { encodeRecord } from '../domain/history/record-codec.js';
import { DAY_MS } from '../domain/time.js';
import { T0 } from '../test/builders.js';
import { aLargeRecord, aRecord, aRecordedAsset, aRecordedFinding } from '../test/history-builders.js';
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from '../test/support/moto.js';

const N = Number(process.env.SRE_OPS_BENCH_FINDINGS ?? 100_000);

/** A fleet that shares its advisories, as real ones do (a deterministic generator). */
function sharedFleet(n: number): AssessmentRecord {
  let x = 11;
  const next = (m: number): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % m;
  };
  const perInstance = 20;
  const assets: RecordedAsset[] = [];
  for (let i = 0; i < Math.ceil(n / perInstance); i++) {
    assets.push(aRecordedAsset({ instanceId: `i-0${(0x10000000 + i * 7919).toString(16)}abcd12`, name: `host-${i}`, decision: (['patch-now', 'next-window', 'routine', 'none'] as const)[next(4)], riskScore: next(1000) / 10, exposed: next(5) === 0 }));
  }
  const ssvc = ['act', 'attend', 'track*', 'track'] as const;
  const timelines = ['3 days', '14 days', '60 days', 'fix on system upgrade'] as const;
  const findings: RecordedFinding[] = [];
  for (const a of assets) {
    for (let k = 0; k < perInstance && findings.length < n; k++) {
      const adv = next(3000);
      const o = adv % 4;
      findings.push(aRecordedFinding({
        instanceId: a.instanceId, advisoryId: `CVE-${2018 + (adv % 8)}-${10000 + adv * 7}`, severity: (['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const)[adv % 4],
        ssvc: ssvc[o], timeline: timelines[o] ?? null, dueBy: T0 + ((adv % 90) - 20) * DAY_MS, inKev: adv % 25 === 0, fixAvailable: adv % 3 === 0 ? 'NO' : 'YES',
        firstObservedAt: T0 - (adv % 120) * DAY_MS - next(24) * 3_600_000, acceptance: null,
      }));
    }
  }
  return aRecord({ id: 'shared', assets, findings });
}

function per100k(bytes: number, n: number): string {
  return `${Math.round((bytes / n) * 100_000).toLocaleString('en-US')} bytes per 100,000 findings (${(bytes / n).toFixed(2)} a finding)`;
}

async function main(): Promise<void> {
  const moto = await startMoto();
  const dir = mkdtempSync(join(tmpdir(), 'sre-ops-history-bench-'));
  try {
    for (const [label, record] of [['shared', sharedFleet(N)], ['distinct', aLargeRecord(N, { id: 'distinct' })]] as const) {
      const json = JSON.stringify(record).length;
      const encoded = encodeRecord(record).length;
      console.log(`\n${label}: ${record.findings.length.toLocaleString('en-US')} findings on ${record.assets.length.toLocaleString('en-US')} instances`);
      console.log(`  plain JSON of the record      ${per100k(json, record.findings.length)}`);
      console.log(`  columnar encoding (text)      ${per100k(encoded, record.findings.length)}`);

      const path = join(dir, `${label}.db`);
      const sqlite = new SqliteHistoryStore(path);
      let t = performance.now();
      await sqlite.recordAssessment(record);
      const recordMs = performance.now() - t;
      t = performance.now();
      await sqlite.getAssessment(record.id);
      const readMs = performance.now() - t;
      console.log(`  SQLite row (compressed)       ${per100k(sqlite.storedBytes(record.id), record.findings.length)}; record ${recordMs.toFixed(0)} ms, read ${readMs.toFixed(0)} ms`);
      await sqlite.close();
      console.log(`  SQLite file after one         ${statSync(path).size.toLocaleString('en-US')} bytes (page overhead included)`);

      const client = new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
      const table = `history-bench-${label}`;
      await createStateTable(client, table);
      const dynamo = new DynamoDbHistoryStore(client, table);
      t = performance.now();
      await dynamo.recordAssessment(record);
      const dRecord = performance.now() - t;
      t = performance.now();
      await dynamo.getAssessment(record.id);
      const dRead = performance.now() - t;
      const items = await client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `ASSESSMENT#${record.id}` } } }));
      const bytes = (items.Items ?? []).reduce((sum, i) => sum + (i.body?.B?.length ?? 0) + (i.header?.S?.length ?? 0), 0);
      console.log(`  DynamoDB items (${items.Count} items)     ${per100k(bytes, record.findings.length)}; record ${dRecord.toFixed(0)} ms, read ${dRead.toFixed(0)} ms (moto on loopback)`);
      client.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await moto.stop();
  }
}

await main();
