/**
 * Usage errors yargs itself finds (a value outside an option's choices, a required option left
 * out, a positional argument left out) and a core message that spells the field as the CLI does: each is one line naming the
 * option as typed, exit 2, as the README promises. In process: the CLI refuses before it builds
 * an assistant.
 */
import { expect } from 'chai';
import { runCli } from '../../../../../adapters/inbound/cli/cli-app.js';
import { yargsUsageLine } from '../../../../../adapters/inbound/cli/errors.js';
import { runCliInProcess } from '../../../../support/cli-in-process.js';

async function refused(...argv: string[]): Promise<{ code: number; line: string }> {
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: () => {} },
    stderr: { write: (s: string) => (stderr += s) },
    env: { NO_COLOR: '1' },
    version: 'test',
    createAssistant: () => Promise.reject(new Error('a usage error must be found before the assistant is built')),
  });
  const lines = stderr.split('\n').filter((l) => l && !l.startsWith('run "sre-ops --help"'));
  expect(lines, stderr).to.have.length(1);
  return { code, line: lines[0] as string };
}

describe('CLI usage errors name the option as typed, on one line', () => {
  it('a value outside the choices', async () => {
    const reboot = await refused('patch', 'web-1', '--reboot', 'sometimes');
    const decision = await refused('assess', '--decision', 'urgent');

    expect(reboot).to.deep.equal({ code: 2, line: 'error: --reboot: expected one of if-needed, never, got "sometimes"' });
    expect(decision.code).to.equal(2);
    expect(decision.line).to.equal('error: --decision: expected one of patch-now, next-window, routine, mitigate, blocked, none, got "urgent"');
  });

  it('required options left out', async () => {
    expect(await refused('accept', 'CVE-2024-1086', '--fleet')).to.deep.equal({ code: 2, line: 'error: --until, --reason: required' });
    expect(await refused('accept', 'CVE-2024-1086', '--fleet', '--until', '2027-01-01')).to.deep.equal({ code: 2, line: 'error: --reason: required' });
  });

  it('a missing positional argument, by its name in the usage line', async () => {
    expect(await refused('approve')).to.deep.equal({ code: 2, line: 'error: RUN: required (sre-ops approve <run>)' });
    expect(await refused('--source', 'demo', 'findings')).to.deep.equal({ code: 2, line: 'error: INSTANCE: required (sre-ops findings <instance>)' });
  });

  it('a core message that spells the field as the CLI does gets its dashes', async () => {
    const r = await runCliInProcess(['findings', 'web-1', '--min-severity', 'urgent']);

    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('error: --min-severity: expected one of informational, low, medium, high, critical, got "urgent"');
  });

  it('keeps any other yargs message, on one line', () => {
    expect(yargsUsageLine('Unknown argument: bogus')).to.equal('Unknown argument: bogus');
    expect(yargsUsageLine('Invalid values:\n  Argument: a, Given: "x", Choices: "y"\n  Argument: b, Given: "z", Choices: "w"')).to.equal('--a: expected one of y, got "x"; --b: expected one of w, got "z"');
  });
});
