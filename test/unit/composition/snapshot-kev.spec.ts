import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SnapshotDirectory } from '../../../adapters/outbound/snapshot/index.js';
import { snapshotKevCatalog } from '../../../composition/container.js';

/**
 * The snapshot's kev.json is opened once and its opened handle checked and read, like the other
 * files of the snapshot (test/unit/adapters/outbound/snapshot/snapshot-streaming.spec.ts): a link
 * swapped to a file outside the folder after the check is not read.
 */
describe('the snapshot\'s kev.json: what is checked is what is read (symbolic links)', () => {
  let dir: string;
  const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof FsPromises;
  const original = { open: fsp.open, readFile: fsp.readFile };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kev-toctou-'));
    await mkdir(join(dir, 'snap'));
    const kev = await readFile(join('test', 'fixtures', 'snapshots', 'history-1', 'kev.json'), 'utf8');
    await writeFile(join(dir, 'snap', 'kev-inside.json'), kev);
    // Outside the folder: a valid catalog too, with a CVE the snapshot's catalog does not have.
    await writeFile(join(dir, 'outside.json'), kev.replace('CVE-2023-21768', 'CVE-1999-0001'));
  });

  afterEach(async () => {
    Object.assign(fsp, original);
    syncBuiltinESMExports();
    await rm(dir, { recursive: true, force: true });
  });

  const link = (): string => join(dir, 'snap', 'kev.json');

  it('a kev.json link swapped to a file outside the folder after it was checked is not read (it was, before: read again by path)', async () => {
    await symlink('kev-inside.json', link());
    // Every later open or read of kev.json by its path finds the link swapped to the file outside.
    let opens = 0;
    const swapFirst = (name: 'open' | 'readFile') => async (...args: unknown[]) => {
      if (args[0] === link() && (name === 'readFile' || ++opens > 1)) {
        await unlink(link());
        await symlink(join(dir, 'outside.json'), link());
      }
      return (original[name] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
    Object.assign(fsp, { open: swapFirst('open'), readFile: swapFirst('readFile') });
    syncBuiltinESMExports();

    const loaded = await (await snapshotKevCatalog(new SnapshotDirectory(join(dir, 'snap')))).load();

    expect(loaded?.catalog.entries.has('CVE-1999-0001')).to.equal(false);
    expect(loaded?.catalog.entries.has('CVE-2023-21768')).to.equal(true);
  });

  it('a folder without kev.json has no catalog', async () => {
    const loaded = await (await snapshotKevCatalog(new SnapshotDirectory(join(dir, 'snap')))).load();
    expect(loaded).to.equal(null);
  });
});
