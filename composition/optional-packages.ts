/**
 * The HTTP service, the MCP server and the chat bots need packages a library user does not
 * install (they are optional peer dependencies). Loading such a part without them fails with a
 * line saying what to install, not a module-resolution stack trace.
 */
import { createRequire } from 'node:module';
import { DomainError } from '../domain/errors.js';

export class MissingPackagesError extends DomainError {
  readonly code = 'MISSING_PACKAGES';
  constructor(readonly feature: string, readonly packages: readonly string[]) {
    super(`${feature} needs the optional packages ${packages.join(', ')}: install them beside sre-ops-assistant (npm install ${packages.join(' ')}; with a global install, npm install -g ${packages.join(' ')})`);
  }
}

export const HTTP_PACKAGES = ['koa', '@koa/router', '@koa/bodyparser', 'pino', 'zod'] as const;
export const MCP_PACKAGES = ['@modelcontextprotocol/sdk', 'zod'] as const;

/** The packages among `packages` this module cannot resolve (not installed beside it). */
export function missingPackages(packages: readonly string[]): string[] {
  const require = createRequire(import.meta.url);
  return packages.filter((p) => {
    try {
      require.resolve(p);
      return false;
    } catch (err) {
      // An ES-module-only package is found but refuses require (ERR_PACKAGE_PATH_NOT_EXPORTED):
      // it is installed. Only "not found" means missing.
      return (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    }
  });
}

/**
 * For an entry point that imports optional packages statically: throws a MissingPackagesError
 * naming every missing one, where Node would name only the first it failed to resolve.
 */
export function requirePackages(feature: string, packages: readonly string[]): void {
  const missing = missingPackages(packages);
  if (missing.length) throw new MissingPackagesError(feature, missing);
}

/** Runs `load`; a missing package among `packages` becomes a MissingPackagesError. */
export async function withOptionalPackages<T>(feature: string, packages: readonly string[], load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if ((e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && packages.some((p) => e.message.includes(`'${p}'`))) {
      throw new MissingPackagesError(feature, packages);
    }
    throw err;
  }
}
