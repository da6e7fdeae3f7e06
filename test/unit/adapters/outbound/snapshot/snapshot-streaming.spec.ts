import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { SnapshotDirectory } from '../../../../../adapters/outbound/snapshot/index.js';
import { ShapeError } from '../../../../../adapters/outbound/aws-shapes/index.js';
import { SourceError } from '../../../../../domain/errors.js';
import { demoFleet, fixture } from './fixtures.js';

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

describe('SnapshotDirectory: the SSM files are streamed', () => {
  /** The longest part of `file` JSON.parse was given while `run` ran. */
  async function longestParse(file: string, run: () => Promise<unknown>): Promise<number> {
    const parse = JSON.parse;
    let longest = 0;
    JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
      if (typeof text === 'string' && file.includes(text)) longest = Math.max(longest, text.length);
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      await run();
    } finally {
      JSON.parse = parse;
    }
    return longest;
  }

  for (const [file, read, key] of [
    ['ssm-describe-instance-patch-states.json', (d: SnapshotDirectory) => d.patchStates(), 'InstancePatchStates'],
    ['ssm-describe-instance-information.json', (d: SnapshotDirectory) => d.managedInstances(), 'InstanceInformationList'],
  ] as const) {
    it(`${file}: one entry at a time (never parsed whole), the same map as a whole parse`, async () => {
      const text = await readFile(join(demoFleet(), file), 'utf8');
      const entries = (JSON.parse(text) as Record<string, unknown[]>)[key] as unknown[];
      expect(entries.length).to.be.above(5);
      let map: ReadonlyMap<string, unknown> | null = null;
      const longest = await longestParse(text, async () => {
        map = await read(new SnapshotDirectory(demoFleet()));
      });
      // Each parse is one entry: far less than the file (before, the file was parsed whole).
      const largestEntry = Math.max(...entries.map((e) => JSON.stringify(e, null, 2).length));
      expect(longest).to.be.at.most(largestEntry * 2).and.below(text.length / 2);
      expect([...(map as unknown as Map<string, unknown>).keys()]).to.deep.equal(entries.map((e) => (e as { InstanceId: string }).InstanceId));
    });
  }

  it('still reports a next token, and broken JSON by line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ssm-'));
    try {
      const file = join(dir, 'ssm-describe-instance-patch-states.json');
      await writeFile(file, '{"InstancePatchStates": [], "NextToken": "abc"}');
      const snapshot = new SnapshotDirectory(dir);
      expect((await snapshot.patchStates())?.size).to.equal(0);
      expect(snapshot.warnings()).to.have.length(1);
      expect(snapshot.warnings()[0]).to.contain(`${file} still carries a next token`);
      await writeFile(file, '{"InstancePatchStates": [\n  {"InstanceId": "i-0123456789abcdef0",}\n]}');
      await expect(new SnapshotDirectory(dir).patchStates()).to.be.rejectedWith(SourceError, `${file} is not valid JSON: line 2, column 40: expected a double-quoted property name`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('SnapshotDirectory: what is checked is what is read (symbolic links)', () => {
  let dir: string;
  const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof FsPromises;
  const original = { realpath: fsp.realpath, open: fsp.open };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'toctou-'));
    await mkdir(join(dir, 'snap'));
    const instances = await readFile(join(fixture('minimal'), 'ec2-describe-instances.json'), 'utf8');
    await writeFile(join(dir, 'snap', 'inventory.json'), instances);
    // Outside the folder: valid JSON too, with an instance the snapshot does not have.
    await writeFile(join(dir, 'outside.json'), instances.replace(/i-[0-9a-f]{8,17}/g, 'i-0bad0bad0bad0bad0'));
  });

  afterEach(async () => {
    Object.assign(fsp, original);
    syncBuiltinESMExports();
    await rm(dir, { recursive: true, force: true });
  });

  const link = (): string => join(dir, 'snap', 'ec2-describe-instances.json');
  const relink = async (to: string): Promise<void> => {
    await unlink(link());
    await symlink(to, link());
  };
  // Runs `swap` once, right after the first call of `name` on the link returns.
  const after = (name: 'realpath' | 'open', swap: () => Promise<void>): void => {
    let done = false;
    const fn = original[name] as (...args: unknown[]) => Promise<unknown>;
    (fsp as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const result = await fn(...args);
      if (!done && args[0] === link()) {
        done = true;
        await swap();
      }
      return result;
    };
    syncBuiltinESMExports();
  };

  it('a link swapped to a file outside the folder right after the check is not read (it was, before)', async () => {
    await symlink('inventory.json', link());
    after('realpath', () => relink(join(dir, 'outside.json')));

    const assets = await new SnapshotDirectory(join(dir, 'snap')).instances().catch((e: Error) => e);
    // Either the checked file or a refusal; never the bytes of the file outside.
    if (assets instanceof Error) expect(assets).to.be.instanceOf(SourceError).with.property('code', 'SOURCE_OUTSIDE');
    else expect(assets.map((a) => a.instanceId)).to.not.include('i-0bad0bad0bad0bad0').and.to.not.be.empty;
  });

  it('a link that leads outside when opened and is swapped back before the check is refused', async () => {
    await symlink(join(dir, 'outside.json'), link());
    after('open', () => relink('inventory.json'));

    await expect(new SnapshotDirectory(join(dir, 'snap')).instances()).to.be.rejectedWith(SourceError, /ec2-describe-instances\.json in the snapshot directory .* refused/);
  });

  it('a plain link to a file outside the folder is refused, its content never read', async () => {
    await symlink(join(dir, 'outside.json'), link());
    await expect(new SnapshotDirectory(join(dir, 'snap')).instances())
      .to.be.rejectedWith(SourceError, `ec2-describe-instances.json in the snapshot directory ${join(dir, 'snap')} is a symbolic link to a file outside that folder`);
  });
});
