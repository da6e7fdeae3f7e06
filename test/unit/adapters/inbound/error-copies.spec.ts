import { expect } from 'chai';
import * as here from '../../../../domain/errors.js';
import { describeError } from '../../../../adapters/inbound/chat/chat-errors.js';
import { exitCodeFor, messageFor } from '../../../../adapters/inbound/cli/errors.js';
import { mapError } from '../../../../adapters/inbound/http/http-errors.js';
import { errorMessage } from '../../../../adapters/inbound/mcp/tool-result.js';

// A second copy of domain/errors, as when the sources run with tsx beside the build (or a bundle
// beside the package): an ESM module imported under another URL is evaluated again, so its
// classes are not the adapters' classes and `instanceof` says no.
const SECOND_COPY = new URL('../../../../domain/errors.js?second-copy', import.meta.url).href;
const copy = (await import(SECOND_COPY)) as typeof here;

const CTX = { accessHelp: 'roles come from the policy', helpCommand: '/sre help', log: () => {} };

describe('inbound adapters classify errors by kind, not class identity (issue 15)', () => {
  it('the copy is really another class', () => {
    expect(new copy.ValidationError('limit', 'x')).not.to.be.instanceOf(here.ValidationError);
  });

  const CASES = [
    { error: () => new copy.ValidationError('limit', 'a whole number', 'limit: expected a whole number'), exit: 2, status: 400, code: 'VALIDATION_FAILED', chat: 'That does not work', mcp: 'limit: expected a whole number' },
    { error: () => new copy.NotFoundError('instance', 'web-9', ['web-1']), exit: 1, status: 404, code: 'NOT_FOUND', chat: 'No instance "web-9"', mcp: 'instance: no instance matches "web-9"; did you mean "web-1"?' },
    { error: () => new copy.AmbiguousError('instance', 'web', ['i-1', 'i-2']), exit: 1, status: 409, code: 'AMBIGUOUS', chat: '"web" is ambiguous', mcp: 'instance: "web" names 2 instances: i-1, i-2; use an instance id' },
    { error: () => new copy.ForbiddenError('viewer may not approve'), exit: 1, status: 403, code: 'FORBIDDEN', chat: 'Not allowed', mcp: 'forbidden: viewer may not approve' },
    { error: () => new copy.ConflictError('STALE_VERSION', 'run r-1 changed'), exit: 1, status: 409, code: 'STALE_VERSION', chat: 'That cannot be done now', mcp: 'STALE_VERSION: run r-1 changed' },
    { error: () => new copy.SourceError('ec2', 'DescribeInstances', 'slow down', { code: 'ThrottlingException' }), exit: 1, status: 503, code: 'SOURCE_UNAVAILABLE', chat: 'Amazon EC2 did not answer', mcp: 'data source failed (ec2 DescribeInstances, ThrottlingException): slow down' },
  ];
  for (const c of CASES) {
    const err = c.error();
    it(`${err.name} from the other copy maps as from this one`, () => {
      expect(exitCodeFor(err)).to.equal(c.exit);
      expect(messageFor(err)).not.to.contain('internal error');
      const mapped = mapError(err, 'req-1');
      expect(mapped.status).to.equal(c.status);
      expect(mapped.body.error.code).to.equal(c.code);
      expect(describeError(err, CTX).title).to.equal(c.chat);
      expect(errorMessage(err)).to.equal(c.mcp);
    });
  }

  it('a CLI message names the flag for the core\'s field, from either copy', () => {
    expect(messageFor(new copy.ValidationError('durationHours', 'x', 'durationHours: expected a whole number from 1 to 24, got 30'))).to.equal('error: --duration: expected a whole number from 1 to 24, got 30');
    expect(messageFor(new here.ValidationError('stateStore.path', 'x', 'stateStore.path: /tmp is a folder'))).to.equal('error: --state: /tmp is a folder');
  });
});
