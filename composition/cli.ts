#!/usr/bin/env node
/** The `sre-ops` process: wires the CLI adapter to the container, sets the exit code. */
import { readFileSync } from 'node:fs';
import { hideBin } from 'yargs/helpers';
import { runCli, type GlobalOptions } from '../adapters/inbound/cli/cli-app.js';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import { awsOptionsFrom, stateStoreFromEnv } from './config.js';
import { createAssistant } from './index.js';
import { mcpService } from './mcp.js';
import { HTTP_PACKAGES, withOptionalPackages } from './optional-packages.js';

// The AWS SDK warns on every run under Node.js 20 that future releases will need 22. The README
// says so once; a person running a report does not need it on each command. Other warnings pass.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name === 'NodeVersionSupportWarning' || /NodeVersionSupportWarning/.test(w.message)) return;
  process.stderr.write(`(node) ${w.name}: ${w.message}\n`);
});

/** The package's own package.json: two levels up from dist/composition/, one from composition/ (tsx). */
function ownPackage(): { version: string } {
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sre-ops-assistant' && pkg.version) return { version: pkg.version };
    } catch {
      // try the next candidate
    }
  }
  return { version: '0.0.0' };
}

const pkg = ownPackage();

/** The Assistant for one command line's options (every command and service builds it this way). */
async function assistantFor(o: GlobalOptions, notice: (line: string) => void): Promise<Assistant> {
  if (o.source === undefined) notice('using the bundled demo fleet (synthetic data); pass --source snapshot:DIR or --source aws for your own');
  return createAssistant({
    ...(o.source !== undefined ? { source: o.source } : {}),
    ...(o.policy !== undefined ? { policyFile: o.policy } : {}),
    ...(o.kev !== undefined ? { kev: o.kev } : {}),
    ...(o.findings !== undefined ? { findings: o.findings } : {}),
    ...(o.now !== undefined ? { now: o.now } : {}),
    ...(o.strict === true ? { strict: true } : {}),
    ...(o.actor !== undefined ? { actor: o.actor } : {}),
    // The CLI's own state: --state, else SRE_OPS_STATE_TABLE, else its file under ~/.config.
    stateStore: stateStoreFromEnv(process.env, o.state),
    via: 'cli',
    aws: awsOptionsFrom(o),
  });
}

const code = await runCli(hideBin(process.argv), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  version: pkg.version,
  createAssistant: assistantFor,
  services: {
    mcp: mcpService({ createAssistant: assistantFor, stdin: process.stdin, stdout: process.stdout, version: pkg.version }),
    // Loaded on demand: koa, pino and zod are needed by `serve` alone.
    serve: async (o, args, notice) =>
      (await withOptionalPackages('sre-ops serve', HTTP_PACKAGES, () => import('./http-server.js'))).serveService({ createAssistant: assistantFor, version: pkg.version, env: process.env })(o, args, notice),
  },
});
process.exitCode = code;
