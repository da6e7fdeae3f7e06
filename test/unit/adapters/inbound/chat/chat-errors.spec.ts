import { expect } from 'chai';
import { ChatUsageError } from '../../../../../adapters/inbound/chat/chat-command.js';
import { describeError } from '../../../../../adapters/inbound/chat/chat-errors.js';
import { AmbiguousError, ForbiddenError, NotFoundError, SourceError, ValidationError } from '../../../../../domain/errors.js';

describe('chat error messages', () => {
  const logged: [string, unknown][] = [];
  const ctx = { accessHelp: 'ask for a role', helpCommand: '/sre help', log: (ref: string, err: unknown) => void logged.push([ref, err]) };

  it('turns each failure into something a person can act on', () => {
    expect(describeError(new NotFoundError('instance', 'web-9', ['web-1', 'web-2']), ctx)).to.deep.include({ title: 'No instance "web-9"', hints: ['did you mean `web-1`, `web-2`?', 'instances go by id (i-0abc...) or Name tag; `assess` lists them all'] });
    expect(describeError(new AmbiguousError('instance', 'web', ['i-1', 'i-2']), ctx).title).to.equal('"web" is ambiguous');
    expect(describeError(new ForbiddenError('slack:U1 (viewer) may not request a patch run: that needs the operator or admin role'), ctx)).to.deep.include({ title: 'Not allowed', hints: ['ask for a role'] });
    expect(describeError(new SourceError('inspector2', 'ListFindings', 'throttled', { code: 'ThrottlingException' }), ctx)).to.deep.include({ title: 'Amazon Inspector did not answer', text: 'Amazon Inspector (ListFindings, ThrottlingException): throttled' });
    expect(describeError(new ValidationError('hours', 'a number'), ctx).title).to.equal('That does not work');
    expect(describeError(new ChatUsageError('unknown command "x"', 'help'), ctx).hints).to.deep.equal(['`/sre help` lists every command']);
    expect(logged).to.have.length(0);
  });

  it('logs an unexpected error under a reference and shows only the reference', () => {
    const p = describeError(new TypeError('x is undefined'), ctx);

    expect(p.reference).to.match(/^[0-9a-f]{8}$/);
    expect(p.text).to.equal(`The details are in the bot's logs under reference ${p.reference}.`);
    expect(logged[0]![0]).to.equal(p.reference);
  });
});
