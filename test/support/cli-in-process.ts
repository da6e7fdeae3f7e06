/**
 * The CLI run in this process (runCli) over the real composition, its output captured: what
 * composition/cli.ts does, with the source, --state, --actor and --now of the command line, and
 * whatever a spec pins on top (the OS user, a policy, a patch runner that reaches no AWS account).
 */
import type { GlobalOptions } from '../../adapters/inbound/cli/command-context.js';
import { runCli } from '../../adapters/inbound/cli/cli-app.js';
import { createAssistant, type AssistantOptions } from '../../composition/index.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCliInProcess(argv: readonly string[], pinned: AssistantOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { NO_COLOR: '1' },
    version: 'test',
    createAssistant: (o: GlobalOptions) =>
      createAssistant({
        ...(o.source !== undefined ? { source: o.source } : {}),
        ...(o.now !== undefined ? { now: o.now } : {}),
        ...(o.actor !== undefined ? { actor: o.actor } : {}),
        ...(o.state !== undefined ? { stateStore: { kind: 'sqlite', path: o.state } } : {}),
        via: 'cli',
        ...pinned,
      }),
  });
  return { code, stdout, stderr };
}
