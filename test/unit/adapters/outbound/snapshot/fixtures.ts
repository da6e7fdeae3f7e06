/** Where the hand-written snapshot fixtures are, from the source tree or from dist/ alike. */
import { join } from 'node:path';
import { repoRoot } from '../../../../../scripts/generate-demo-fleet.js';

export function fixture(name: string): string {
  return join(repoRoot(), 'test', 'fixtures', 'snapshots', name);
}

export function demoFleet(): string {
  return join(repoRoot(), 'examples', 'demo-fleet');
}
