import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { INPUTS, onlyResource, synthesized, useSynth } from './support/synth.js';

function methods(): Record<string, { Properties: Record<string, unknown> }> {
  return synthesized().templates.api.findResources('AWS::ApiGateway::Method') as Record<string, { Properties: Record<string, unknown> }>;
}

function method(logicalIdPrefix: string): Record<string, unknown> {
  const hit = Object.entries(methods()).find(([id]) => id.startsWith(logicalIdPrefix));
  if (!hit) throw new Error(`no method ${logicalIdPrefix}*`);
  return hit[1].Properties;
}

describe('infra 4. API Gateway', () => {
  useSynth();

  it('proxies every path to the load balancer over HTTPS, with an API key and the origin header', () => {
    const proxy = method('ApiproxyANY');

    expect(proxy).to.include({ HttpMethod: 'ANY', ApiKeyRequired: true, AuthorizationType: 'NONE' });
    const integration = proxy.Integration as { Type: string; Uri: string; RequestParameters: Record<string, unknown> };
    expect(integration.Type).to.equal('HTTP_PROXY');
    expect(integration.Uri).to.equal(`https://${INPUTS.domainName}/{proxy}`);
    expect(integration.RequestParameters['integration.request.path.proxy']).to.equal('method.request.path.proxy');
    expect(JSON.stringify(integration.RequestParameters['integration.request.header.X-Origin-Verify'])).to.match(/'\{\{resolve:secretsmanager:.*:SecretString:::\}\}'/);
  });

  it('routes /slack/events and /teams/messages to the bot Lambdas, without an API key (they verify their callers)', () => {
    const t = synthesized().templates.api;
    for (const [prefix, exported] of [['ApislackeventsPOST', 'Slack'], ['ApiteamsmessagesPOST', 'Teams']] as const) {
      const m = method(prefix);
      expect(m).to.include({ HttpMethod: 'POST', ApiKeyRequired: false });
      const integration = m.Integration as { Type: string; Uri: unknown };
      expect(integration.Type).to.equal('AWS_PROXY');
      expect(JSON.stringify(integration.Uri)).to.match(new RegExp(`SreOps-Bots:ExportsOutputFnGetAtt${exported}`));
    }
    const paths = Object.values(t.findResources('AWS::ApiGateway::Resource')).map((r) => (r as { Properties: { PathPart: string } }).Properties.PathPart).sort();
    expect(paths).to.deep.equal(['events', 'messages', 'slack', 'teams', '{proxy+}']);
    expect(Object.keys(t.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } }))).to.have.length(2);
  });

  it('enforces a usage plan of 100 requests a second and 10,000 a day, with an API key in it', () => {
    const t = synthesized().templates.api;

    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 100, BurstLimit: 200 },
      Quota: { Limit: 10000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ Stage: { Ref: Match.stringLikeRegexp('^ApiDeploymentStage') } })],
    });
    t.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    t.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { KeyType: 'API_KEY' });
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'HEADER', EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  it('writes JSON access logs and error execution logs, traces with X-Ray, and is behind its own WAF web ACL', () => {
    const t = synthesized().templates.api;
    const stage = onlyResource(t, 'AWS::ApiGateway::Stage').Properties as { AccessLogSetting: { DestinationArn: unknown; Format: string }; MethodSettings: unknown[]; TracingEnabled: boolean; StageName: string };

    expect(stage.StageName).to.equal('staging');
    expect(stage.AccessLogSetting.DestinationArn).to.deep.equal({ 'Fn::GetAtt': [Object.keys(t.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/apigateway/sre-ops-assistant/access' } }))[0], 'Arn'] });
    expect(JSON.parse(stage.AccessLogSetting.Format)).to.include({ requestId: '$context.requestId', status: '$context.status' });
    expect(stage.MethodSettings).to.deep.include({ DataTraceEnabled: false, HttpMethod: '*', LoggingLevel: 'ERROR', MetricsEnabled: true, ResourcePath: '/*', ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
    expect(stage.TracingEnabled).to.equal(true);
    t.hasResourceProperties('AWS::WAFv2::WebACL', { Name: 'sre-ops-assistant-api', Scope: 'REGIONAL' });
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });

  it('answers at api.<domain> with the edge certificate and TLS 1.2', () => {
    const t = synthesized().templates.api;

    t.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: `api.${INPUTS.domainName}`,
      SecurityPolicy: 'TLS_1_2',
      RegionalCertificateArn: { 'Fn::ImportValue': Match.stringLikeRegexp('Certificate') },
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: `api.${INPUTS.domainName}.`, Type: 'A', HostedZoneId: INPUTS.hostedZoneId });
  });
});
