import { expect } from 'chai';
import { awsErrorCode, isThrottlingError, toSourceError } from '../../../../../adapters/outbound/aws/aws-errors.js';
import { SourceError } from '../../../../../domain/errors.js';
import { awsError } from '../../../../integration/aws/aws-fixtures.js';

describe('toSourceError', () => {
  it('names the IAM action of the operation on AccessDeniedException', () => {
    const e = toSourceError(awsError('AccessDeniedException', 'You are not authorized'), 'inspector2', 'ListFindings');

    expect(e).to.be.instanceOf(SourceError);
    expect(e).to.include({ service: 'inspector2', operation: 'ListFindings', code: 'AccessDeniedException' });
    expect(e.message).to.equal('access denied: the caller lacks IAM permission "inspector2:ListFindings" (AccessDeniedException); see docs/iam-policy.json');
  });

  it("prefers the action AWS names in the message (EC2's UnauthorizedOperation, a role to assume)", () => {
    const e = toSourceError(
      awsError('UnauthorizedOperation', 'You are not authorized to perform: ec2:DescribeInstances because no identity-based policy allows it'),
      'ec2',
      'DescribeInstances',
    );
    const assume = toSourceError(
      awsError('AccessDenied', 'User: arn:aws:iam::1:user/a is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/r', 403),
      'ec2',
      'DescribeInstances',
    );

    expect(e.message).to.contain('"ec2:DescribeInstances"');
    expect(assume.message).to.contain('"sts:AssumeRole"');
    expect(assume.code).to.equal('AccessDenied');
  });

  it('says in one line how to supply credentials when the chain found none', () => {
    const noCreds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

    const e = toSourceError(noCreds, 'ec2', 'DescribeInstances');

    expect(e.code).to.equal('CredentialsProviderError');
    expect(e.message).to.match(/^no AWS credentials found: set AWS_PROFILE or /);
    expect(e.message).not.to.contain('\n');
  });

  it('says so when the region is missing', () => {
    const e = toSourceError(new Error('Region is missing'), 'sts', 'GetCallerIdentity');

    expect(e.code).to.equal('RegionMissing');
    expect(e.message).to.contain('--region');
  });

  it('tells rejected credentials apart from missing ones', () => {
    const e = toSourceError(awsError('ExpiredTokenException', 'The security token included in the request is expired'), 'ssm', 'DescribeInstanceInformation');

    expect(e.code).to.equal('ExpiredTokenException');
    expect(e.message).to.match(/^AWS rejected the credentials calling ssm:DescribeInstanceInformation/);
  });

  it('keeps the AWS code and message of any other error, and passes a SourceError through', () => {
    const original = awsError('InternalServerException', 'boom', 500);
    const e = toSourceError(original, 'cloudwatch', 'GetMetricData');
    const same = new SourceError('x', null, 'already mapped');

    expect(e.message).to.equal('cloudwatch:GetMetricData failed (InternalServerException): boom');
    expect(e.cause).to.equal(original);
    expect(toSourceError(same, 'ec2', 'DescribeInstances')).to.equal(same);
  });
});

describe('isThrottlingError and awsErrorCode', () => {
  it('recognizes each service family of throttling codes and HTTP 429', () => {
    for (const code of ['ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'TooManyRequestsException']) {
      expect(isThrottlingError(awsError(code)), code).to.equal(true);
    }
    expect(isThrottlingError(awsError('SomethingNew', 'x', 429))).to.equal(true);
    expect(isThrottlingError(awsError('AccessDeniedException'))).to.equal(false);
  });

  it('reads the Node code of network errors', () => {
    expect(awsErrorCode(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).to.equal('ECONNREFUSED');
    expect(awsErrorCode('a string')).to.equal('Unknown');
  });
});
