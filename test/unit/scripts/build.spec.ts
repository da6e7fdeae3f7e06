import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { needsBuild, pruneDist } from '../../../scripts/build.js';

/** A project as scripts/build.ts sees it: tsconfig.json, sources, and what an earlier build left in dist/. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sre-ops-build-'));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ include: ['domain', 'test'], compilerOptions: { outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' } }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('npm run build (scripts/build.ts): only what changed', () => {
  const roots: string[] = [];
  const make = (files: Record<string, string>): string => {
    const root = project(files);
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('deletes the compiled files of a removed source and keeps the rest of dist/', () => {
    const root = make({
      'domain/a.ts': '', 'dist/domain/a.js': '', 'dist/domain/a.d.ts': '',
      'dist/test/gone.spec.js': '', 'dist/test/gone.spec.js.map': '', 'dist/test/gone.spec.d.ts': '', 'dist/test/gone.spec.d.ts.map': '',
      'dist/lambda/slack/index.mjs': '', 'dist/.tsbuildinfo': '{}',
    });

    const { removed, rebuildAll } = pruneDist(root);

    expect([...removed].sort()).to.deep.equal(['dist/test/gone.spec.d.ts', 'dist/test/gone.spec.d.ts.map', 'dist/test/gone.spec.js', 'dist/test/gone.spec.js.map']);
    expect(existsSync(join(root, 'dist/domain/a.js'))).to.equal(true);
    expect(existsSync(join(root, 'dist/lambda/slack/index.mjs')), 'outside the compiled folders').to.equal(true);
    expect(rebuildAll).to.equal(false);
    expect(existsSync(join(root, 'dist/.tsbuildinfo'))).to.equal(true);
  });

  it('forgets the incremental state when a source has no compiled file, so tsc emits it again', () => {
    const root = make({ 'domain/a.ts': '', 'domain/b.ts': '', 'dist/domain/a.js': '', 'dist/.tsbuildinfo': '{}' });

    expect(pruneDist(root).rebuildAll).to.equal(true);
    expect(existsSync(join(root, 'dist/.tsbuildinfo'))).to.equal(false);
  });

  it('builds when there was no successful build or an input is newer than it, not otherwise', () => {
    const root = make({ 'domain/a.ts': '', 'test/fixtures/x.json': '{}', 'package.json': '{}', 'dist/domain/a.js': '' });
    expect(needsBuild(root), 'no stamp yet').to.equal(true);

    const past = new Date(Date.now() - 60_000);
    for (const f of ['domain/a.ts', 'test/fixtures/x.json', 'package.json', 'tsconfig.json']) utimesSync(join(root, f), past, past);
    writeFileSync(join(root, 'dist/.build-ok'), '');
    expect(needsBuild(root)).to.equal(false);

    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'test/fixtures/x.json'), later, later);
    expect(needsBuild(root), 'a fixture changed').to.equal(true);
  });
});
