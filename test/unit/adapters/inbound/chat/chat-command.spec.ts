import { expect } from 'chai';
import { ChatUsageError, LEGACY_ALIASES, parseChatCommand, parseSlashCommand, tokenize } from '../../../../../adapters/inbound/chat/chat-command.js';

describe('chat command grammar', () => {
  it('reads every subcommand', () => {
    expect(parseChatCommand('')).to.deep.equal({ name: 'help' });
    expect(parseChatCommand('assess')).to.deep.equal({ name: 'assess', instance: null });
    expect(parseChatCommand('assess web-1')).to.deep.equal({ name: 'assess', instance: 'web-1' });
    expect(parseChatCommand('findings web-1 high')).to.deep.equal({ name: 'findings', instance: 'web-1', minSeverity: 'high' });
    expect(parseChatCommand('findings web-1 --min-severity=critical')).to.deep.equal({ name: 'findings', instance: 'web-1', minSeverity: 'critical' });
    expect(parseChatCommand('plan')).to.deep.equal({ name: 'plan' });
    expect(parseChatCommand('COMPLIANCE')).to.deep.equal({ name: 'compliance' });
    expect(parseChatCommand('metrics web-1 --hours 48')).to.deep.equal({ name: 'metrics', instance: 'web-1', hours: 48 });
    expect(parseChatCommand('activity web-1')).to.deep.equal({ name: 'activity', instance: 'web-1', hours: null });
    expect(parseChatCommand('patch web-1 web-2,web-3 --dry-run --no-reboot')).to.deep.equal({ name: 'patch', instances: ['web-1', 'web-2', 'web-3'], fromPlan: false, dryRun: true, reboot: 'never' });
    expect(parseChatCommand('patch --plan')).to.deep.include({ name: 'patch', instances: [], fromPlan: true, reboot: 'if-needed' });
    expect(parseChatCommand('status run-42')).to.deep.equal({ name: 'status', runId: 'run-42' });
    expect(parseChatCommand('runs')).to.deep.equal({ name: 'runs' });
    expect(parseChatCommand('accept cve-2024-1086 fleet 30 “vendor fix” due next week')).to.deep.equal({ name: 'accept', vulnerabilityId: 'CVE-2024-1086', instance: null, days: 30, reason: 'vendor fix due next week' });
    expect(parseChatCommand('accept alas-2025-2879 web-1 30 vendor fix pending --force')).to.deep.equal({ name: 'accept', vulnerabilityId: 'ALAS-2025-2879', instance: 'web-1', days: 30, reason: 'vendor fix pending', force: true });
  });

  it('takes Slack\'s em dash for a typed double hyphen', () => {
    expect(parseChatCommand('patch web-1 —dry-run')).to.deep.include({ dryRun: true });
  });

  it('refuses malformed commands with the usage line', () => {
    const cases: [string, RegExp, string | null][] = [
      ['frobnicate', /unknown command "frobnicate"/, 'help'],
      ['metrics', /missing INSTANCE/, 'metrics INSTANCE [--hours N]'],
      ['plan now', /unexpected "now"/, 'plan'],
      ['patch', /at least one instance/, 'patch INSTANCE... | --plan [--dry-run] [--no-reboot]'],
      ['patch web-1 --plan', /not both/, 'patch INSTANCE... | --plan [--dry-run] [--no-reboot]'],
      ['patch web-1 --reboot sometimes', /if-needed or never/, 'patch INSTANCE... | --plan [--dry-run] [--no-reboot]'],
      ['accept CVE-1 web-1 soon because', /whole number of days/, 'accept CVE INSTANCE|fleet DAYS REASON [--force]'],
      ['accept CVE-1 web-1 30', /needs CVE, INSTANCE/, 'accept CVE INSTANCE|fleet DAYS REASON [--force]'],
      ['metrics web-1 --hours -3', /whole number of hours/, 'metrics INSTANCE [--hours N]'],
      ['assess web-1 --verbose', /unknown option --verbose/, 'assess [INSTANCE]'],
    ];
    for (const [text, message, usage] of cases) {
      const err = (() => {
        try {
          parseChatCommand(text);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err, text).to.be.instanceOf(ChatUsageError);
      expect((err as ChatUsageError).message, text).to.match(message);
      expect((err as ChatUsageError).usage, text).to.equal(usage);
    }
  });

  it('groups quoted words', () => {
    expect(tokenize(`a "b c" 'd e' ‘f g’ h`)).to.deep.equal(['a', 'b c', 'd e', 'f g', 'h']);
  });

  it('maps every legacy slash command to a subcommand, with a note', () => {
    expect(Object.keys(LEGACY_ALIASES).sort()).to.deep.equal(['/health', '/metrics', '/patch-now', '/patch-status', '/report', '/schedule-patch', '/security-events', '/show-patches', '/vuln-check']);
    expect(parseSlashCommand('/patch-now', 'web-1 web-2')).to.deep.equal({
      command: { name: 'patch', instances: ['web-1', 'web-2'], fromPlan: false, dryRun: false, reboot: 'if-needed' },
      note: '`/patch-now` is `/sre patch` now',
    });
    expect(parseSlashCommand('/security-events', 'db-primary').command).to.deep.equal({ name: 'activity', instance: 'db-primary', hours: null });
    expect(parseSlashCommand('/show-patches', 'web-1')).to.deep.equal({ command: { name: 'runs' }, note: '`/show-patches` is `/sre runs` now (it takes no arguments: "web-1" was ignored)' });
    expect(parseSlashCommand('/sre-staging', 'plan', '/sre')).to.deep.equal({ command: { name: 'plan' }, note: null });
  });
});
