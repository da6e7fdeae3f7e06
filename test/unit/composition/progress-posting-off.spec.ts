import { expect } from 'chai';
import { progressPostingOff } from '../../../composition/progress-posters.js';

describe('progressPostingOff: what the service says at start about chat platforms it cannot post progress to', () => {
  it('names the missing variables of each platform, never a value', () => {
    const teams = (env: Record<string, string>): string | undefined => progressPostingOff(env).find((o) => o.platform === 'teams')?.message;

    expect(progressPostingOff({ SLACK_BOT_TOKEN: 'xoxb-1', MicrosoftAppId: 'app-1', MicrosoftAppPassword: 'pw-1' })).to.deep.equal([]);
    expect(progressPostingOff({ MicrosoftAppId: 'app-1', MicrosoftAppPassword: 'pw-1' }).map((o) => o.platform)).to.deep.equal(['slack']);
    expect(teams({ SLACK_BOT_TOKEN: 'xoxb-1' })).to.match(/^MicrosoftAppId, MicrosoftAppPassword: not set: Teams progress posting is disabled/);
    expect(teams({ MicrosoftAppId: 'app-1', MicrosoftAppPassword: '  ' })).to.match(/^MicrosoftAppPassword: not set: /);
    expect(JSON.stringify(progressPostingOff({ MicrosoftAppId: 'app-secret-id' }))).to.not.contain('app-secret-id');
  });
});
