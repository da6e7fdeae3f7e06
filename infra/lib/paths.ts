/**
 * Files the infrastructure reads from the project: the Dockerfile, the Lambda bundles of
 * `npm run bundle`, the IAM operation list. Infra imports nothing from the app but these paths.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whether this runs from TypeScript (tsx, cdk) or from dist/ (tests). */
export function findRepoRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${from}`);
    dir = up;
  }
  return dir;
}

/** The names `npm run bundle` writes to dist/lambda/<name>/index.mjs. */
export type LambdaName = 'slack' | 'teams' | 'collector' | 'org-assessment';

/**
 * The folder holding one Lambda's bundle (index.mjs and its chunks/, uploaded whole), checked now so a missing bundle fails the synth with
 * what to do rather than an asset error from deep inside the CDK.
 */
export function lambdaBundle(bundleDir: string, name: LambdaName): string {
  const dir = join(bundleDir, name);
  if (!existsSync(join(dir, 'index.mjs'))) {
    throw new Error(
      `Lambda bundle "${name}" not found: expected ${join(dir, 'index.mjs')}. ` +
        'Run `npm run bundle` first (it writes dist/lambda/<name>/index.mjs), or pass -c lambdaBundleDir=DIR.',
    );
  }
  return dir;
}

/** The service image's build context; its Dockerfile must exist. */
export function dockerContext(dir: string): string {
  if (!existsSync(join(dir, 'Dockerfile'))) {
    throw new Error(`Dockerfile not found in ${dir}: the service image is built from the project's Dockerfile.`);
  }
  return dir;
}
