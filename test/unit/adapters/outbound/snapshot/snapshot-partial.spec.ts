import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { SnapshotDirectory } from '../../../../../adapters/outbound/snapshot/index.js';
import { SourceError } from '../../../../../domain/errors.js';
import { fixture } from './fixtures.js';

use(chaiAsPromised);

describe('SnapshotDirectory: partial captures, bare findings, links out of the folder', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snapshot-partial-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('notes each file read that still carries a next token, once, and only after it is read', async () => {
    const snapshot = new SnapshotDirectory(fixture('truncated'));
    expect(snapshot.warnings()).to.deep.equal([]);

    await snapshot.instances();
    await snapshot.instances();
    expect(snapshot.warnings()).to.have.length(1);
    expect(snapshot.warnings()[0]).to.match(/truncated\/ec2-describe-instances\.json still carries a next token: .*; the answer is partial$/);

    const findings = await snapshot.findings();
    expect(findings).to.have.length.greaterThan(0);
    expect(snapshot.warnings()[1]).to.contain('inspector2-list-findings.json still carries a next token');
  });

  it('strict: the read fails with SOURCE_TRUNCATED naming the file', async () => {
    const snapshot = new SnapshotDirectory(fixture('truncated'), { strict: true });

    await expect(snapshot.findings()).to.be.rejectedWith(SourceError, 'inspector2-list-findings.json still carries a next token').and.eventually.include({ code: 'SOURCE_TRUNCATED' });
    await expect(snapshot.instances()).to.be.rejectedWith(SourceError, 'ec2-describe-instances.json still carries a next token');
  });

  it('a null or empty token is a complete capture, on the streamed and the whole-document path alike', async () => {
    const text = await readFile(join(fixture('minimal'), 'inspector2-list-findings.json'), 'utf8');
    for (const [tail, partial] of [['null', false], ['""', false], ['"abc"', true]] as const) {
      const doc = text.trimEnd().replace(/\}$/, `, "nextToken": ${tail} }`);
      await writeFile(join(dir, 'inspector2-list-findings.json'), doc);
      await writeFile(join(dir, 'x.json'), '');
      const utf8 = new SnapshotDirectory(dir);
      await utf8.findings();
      expect(utf8.warnings().length, `utf-8, ${tail}`).to.equal(partial ? 1 : 0);

      await writeFile(join(dir, 'inspector2-list-findings.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, 'utf16le')]));
      const utf16 = new SnapshotDirectory(dir);
      await utf16.findings();
      expect(utf16.warnings().length, `utf-16, ${tail}`).to.equal(partial ? 1 : 0);
    }
  });

  it('a token before the findings array is seen too', async () => {
    await writeFile(join(dir, 'inspector2-list-findings.json'), '{ "nextToken": "t", "findings": [] }');
    const snapshot = new SnapshotDirectory(dir);

    await snapshot.findings();

    expect(snapshot.warnings()).to.have.length(1);
  });

  it('reads a bare array of findings, streamed or not, with $[i] paths in errors', async () => {
    const wrapped = await new SnapshotDirectory(fixture('minimal')).findings();
    expect(await new SnapshotDirectory(fixture('bare-findings')).findings()).to.deep.equal(wrapped);

    const bare = await readFile(join(fixture('bare-findings'), 'inspector2-list-findings.json'), 'utf8');
    await writeFile(join(dir, 'inspector2-list-findings.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bare, 'utf16le')]));
    expect(await new SnapshotDirectory(dir).findings()).to.deep.equal(wrapped);

    await writeFile(join(dir, 'inspector2-list-findings.json'), '[{"findingArn": 1}]');
    await expect(new SnapshotDirectory(dir).findings()).to.be.rejectedWith(SourceError, '$[0].resources: expected an array, found nothing');
  });

  it('refuses a link leading outside the folder by name, and reads one that stays inside', async () => {
    await cp(fixture('minimal'), join(dir, 'snap'), { recursive: true });
    await writeFile(join(dir, 'outside.json'), '{ "Reservations": [] }');
    await rm(join(dir, 'snap', 'ec2-describe-instances.json'));
    await symlink(join(dir, 'outside.json'), join(dir, 'snap', 'ec2-describe-instances.json'));
    await symlink(join(dir, 'outside.json'), join(dir, 'snap', 'kev.json'));
    const snapshot = new SnapshotDirectory(join(dir, 'snap'));

    await expect(snapshot.instances()).to.be.rejectedWith(SourceError, `ec2-describe-instances.json in the snapshot directory ${join(dir, 'snap')} is a symbolic link to a file outside that folder`);
    await expect(snapshot.optionalBytes('kev.json')).to.be.rejectedWith(SourceError, 'kev.json in the snapshot directory');
    expect(await snapshot.optionalBytes('no-such.json')).to.equal(null);

    await symlink('inspector2-list-findings.json', join(dir, 'snap', 'linked.json'));
    const linked = await snapshot.optionalBytes('linked.json');
    expect(linked?.file).to.equal(join(dir, 'snap', 'linked.json'));
    expect(linked?.bytes.toString('utf8')).to.equal(await readFile(join(dir, 'snap', 'inspector2-list-findings.json'), 'utf8'));
  });

  it('a snapshot folder reached through a link is still its own inside', async () => {
    await symlink(fixture('minimal'), join(dir, 'alias'));

    expect(await new SnapshotDirectory(join(dir, 'alias')).instances()).to.have.length.greaterThan(0);
  });
});
