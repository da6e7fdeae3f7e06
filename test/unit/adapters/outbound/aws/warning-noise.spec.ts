import { expect } from 'chai';
import { toSourceError } from '../../../../../adapters/outbound/aws/aws-errors.js';
import { SourceError } from '../../../../../domain/errors.js';
import { warningFrom } from '../../../../../ports/use-cases/shared/warnings.js';

// Issue 15, item 8: a warning names the service, operation and code once, without the SDK's
// advice for its own debuggers.
describe('source warnings without noise', () => {
  const sdkError = Object.assign(new Error('Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });

  it('leave out the SDK\'s "inspect the hidden field {error}.$response" and say service:operation and code once', () => {
    const w = warningFrom('cloudwatch', 'GetMetricData', toSourceError(sdkError, 'cloudwatch', 'GetMetricData'));

    expect(w).not.to.contain('$response');
    expect(w).to.equal('cloudwatch:GetMetricData failed (InternalFailure): InternalFailure; the answer is partial');
    expect(w.match(/GetMetricData/g)).to.have.length(1);
  });

  it('still name service, operation and code when the message does not', () => {
    const w = warningFrom('ssm', 'ListComplianceItems', new SourceError('ssm', 'ListComplianceItems', 'the compliance data was cut short', { code: 'Truncated' }));

    expect(w).to.equal('ssm:ListComplianceItems (Truncated): the compliance data was cut short; the answer is partial');
  });

  it('an access denial names the IAM action and code once', () => {
    const denied = Object.assign(new Error('User: arn:aws:iam::1:user/x is not authorized to perform: cloudtrail:LookupEvents'), { name: 'AccessDeniedException' });
    const w = warningFrom('cloudtrail', 'LookupEvents', toSourceError(denied, 'cloudtrail', 'LookupEvents'));

    expect(w).to.equal('access denied: the caller lacks IAM permission "cloudtrail:LookupEvents" (AccessDeniedException); see docs/iam-policy.json; the answer is partial');
  });
});
