import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import {
  SnapshotActivityLog, SnapshotAssetInventory, SnapshotDirectory, SnapshotFindingsSource, SnapshotMetricsSource,
} from '../../../../../adapters/outbound/snapshot/index.js';
import { ShapeError } from '../../../../../adapters/outbound/aws-shapes/index.js';
import { SourceError, ValidationError } from '../../../../../domain/errors.js';
import type { Finding } from '../../../../../domain/fleet-facts.js';
import { fixture } from './fixtures.js';

use(chaiAsPromised);

async function all(source: SnapshotFindingsSource): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of source.listActiveFindings()) out.push(f);
  return out;
}

describe('snapshot errors', () => {
  it('a missing required file names the file and the folder and says it is required', async () => {
    const dir = fixture('missing-findings');

    const err = await all(new SnapshotFindingsSource(new SnapshotDirectory(dir))).then(() => null, (e: unknown) => e);

    expect(err).to.be.instanceOf(SourceError).and.include({ service: 'snapshot', code: 'SOURCE_MISSING' });
    expect((err as Error).message).to.equal(
      `inspector2-list-findings.json is required but was not found in the snapshot directory ${dir} ` +
      '(capture it with: aws inspector2 list-findings --output json > inspector2-list-findings.json)',
    );
  });

  it('a folder that does not exist is named as such', async () => {
    const dir = join(fixture('minimal'), 'no-such-folder');

    await expect(new SnapshotAssetInventory(new SnapshotDirectory(dir)).listAssets())
      .to.be.rejectedWith(SourceError, `snapshot directory ${dir} does not exist or is not a directory`);
  });

  it('bad JSON names the file, the line and the column', async () => {
    const dir = fixture('bad-json');

    const err = await new SnapshotAssetInventory(new SnapshotDirectory(dir)).listAssets().then(() => null, (e: unknown) => e);

    expect(err).to.be.instanceOf(SourceError).and.include({ code: 'SOURCE_BAD_JSON' });
    expect((err as Error).message).to.equal(
      `${join(dir, 'ec2-describe-instances.json')} is not valid JSON: line 5, column 55: expected a double-quoted property name, found '}' (a comma before it?)`,
    );
  });

  it('truncated JSON is located at its end', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snapshot-'));
    try {
      await writeFile(join(dir, 'ec2-describe-instances.json'), '{\n  "Reservations": [\n');

      await expect(new SnapshotAssetInventory(new SnapshotDirectory(dir)).listAssets())
        .to.be.rejectedWith(SourceError, `${join(dir, 'ec2-describe-instances.json')} is not valid JSON: line 3, column 1: unexpected end of the file (something is cut off or not closed)`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a wrong shape names the file, the JSON path, what was expected and what was found', async () => {
    const dir = fixture('wrong-shape');

    const err = await all(new SnapshotFindingsSource(new SnapshotDirectory(dir))).then(() => null, (e: unknown) => e);

    expect(err).to.be.instanceOf(ShapeError).and.instanceOf(SourceError);
    expect(err).to.include({
      file: join(dir, 'inspector2-list-findings.json'), jsonPath: '$.findings[1].resources[0].id', expected: 'a string', service: 'snapshot', code: 'SOURCE_SHAPE',
    });
    expect((err as Error).message).to.equal(
      `${join(dir, 'inspector2-list-findings.json')}: $.findings[1].resources[0].id: expected a string, found the number 42`,
    );
  });

  it('a file whose top level is not what the command prints is refused at $', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snapshot-'));
    try {
      await writeFile(join(dir, 'ec2-describe-instances.json'), '{ "Reservations": [] }');
      await writeFile(join(dir, 'inspector2-list-findings.json'), '"findings"');

      await expect(all(new SnapshotFindingsSource(new SnapshotDirectory(dir))))
        .to.be.rejectedWith(ShapeError, `${join(dir, 'inspector2-list-findings.json')}: $: expected an object, found the string "findings"`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a crafted instance id cannot become a path outside the folder', async () => {
    const snapshot = new SnapshotDirectory(fixture('minimal'));
    const metrics = new SnapshotMetricsSource(snapshot);
    const activity = new SnapshotActivityLog(snapshot);

    for (const id of ['../../etc/passwd', 'i-0aaa000000000001/../../x', 'I-0AAA000000000001', 'i-0aaa', '']) {
      await expect(metrics.getInstanceMetrics({ instanceIds: [id], start: 0, end: Date.now(), periodSeconds: 3600 }))
        .to.be.rejectedWith(ValidationError, `not an EC2 instance id: ${JSON.stringify(id)} (expected i- and 8 to 17 lower-case hex digits)`);
      await expect(activity.lookupInstanceEvents(id, 0, Date.now())).to.be.rejectedWith(ValidationError);
    }
  });

  it('accepts files with a byte order mark (PowerShell writes UTF-16LE, some editors a UTF-8 BOM)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snapshot-'));
    try {
      const doc = '{ "Reservations": [ { "Instances": [ { "InstanceId": "i-0aaa000000000001", "State": { "Name": "running" } } ] } ] }';
      await writeFile(join(dir, 'ec2-describe-instances.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, 'utf16le')]));
      await mkdir(join(dir, 'x'));
      await writeFile(join(dir, 'x', 'ec2-describe-instances.json'), `\uFEFF${doc}`);

      expect((await new SnapshotAssetInventory(new SnapshotDirectory(dir)).listAssets()).map((a) => a.instanceId)).to.deep.equal(['i-0aaa000000000001']);
      expect(await new SnapshotAssetInventory(new SnapshotDirectory(join(dir, 'x'))).listAssets()).to.have.length(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
