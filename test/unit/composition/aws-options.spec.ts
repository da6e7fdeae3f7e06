import { expect } from 'chai';
import { awsOptionsFrom } from '../../../composition/config.js';
import { assistantOptionsFrom } from '../../../composition/http-server.js';

const ALL = {
  region: 'eu-west-1', profile: 'ops', endpointUrl: 'http://127.0.0.1:5000', roleArn: 'arn:aws:iam::111111111111:role/Reader',
  regions: ['eu-west-1', 'us-east-1'], accounts: 'org' as const, assumeRole: 'SreOpsReadRole', externalId: 'x-1', patchRole: 'SreOpsPatchRole', inspector: 'administrator',
};

describe('awsOptionsFrom: the AWS flags of `sre-ops` and `sre-ops serve`, one mapping', () => {
  it('passes each flag given under its own name, and nothing for flags not given', () => {
    expect(awsOptionsFrom(ALL)).to.deep.equal(ALL);
    expect(awsOptionsFrom({})).to.deep.equal({});
    const some = awsOptionsFrom({ region: 'eu-west-1', accounts: ['111111111111'] });
    expect(some).to.deep.equal({ region: 'eu-west-1', accounts: ['111111111111'] });
    expect(Object.keys(some)).to.deep.equal(['region', 'accounts']);
  });

  it('the server process maps them the same way as the command line', () => {
    expect(assistantOptionsFrom(ALL, {}).aws).to.deep.equal(awsOptionsFrom(ALL));
    expect(assistantOptionsFrom({ source: 'aws' }, {}).aws).to.deep.equal({});
  });
});
