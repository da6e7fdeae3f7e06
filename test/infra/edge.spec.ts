import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { INPUTS, onlyResource, synthesized, useSynth } from './support/synth.js';

describe('infra 2. edge', () => {
  useSynth();

  it('issues a certificate for the domain and api.<domain>, validated in the hosted zone from context', () => {
    synthesized().templates.edge.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: INPUTS.domainName,
      SubjectAlternativeNames: [`api.${INPUTS.domainName}`],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([{ DomainName: INPUTS.domainName, HostedZoneId: INPUTS.hostedZoneId }]),
    });
  });

  it('terminates TLS on an internet-facing load balancer that drops invalid headers and keeps its access logs in S3', () => {
    const t = synthesized().templates.edge;

    const alb = onlyResource(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties;
    expect(alb.Scheme).to.equal('internet-facing');
    const attributes = Object.fromEntries((alb.LoadBalancerAttributes as { Key: string; Value: unknown }[]).map((a) => [a.Key, a.Value]));
    expect(attributes).to.include({ 'access_logs.s3.enabled': 'true', 'routing.http.drop_invalid_header_fields.enabled': 'true', 'access_logs.s3.prefix': 'alb' });
    expect(attributes['access_logs.s3.bucket']).to.deep.equal({ Ref: Object.keys(t.findResources('AWS::S3::Bucket'))[0] });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  it('serves HTTPS with a TLS 1.2+ policy and redirects HTTP to HTTPS', () => {
    const t = synthesized().templates.edge;

    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^Certificate') } }],
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: `${INPUTS.domainName}.`, Type: 'A', HostedZoneId: INPUTS.hostedZoneId });
  });

  it('lets the tasks be reached on port 8000 from the load balancer only', () => {
    const t = synthesized().templates.edge;

    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlbSecurityGroup'), 'GroupId'] },
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceSecurityGroup'), 'GroupId'] },
    });
    const groups = Object.values(t.findResources('AWS::EC2::SecurityGroup')).map((g) => (g as { Properties: { SecurityGroupIngress?: { FromPort: number }[] } }).Properties);
    const open = groups.flatMap((g) => g.SecurityGroupIngress ?? []).map((r) => r.FromPort).sort();
    expect(open).to.deep.equal([443, 80]);
  });

  it('filters with a WAF web ACL: the three AWS managed rule groups, a rate-based rule and the API Gateway origin header', () => {
    const t = synthesized().templates.edge;

    const acl = onlyResource(t, 'AWS::WAFv2::WebACL').Properties as { Scope: string; DefaultAction: unknown; Rules: Record<string, unknown>[] };
    expect(acl.Scope).to.equal('REGIONAL');
    expect(acl.DefaultAction).to.deep.equal({ Allow: {} });
    const managed = acl.Rules.map((r) => (r.Statement as { ManagedRuleGroupStatement?: { Name: string; VendorName: string } }).ManagedRuleGroupStatement).filter((m) => m);
    expect(managed.map((m) => `${m?.VendorName}/${m?.Name}`).sort()).to.deep.equal([
      'AWS/AWSManagedRulesAmazonIpReputationList', 'AWS/AWSManagedRulesCommonRuleSet', 'AWS/AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    const rate = acl.Rules.find((r) => r.Name === 'RatePerClient');
    expect(rate?.Action).to.deep.equal({ Block: {} });
    expect(rate?.Statement).to.deep.include({
      RateBasedStatement: { Limit: 3000, EvaluationWindowSec: 300, AggregateKeyType: 'FORWARDED_IP', ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' } },
    });
    const origin = acl.Rules.find((r) => r.Name === 'RequireOriginHeader') as { Action: unknown; Statement: { NotStatement: { Statement: { ByteMatchStatement: { FieldToMatch: unknown; SearchString: unknown } } } } };
    expect(origin.Action).to.deep.equal({ Block: {} });
    expect(origin.Statement.NotStatement.Statement.ByteMatchStatement.FieldToMatch).to.deep.equal({ SingleHeader: { Name: 'x-origin-verify' } });
    expect(JSON.stringify(origin.Statement.NotStatement.Statement.ByteMatchStatement.SearchString)).to.contain('{{resolve:secretsmanager:');
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: Match.stringLikeRegexp('^Alb') },
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl'), 'Arn'] },
    });
  });

  it('keeps the WAF logs in an aws-waf-logs- log group, with credentials headers redacted', () => {
    const t = synthesized().templates.edge;

    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-sre-ops-assistant-alb' });
    t.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'x-api-key' } }, { SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'x-origin-verify' } }],
    });
  });
});
