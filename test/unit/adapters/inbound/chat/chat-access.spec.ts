import { expect } from 'chai';
import { chatRoles, readAccessLists } from '../../../../../adapters/inbound/chat/chat-access.js';
import { ValidationError } from '../../../../../domain/errors.js';

const VARS = { viewers: 'V', requesters: 'R', approvers: 'A', admins: 'X' };
const SLACK_ID = /^[UWS][A-Z0-9]{2,}$/;
const policy = (actors: Record<string, ('viewer' | 'operator' | 'approver' | 'admin')[]> = {}, others: ('viewer' | 'operator')[] = ['viewer']) => ({ access: { actors, localUser: ['admin' as const], others } });

describe('chat roles from configuration', () => {
  const member = (ids: string[]) => async (entry: string) => ids.includes(entry);

  it('gives everyone the policy\'s access.others, and a role per list that names them', async () => {
    const lists = readAccessLists({ R: 'U0001, U0002', A: 'S0009' }, VARS, SLACK_ID, 'an id');

    expect(await chatRoles('slack:U0003', lists, member(['U0003']), policy())).to.deep.equal(['viewer']);
    expect(await chatRoles('slack:U0001', lists, member(['U0001']), policy())).to.deep.equal(['viewer', 'operator']);
    expect(await chatRoles('slack:U0004', lists, member(['U4', 'S0009']), policy())).to.deep.equal(['viewer', 'approver']);
  });

  it('restricts reading to the viewer list when one is set, except for the other lists and named actors', async () => {
    const lists = readAccessLists({ V: 'U0005', R: 'U0001' }, VARS, SLACK_ID, 'an id');

    expect(await chatRoles('slack:U0003', lists, member(['U0003']), policy())).to.deep.equal([]);
    expect(await chatRoles('slack:U0005', lists, member(['U0005']), policy())).to.deep.equal(['viewer']);
    expect(await chatRoles('slack:U0001', lists, member(['U0001']), policy())).to.deep.equal(['operator']);
    expect(await chatRoles('slack:U0007', lists, member(['U0007']), policy({ 'slack:U0007': ['approver'] }))).to.deep.equal(['approver']);
  });

  it('refuses a malformed entry, naming the variable', () => {
    expect(() => readAccessLists({ A: 'U0001 alice' }, VARS, SLACK_ID, 'a Slack user id')).to.throw(ValidationError, 'A: "alice" is not a Slack user id');
  });
});
