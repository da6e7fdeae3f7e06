import { expect } from 'chai';
import { SlackAccess, slackAccessLists } from '../../../../../adapters/inbound/slack/slack-access.js';
import { DEFAULT_POLICY } from '../../../../../domain/policy.js';

describe('Slack access', () => {
  it('reads user group members once per few minutes, and mentions approvers', async () => {
    let now = 0;
    const calls: string[] = [];
    const api = { groupMembers: async (g: string) => (calls.push(g), g === 'S0APPROVE' ? ['U0002'] : []) };
    const access = new SlackAccess(slackAccessLists({ SRE_OPS_SLACK_APPROVERS: 'S0APPROVE U0009', SRE_OPS_SLACK_REQUESTERS: 'U0001' }), api, () => now);

    const bob = await access.actorOf({ id: 'U0002', name: 'bob' }, DEFAULT_POLICY);
    await access.actorOf({ id: 'U0002', name: 'bob' }, DEFAULT_POLICY);
    now += 6 * 60_000;
    await access.actorOf({ id: 'U0003', name: null }, DEFAULT_POLICY);

    expect(bob).to.deep.equal({ id: 'slack:U0002', displayName: 'bob', roles: ['viewer', 'approver'], via: 'slack' });
    expect(calls).to.deep.equal(['S0APPROVE', 'S0APPROVE']);
    expect(access.approverMentions()).to.deep.equal(['<!subteam^S0APPROVE>', '<@U0009>']);
  });

  it('does not keep a failed group lookup', async () => {
    let fail = true;
    const api = { groupMembers: async () => { if (fail) throw new Error('rate limited'); return ['U0002']; } };
    const access = new SlackAccess(slackAccessLists({ SRE_OPS_SLACK_APPROVERS: 'S0APPROVE' }), api);

    await access.actorOf({ id: 'U0002', name: null }, DEFAULT_POLICY).then(() => expect.fail('should fail'), () => {});
    fail = false;
    expect((await access.actorOf({ id: 'U0002', name: null }, DEFAULT_POLICY)).roles).to.include('approver');
  });
});
