import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { csvRecords } from '../../../../../adapters/outbound/aws-shapes/csv-records.js';
import { FindingsInputSource, isInputName, readFindingsObject, type FindingsObject } from '../../../../../adapters/outbound/aws-shapes/findings-input.js';
import { parseInspectorTime } from '../../../../../adapters/outbound/aws-shapes/inspector-time.js';
import { splitJson } from '../../../../../adapters/outbound/aws-shapes/json-splitter.js';
import { parseTimestamp } from '../../../../../adapters/outbound/aws-shapes/read.js';
import type { Finding } from '../../../../../domain/fleet-facts.js';

/** The bytes of `text` in chunks of `size` bytes, so every boundary case of the scanners is met. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function object(name: string, bytes: Uint8Array, size = 7): FindingsObject {
  return { name, open: () => Promise.resolve(chunked(bytes, size)) };
}

const ARN = (n: number): string => `arn:aws:inspector2:eu-central-1:123456789012:finding/${String(n).padStart(32, '0')}`;

/** A finding as the report, ListFindings and the events' detail write it. */
function finding(n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    awsAccountId: '123456789012',
    findingArn: ARN(n),
    type: 'PACKAGE_VULNERABILITY',
    severity: 'HIGH',
    status: 'ACTIVE',
    title: `CVE-2024-${6000 + n} - snapd`,
    firstObservedAt: 'Wed Sep 04 16:59:44.356 UTC 2024',
    lastObservedAt: 'Wed Sep 04 16:59:44.476 UTC 2024',
    updatedAt: 'Wed Sep 04 17:00:36.951 UTC 2024',
    packageVulnerabilityDetails: {
      vulnerabilityId: `CVE-2024-${6000 + n}`,
      cvss: [{ baseScore: 7.3, scoringVector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H', source: 'NVD', version: '3.1' }],
      vulnerablePackages: [{ name: 'snapd', epoch: 0, version: '2.63', fixedInVersion: '0:2.63+22.04ubuntu0.1', packageManager: 'OS' }],
    },
    resources: [{ type: 'AWS_EC2_INSTANCE', id: `i-0aaaaaaaaaaaaaa0${n % 10}` }],
    ...over,
  };
}

/** An EventBridge "Inspector2 Finding" event around `detail`. */
function event(detail: Record<string, unknown>, time = '2024-09-04T17:00:36Z'): Record<string, unknown> {
  return {
    version: '0', id: 'e', 'detail-type': 'Inspector2 Finding', source: 'aws.inspector2', account: '123456789012', time, region: 'eu-central-1',
    resources: [(detail.resources as { id: string }[])[0]?.id], detail,
  };
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

describe('Inspector event timestamps ("Wed Sep 04 16:59:44.356 UTC 2024")', () => {
  it('reads the format of the AWS samples exactly, to the millisecond', () => {
    expect(parseInspectorTime('Wed Sep 04 16:59:44.356 UTC 2024')).to.equal(Date.parse('2024-09-04T16:59:44.356Z'));
    expect(parseInspectorTime('Thu Sep 05 13:06:56.334 UTC 2024')).to.equal(Date.parse('2024-09-05T13:06:56.334Z'));
    expect(parseInspectorTime('Thu Jul 25 20:15:00.000 UTC 2024')).to.equal(Date.parse('2024-07-25T20:15:00.000Z'));
  });

  it('takes no fraction, a short one (tenths) and a long one (truncated to milliseconds), and GMT', () => {
    expect(parseInspectorTime('Wed Sep 04 16:59:44 UTC 2024')).to.equal(Date.parse('2024-09-04T16:59:44Z'));
    expect(parseInspectorTime('Wed Sep 04 16:59:44.3 UTC 2024')).to.equal(Date.parse('2024-09-04T16:59:44.300Z'));
    expect(parseInspectorTime('Wed Sep 04 16:59:44.356999 UTC 2024')).to.equal(Date.parse('2024-09-04T16:59:44.356Z'));
    expect(parseInspectorTime('Wed Sep 04 16:59:44.356 GMT 2024')).to.equal(Date.parse('2024-09-04T16:59:44.356Z'));
  });

  it('reads a leap day, the turn of the year and midnight', () => {
    expect(parseInspectorTime('Thu Feb 29 23:59:59.999 UTC 2024')).to.equal(Date.parse('2024-02-29T23:59:59.999Z'));
    expect(parseInspectorTime('Wed Jan 01 00:00:00.000 UTC 2025')).to.equal(Date.parse('2025-01-01T00:00:00.000Z'));
  });

  it('refuses what is not exactly that format, or names a moment that does not exist', () => {
    for (const bad of [
      'Thu Sep 04 16:59:44.356 UTC 2024', // the 4th was a Wednesday
      'Thu Feb 29 12:00:00.000 UTC 2023', // no 29 February in 2023
      'Mon Sep 31 12:00:00.000 UTC 2024', // September has 30 days
      'Wed Sep 04 24:00:00.000 UTC 2024',
      'Wed Sep 04 16:60:00.000 UTC 2024',
      'Wed Sep 04 16:59:60.000 UTC 2024', // no leap seconds
      'Wed Sep 4 16:59:44.356 UTC 2024', // the day has two digits
      'Wed Sep 04 16:59:44.356 PST 2024', // a zone that is not UTC
      'Wed Sep 04 16:59:44.356 UTC 24',
      'wed sep 04 16:59:44.356 UTC 2024',
      'Wed Sep 04 16:59:44.356 UTC 2024 ',
      'Wed Sep 04 16:59:44. UTC 2024',
      'Wed Foo 04 16:59:44.356 UTC 2024',
      '',
    ]) expect(parseInspectorTime(bad), bad).to.equal(null);
  });

  it('is one of the timestamp forms every AWS mapper accepts', () => {
    expect(parseTimestamp('Wed Sep 04 16:59:44.356 UTC 2024')).to.equal(Date.parse('2024-09-04T16:59:44.356Z'));
    expect(parseTimestamp('2024-09-04T16:59:44.356Z')).to.equal(Date.parse('2024-09-04T16:59:44.356Z'));
  });
});

describe('splitJson over findings inputs (streamed JSON objects)', () => {
  const LINES = { member: 'findings', lines: true, objectsOnly: true };
  const texts = async (s: string, size = 3): Promise<string[]> => (await collect(splitJson(chunked(utf8(s), size), LINES))).map((i) => i.text);

  it('yields each element of a report\'s findings array, whatever the chunk size', async () => {
    const doc = '{"findings": [ {"a": "x]}\\"{"}, {"b": [1, {"c": 2}]} ], "nextToken": null}';
    for (const size of [1, 2, 5, 1000]) expect(await texts(doc, size)).to.deep.equal(['{"a": "x]}\\"{"}', '{"b": [1, {"c": 2}]}']);
  });

  it('yields the elements of a bare array and the objects of JSON lines', async () => {
    expect(await texts('[{"a":1},\n{"b":2}]\n')).to.deep.equal(['{"a":1}', '{"b":2}']);
    expect(await texts('{"a":1}\n{"b":{"findings":[]}}\n\n{"c":3}')).to.deep.equal(['{"a":1}', '{"b":{"findings":[]}}', '{"c":3}']);
  });

  it('says where an item starts, in lines and columns of the whole stream, multi-byte characters included', async () => {
    const items = await collect(splitJson(chunked(utf8('{"findings":[\n  {"t":"é"},\n  {"u":1}\n]}'), 4), LINES));
    expect(items.map((i) => [i.line, i.column, i.index])).to.deep.equal([[2, 3, 0], [3, 3, 1]]);
    expect(items[0]?.text).to.equal('{"t":"é"}');
  });

  it('refuses a broken structure with its line and column', async () => {
    const err = async (s: string): Promise<string> => {
      try {
        await texts(s);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(await err('{"findings":[{"a":1}\n, {"b":2]}')).to.equal('line 2, column 9 (byte 29): expected }, found ]');
    expect(await err('[{"a":1}, 2]')).to.equal('line 1, column 11 (byte 10): expected an object (each finding or event is a JSON object)');
    expect(await err('{"findings":[{"a":1}')).to.match(/ends inside a value/);
    expect(await err('  ')).to.equal('line 1, column 3 (byte 2): the input is empty');
    expect(await err('[{"a":1}] {"b":2}')).to.match(/expected the end of the input after the top-level array/);
    expect(await err('nonsense')).to.equal('line 1, column 1 (byte 0): expected an object or an array');
  });
});

describe('csvRecords', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, in any chunk size', async () => {
    const csv = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\n1,,3\n';
    for (const size of [1, 3, 100]) {
      const records = await collect(csvRecords(chunked(utf8(csv), size)));
      expect(records.map((r) => [r.line, ...r.fields])).to.deep.equal([[1, 'a', 'b', 'c'], [2, 'x, y', 'say "hi"', 'two\nlines'], [4, '1', '', '3']]);
    }
  });

  it('refuses an unterminated quote and text after a closing quote, with the line', async () => {
    const fail = async (s: string): Promise<string> => collect(csvRecords(chunked(utf8(s), 4))).then(() => 'no error', (e: Error) => e.message);
    expect(await fail('a,b\n"x,y\n')).to.equal('line 2: the input ends inside a quoted field (cut short?)');
    expect(await fail('a,b\n"x"y,z\n')).to.equal('line 2: text after a closing quote (a quote inside a quoted field must be doubled)');
  });
});

describe('readFindingsObject and FindingsInputSource', () => {
  it('reads a JSON findings report, gzip or plain, and keeps ACTIVE findings on the instances asked for', async () => {
    const report = JSON.stringify({ findings: [finding(1), finding(2, { status: 'CLOSED' }), finding(3)] });
    for (const bytes of [utf8(report), gzipSync(report)]) {
      const source = new FindingsInputSource(async function* () {
        yield object('report.json', bytes);
      }, 'findings');
      const all = await collect(source.listActiveFindings());
      expect(all.map((f) => f.findingArn)).to.deep.equal([ARN(1), ARN(3)]);
      expect(all[0]).to.deep.include({ firstObservedAt: Date.parse('2024-09-04T16:59:44.356Z'), vulnerabilityId: 'CVE-2024-6001', instanceId: 'i-0aaaaaaaaaaaaaa01' });
      const some = await collect(source.listActiveFindings({ instanceIds: ['i-0aaaaaaaaaaaaaa03'] }));
      expect(some.map((f) => f.findingArn)).to.deep.equal([ARN(3)]);
    }
  });

  it('names the object, the line and the column of broken JSON inside a finding', async () => {
    const text = `{"findings": [\n${JSON.stringify(finding(1))},\n{"findingArn": "x", "severity": }\n]}`;
    const err = await collect(readFindingsObject(object('s3://b/r.json', utf8(text)), 's3')).then(() => null, (e: Error) => e);
    const byte = Buffer.byteLength(text.slice(0, text.indexOf('{"findingArn": "x"'))) + 32;
    expect(err?.message).to.equal(`s3://b/r.json: not valid JSON: line 3, column 33 (byte ${byte}): expected a value, found '}' (a comma before it?)`);
  });

  it('names the object, where the finding starts and the field that is wrong', async () => {
    const text = `{"findings": [\n${JSON.stringify(finding(1))},\n${JSON.stringify(finding(2, { severity: 7 }))}\n]}`;
    const err = await collect(readFindingsObject(object('r.json.gz', utf8(text)), 'findings')).then(() => null, (e: Error) => e);
    expect(err?.message).to.equal('r.json.gz: the object at line 3, column 1: $.severity: expected a string, found the number 7');
  });

  it('reads a CSV report by its column names, gzip or plain', async () => {
    const header = 'AWS Account Id,Severity,Fix Available,Finding Type,Title,Finding ARN,First Seen,Last Seen,Resource ID,Resource Type,Affected Packages,Package Installed Version,Fixed in Version,Inspector Score,Inspector Score Vector,Status,Vulnerability Id,NVD CVSS3 Score,NVD CVSS3 Vector,Epss Score,Exploit Available,Port Range';
    const rows = [
      `123456789012,CRITICAL,YES,Package Vulnerability,"CVE-2024-6387 - openssh, openssh-server",${ARN(1)},2024-09-01T10:00:00.000Z,Wed Sep 04 16:59:44.356 UTC 2024,i-0aaaaaaaaaaaaaa01,AWS_EC2_INSTANCE,"openssh, openssh-server","8.7p1-38.el9, 8.7p1-38.el9","0:8.7p1-38.el9_4.1, NotAvailable",8.1,CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H,ACTIVE,CVE-2024-6387,8.1,CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H,0.38,YES,`,
      `123456789012,HIGH,,NETWORK_REACHABILITY,Port 22 is reachable,${ARN(2)},2024-09-01T10:00:00Z,2024-09-02T10:00:00Z,i-0aaaaaaaaaaaaaa02,AWS_EC2_INSTANCE,,,,,,ACTIVE,,,,,NO,22 - 22`,
      `123456789012,HIGH,YES,PACKAGE_VULNERABILITY,image,${ARN(3)},2024-09-01T10:00:00Z,2024-09-02T10:00:00Z,arn:aws:ecr:x,AWS_ECR_CONTAINER_IMAGE,,,,,,ACTIVE,CVE-1,,,,NO,`,
      `123456789012,LOW,YES,PACKAGE_VULNERABILITY,closed,${ARN(4)},2024-09-01T10:00:00Z,2024-09-02T10:00:00Z,i-0aaaaaaaaaaaaaa04,AWS_EC2_INSTANCE,,,,,,CLOSED,CVE-2,,,,NO,`,
    ];
    const csv = `${header}\n${rows.join('\n')}\n`;
    for (const bytes of [utf8(csv), gzipSync(csv)]) {
      const source = new FindingsInputSource(async function* () {
        yield object('report.csv.gz', bytes, 11);
      }, 'findings');
      const [pkg, net, ...rest] = await collect(source.listActiveFindings());
      expect(rest).to.deep.equal([]);
      expect(pkg).to.deep.include({
        findingArn: ARN(1), type: 'PACKAGE_VULNERABILITY', severity: 'CRITICAL', status: 'ACTIVE', instanceId: 'i-0aaaaaaaaaaaaaa01',
        vulnerabilityId: 'CVE-2024-6387', inspectorScore: 8.1, epss: 0.38, exploitAvailable: true, fixAvailable: 'YES',
        title: 'CVE-2024-6387 - openssh, openssh-server',
        firstObservedAt: Date.parse('2024-09-01T10:00:00Z'), lastObservedAt: Date.parse('2024-09-04T16:59:44.356Z'),
      });
      expect(pkg?.packages).to.deep.equal([
        { name: 'openssh', version: '8.7p1-38.el9', fixedInVersion: '0:8.7p1-38.el9_4.1' },
        { name: 'openssh-server', version: '8.7p1-38.el9', fixedInVersion: null },
      ]);
      expect(pkg?.cvss).to.deep.equal([{ baseScore: 8.1, scoringVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', version: '3.1' }]);
      expect(net).to.deep.include({ type: 'NETWORK_REACHABILITY', networkReachability: { openPortRange: { begin: 22, end: 22 }, protocol: null } });
    }
  });

  it('names the CSV object, the line and the column when a row is wrong, and a missing header column', async () => {
    const header = 'Finding ARN,Resource ID,Resource Type,Severity,Status,Finding Type,First Seen,Last Seen';
    const bad = `${header}\n${ARN(1)},i-0aaaaaaaaaaaaaa01,AWS_EC2_INSTANCE,HIGH,ACTIVE,PACKAGE_VULNERABILITY,yesterday,2024-09-02T10:00:00Z\n`;
    const err = await collect(readFindingsObject(object('r.csv', utf8(bad)), 'findings')).then(() => null, (e: Error) => e);
    expect(err?.message).to.equal('r.csv: line 2: column "First Seen": expected a timestamp (ISO 8601, or as Inspector writes it: "Wed Sep 04 16:59:44.356 UTC 2024"), found the string "yesterday"');
    const noColumn = await collect(readFindingsObject(object('r.csv', utf8('Finding ARN,Severity\nx,HIGH\n')), 'findings')).then(() => null, (e: Error) => e);
    expect(noColumn?.message).to.equal('r.csv: header row: column "Resource ID": expected a column of that name in the header row (an Inspector2 CSV findings report), found no such column');
  });

  it('refuses a gzip object that is cut short, naming it', async () => {
    const gz = gzipSync(JSON.stringify({ findings: [finding(1)] }));
    const err = await collect(readFindingsObject(object('r.json.gz', gz.subarray(0, gz.length - 12)), 'findings')).then(() => null, (e: Error) => e);
    expect(err?.message).to.match(/^r\.json\.gz: (is not valid gzip|cannot be read|is not a findings report)/);
  });
});

describe('EventBridge "Inspector2 Finding" events as input', () => {
  const source = (...objects: FindingsObject[]): FindingsInputSource => new FindingsInputSource(async function* () {
    yield* objects;
  }, 'findings');

  it('keeps the latest event of each finding (by updatedAt), and drops a finding whose latest event is CLOSED or SUPPRESSED', async () => {
    const lines = [
      event(finding(1, { updatedAt: 'Wed Sep 04 17:00:36.951 UTC 2024', severity: 'LOW' })),
      event(finding(2, { updatedAt: 'Wed Sep 04 17:00:00.000 UTC 2024' })),
      // Archived out of order: the later change of finding 1 comes first in the next file.
      event(finding(3, { updatedAt: 'Wed Sep 04 18:00:00.000 UTC 2024', status: 'SUPPRESSED' })),
    ].map((e) => JSON.stringify(e)).join('\n');
    const later = JSON.stringify([
      event(finding(1, { updatedAt: 'Wed Sep 04 17:00:37.000 UTC 2024', severity: 'CRITICAL' })),
      event(finding(1, { updatedAt: 'Wed Sep 04 16:00:00.000 UTC 2024', severity: 'MEDIUM' })), // older: ignored
      event(finding(2, { updatedAt: 'Wed Sep 04 17:30:00.000 UTC 2024', status: 'CLOSED' })),
      event(finding(3, { updatedAt: 'Wed Sep 04 17:00:00.000 UTC 2024', status: 'ACTIVE' })), // older than the suppression
      { 'detail-type': 'Inspector2 Coverage', detail: { scanStatusCode: 'ACTIVE' } }, // another event type: skipped
    ]);
    const found: Finding[] = await collect(source(object('events-1.jsonl', utf8(lines)), object('events-2.json', gzipSync(later))).listActiveFindings());
    expect(found.map((f) => [f.findingArn, f.severity])).to.deep.equal([[ARN(1), 'CRITICAL']]);
  });

  it('reads events as Kinesis Data Firehose delivers them: objects back to back with no separator, in an object with no extension', async () => {
    const delivered = `${JSON.stringify(event(finding(1)))}${JSON.stringify(event(finding(2, { status: 'CLOSED' })))}${JSON.stringify(event(finding(3)))}`;
    const name = 'inspector-events-1-2024-09-04-16-59-44-0a1b2c3d-1234-5678-9abc-def012345678';
    expect(isInputName(`archive/2024/09/04/16/${name}`)).to.equal(true);
    expect(isInputName(`archive/2024/09/04/16/${name}.gz`)).to.equal(true);
    const found = await collect(source(object(name, gzipSync(delivered))).listActiveFindings());
    expect(found.map((f) => f.findingArn)).to.deep.equal([ARN(1), ARN(3)]);
  });

  it('reads the names of reports and events, and skips manifests, notes and markers', () => {
    for (const yes of ['r.json', 'r.JSON.GZ', 'e.jsonl', 'e.ndjson.gz', 'r.csv', 'r.csv.gz', 'p/firehose-1-2024-09-04']) expect(isInputName(yes), yes).to.equal(true);
    for (const no of ['p/manifest.txt', 'p/_SUCCESS', 'p/.hidden', 'p/', 'p/report.json.bak', 'README.md']) expect(isInputName(no), no).to.equal(false);
  });

  it('reads the AWS sample event (an EC2 network reachability finding)', async () => {
    const sample = event({
      awsAccountId: '123456789012', findingArn: ARN(9), firstObservedAt: 'Thu Sep 05 13:06:56.334 UTC 2024', lastObservedAt: 'Thu Sep 05 13:06:56.334 UTC 2024',
      networkReachabilityDetails: { openPortRange: { begin: 22, end: 22 }, protocol: 'TCP' },
      remediation: { recommendation: { text: 'restrict access' } },
      resources: [{ details: { awsEc2Instance: { platform: 'UBUNTU_22_04' } }, id: 'i-12345678901234567', partition: 'aws', region: 'eu-central-1', type: 'AWS_EC2_INSTANCE' }],
      severity: 'MEDIUM', status: 'ACTIVE', title: 'Port 22 is reachable from an Internet Gateway - TCP', type: 'NETWORK_REACHABILITY', updatedAt: 'Thu Sep 05 13:06:56.334 UTC 2024',
    }, '2024-09-05T13:06:56Z');
    const [f] = await collect(source(object('e.json', utf8(JSON.stringify(sample)))).listActiveFindings());
    expect(f).to.deep.include({ instanceId: 'i-12345678901234567', type: 'NETWORK_REACHABILITY', firstObservedAt: Date.parse('2024-09-05T13:06:56.334Z') });
  });

  it('names the file and where the event starts when its detail is wrong', async () => {
    const lines = `${JSON.stringify(event(finding(1)))}\n${JSON.stringify(event(finding(2, { lastObservedAt: 'Wed Sep 04 16:59:44.476 UTC 2025' })))}\n`;
    const err = await collect(source(object('events.jsonl', utf8(lines))).listActiveFindings()).then(() => null, (e: Error) => e);
    expect(err?.message).to.equal('events.jsonl: the object at line 2, column 1: $.detail.lastObservedAt: expected a timestamp (ISO 8601 string, epoch seconds or Date), found the string "Wed Sep 04 16:59:44.476 UTC 2025"');
  });
});
