import type * as fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { expect } from 'chai';
import { buildContainer } from '../../../composition/container.js';
import { TOKENS } from '../../../composition/tokens.js';
import { fixture } from '../adapters/outbound/snapshot/fixtures.js';

/**
 * A snapshot without snapshot.json is assessed as of the newest lastObservedAt of its findings.
 * That time comes from the report's own read of the findings file: the file is opened once per
 * report, not once more for the time.
 */
describe('a snapshot without snapshot.json: its time comes with the one read of its findings', () => {
  const require = createRequire(import.meta.url);
  const fsc = require('node:fs') as typeof fs;
  const fsp = require('node:fs/promises') as typeof FsPromises;
  const original = { open: fsc.open, openSync: fsc.openSync, popen: fsp.open };
  let opens: string[] = [];
  const FILE = 'inspector2-list-findings.json';

  beforeEach(() => {
    opens = [];
    const note = (path: unknown): void => {
      if (String(path).endsWith(FILE)) opens.push(String(path));
    };
    // Every way a file is opened: the callback API (streams), the synchronous one and promises.
    Object.assign(fsc, {
      open: (path: fs.PathLike, ...rest: unknown[]) => {
        note(path);
        return (original.open as (...a: unknown[]) => void)(path, ...rest);
      },
      openSync: (path: fs.PathLike, ...rest: unknown[]) => {
        note(path);
        return (original.openSync as (...a: unknown[]) => number)(path, ...rest);
      },
    });
    Object.assign(fsp, {
      open: (path: fs.PathLike, ...rest: unknown[]) => {
        note(path);
        return (original.popen as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
      },
    });
    syncBuiltinESMExports();
  });

  afterEach(() => {
    Object.assign(fsc, { open: original.open, openSync: original.openSync });
    Object.assign(fsp, { open: original.popen });
    syncBuiltinESMExports();
  });

  it('assess opens the findings file once (twice before), as of its newest observation', async () => {
    const c = await buildContainer({ source: `snapshot:${fixture('no-manifest')}` });
    try {
      const report = await c.get(TOKENS.AssessFleet).execute();
      expect(opens).to.deep.equal([join(fixture('no-manifest'), FILE)]);
      // The fixture's newest lastObservedAt: 1795167000.5 epoch seconds (finding 0002).
      expect(report.generatedAt).to.equal(new Date(1795167000500).toISOString());
      expect(report.asOf).to.equal('lastObservedAt');
    } finally {
      await c.get(TOKENS.Assistant).close();
    }
  });

  it('a report that asks for the time before reading findings reads the file for it, once', async () => {
    const c = await buildContainer({ source: `snapshot:${fixture('no-manifest')}` });
    try {
      // The compliance summary reads no findings: the time needs a read of its own.
      const summary = await c.get(TOKENS.SummarizeCompliance).execute();
      expect(summary.generatedAt).to.equal(new Date(1795167000500).toISOString());
      expect(opens).to.have.length(1);
      // The assessment reads the findings (once) and takes the time from that read.
      const report = await c.get(TOKENS.AssessFleet).execute();
      expect(report.generatedAt).to.equal(new Date(1795167000500).toISOString());
      expect(opens).to.have.length(2);
    } finally {
      await c.get(TOKENS.Assistant).close();
    }
  });
});
