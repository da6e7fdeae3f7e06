import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whether tests run from TypeScript (tsx) or from dist/. */
export const REPO_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
})();

/** The built CLI (npm test builds before it runs mocha). */
export const CLI = join(REPO_ROOT, 'dist', 'composition', 'cli.js');
export const DEMO_FLEET = join(REPO_ROOT, 'examples', 'demo-fleet');
