import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { SnapshotDirectory } from '../../../../../adapters/outbound/snapshot/index.js';
import { ShapeError } from '../../../../../adapters/outbound/aws-shapes/index.js';
import { SourceError } from '../../../../../domain/errors.js';
import { fixture } from './fixtures.js';

use(chaiAsPromised);

describe('SnapshotDirectory.findings (streamed) agrees with the whole-document parse', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'findings-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('maps the same findings from UTF-8 (streamed) and UTF-16 (whole document) files', async () => {
    const text = await readFile(join(fixture('minimal'), 'inspector2-list-findings.json'), 'utf8');
    await writeFile(join(dir, 'inspector2-list-findings.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));

    expect(await new SnapshotDirectory(dir).findings()).to.deep.equal(await new SnapshotDirectory(fixture('minimal')).findings());
  });

  it('locates broken JSON inside a finding by line and column', async () => {
    const file = join(dir, 'inspector2-list-findings.json');
    await writeFile(file, '{\n  "findings": [\n    { "findingArn": "a" },\n    { "findingArn": "b", }\n  ]\n}\n');

    await expect(new SnapshotDirectory(dir).findings()).to.be.rejectedWith(SourceError, `${file} is not valid JSON: line 4, column 26: expected a double-quoted property name, found '}' (a comma before it?)`);
  });

  it('locates garbage after the findings array', async () => {
    const file = join(dir, 'inspector2-list-findings.json');
    await writeFile(file, '{ "findings": [] }\n}');

    await expect(new SnapshotDirectory(dir).findings()).to.be.rejectedWith(SourceError, `${file} is not valid JSON: line 2, column 1:`);
  });

  it('refuses a file without a findings array, naming $.findings', async () => {
    const file = join(dir, 'inspector2-list-findings.json');
    await writeFile(file, '{ "Findings": [] }');
    await expect(new SnapshotDirectory(dir).findings()).to.be.rejectedWith(ShapeError, `${file}: $.findings: expected an array, found nothing`);

    const other = await mkdtemp(join(tmpdir(), 'findings-'));
    try {
      await writeFile(join(other, 'inspector2-list-findings.json'), '{ "findings": "none" }');
      await expect(new SnapshotDirectory(other).findings())
        .to.be.rejectedWith(ShapeError, `${join(other, 'inspector2-list-findings.json')}: $.findings: expected an array, found the string "none"`);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
