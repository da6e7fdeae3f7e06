import { Template, Match } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { consoleOidcConfig } from '../../infra/lib/config.js';
import { buildApp } from '../../infra/lib/sre-ops-app.js';
import { REPO_ROOT } from '../support/paths.js';
import { newApp, synthesized, useSynth } from './support/synth.js';

const OIDC = {
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
  clientId: 'sre-ops-console',
  clientSecretName: 'sre-ops-assistant/console-oidc',
};

interface Env {
  Name: string;
  Value: unknown;
}

function envOf(t: Template): Env[] {
  const task = Object.values(t.findResources('AWS::ECS::TaskDefinition'))[0] as { Properties: { ContainerDefinitions: { Environment: Env[] }[] } };
  return task.Properties.ContainerDefinitions[0]?.Environment ?? [];
}

describe('infra: the console behind the load balancer\'s OIDC authentication (context consoleOidc)', function () {
  this.timeout(180_000);
  useSynth();
  let edge: Template;
  let service: Template;

  before(() => {
    const app = newApp({ consoleOidc: OIDC });
    const stacks = buildApp(app, REPO_ROOT);
    const assembly = app.synth();
    edge = Template.fromJSON(assembly.getStackByName(stacks.edge.stackName).template as Record<string, unknown>);
    service = Template.fromJSON(assembly.getStackByName(stacks.service.stackName).template as Record<string, unknown>);
  });

  it('authenticates /console and /console/* with OIDC on the HTTPS listener, then forwards to the service', () => {
    edge.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/console', '/console/*'] } }],
      Actions: [
        Match.objectLike({
          Type: 'authenticate-oidc',
          Order: 1,
          AuthenticateOidcConfig: Match.objectLike({
            Issuer: OIDC.issuer, AuthorizationEndpoint: OIDC.authorizationEndpoint, TokenEndpoint: OIDC.tokenEndpoint, UserInfoEndpoint: OIDC.userInfoEndpoint,
            ClientId: OIDC.clientId, Scope: 'openid email profile', SessionTimeout: 28800, OnUnauthenticatedRequest: 'authenticate',
          }),
        }),
        Match.objectLike({ Type: 'forward', Order: 2 }),
      ],
    });
    // The client secret is resolved from Secrets Manager at deploy, never written into the template.
    const rule = JSON.stringify(edge.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
    expect(rule).to.include(`{{resolve:secretsmanager:arn:`).and.include(`:secret:${OIDC.clientSecretName}:SecretString:::}}`);
  });

  it('lets browsers reach /console and the OIDC callback without the API Gateway\'s origin header; everything else still needs it', () => {
    const acl = Object.values(edge.findResources('AWS::WAFv2::WebACL'))[0] as { Properties: { Rules: { Name: string; Statement: unknown }[] } };
    const rule = acl.Properties.Rules.find((r) => r.Name === 'RequireOriginHeader');
    const statements = ((rule?.Statement as { NotStatement: { Statement: { OrStatement: { Statements: Record<string, { SearchString?: unknown; PositionalConstraint?: string }>[] } } } }).NotStatement.Statement.OrStatement.Statements);
    expect(statements.map((s) => s.ByteMatchStatement?.PositionalConstraint)).to.deep.equal(['EXACTLY', 'STARTS_WITH', 'STARTS_WITH']);
    expect(statements.slice(1).map((s) => s.ByteMatchStatement?.SearchString)).to.deep.equal(['/console', '/oauth2/idpresponse']);
  });

  it('lets the load balancer reach the identity provider (HTTPS out)', () => {
    edge.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Load balancer'),
      SecurityGroupEgress: Match.arrayWith([Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' })]),
    });
  });

  it('tells the service which load balancer signs the identity header, and the claim naming the person', () => {
    const env = envOf(service);
    expect(env.find((e) => e.Name === 'SRE_OPS_OIDC_IDENTITY_CLAIM')?.Value).to.equal('email');
    expect(JSON.stringify(env.find((e) => e.Name === 'SRE_OPS_ALB_SIGNER_ARN')?.Value)).to.match(/Fn::ImportValue.*Alb/);
  });

  it('without consoleOidc: no OIDC rule, no exemption from the origin header, no signer for the service', () => {
    const s = synthesized();
    expect(Object.keys(s.templates.edge.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))).to.have.length(0);
    expect(JSON.stringify(s.templates.edge.findResources('AWS::WAFv2::WebACL'))).not.to.include('/console');
    expect(envOf(s.templates.service).map((e) => e.Name)).not.to.include('SRE_OPS_ALB_SIGNER_ARN');
  });

  it('checks the context and names the field at fault', () => {
    expect(consoleOidcConfig(undefined)).to.equal(undefined);
    expect(consoleOidcConfig(JSON.stringify(OIDC))).to.deep.include({ identityClaim: 'email', sessionHours: 8 });
    expect(() => consoleOidcConfig({ ...OIDC, tokenEndpoint: 'http://idp.example.com/token' })).to.throw(/^context consoleOidc.tokenEndpoint: expected an https:\/\/ URL/);
    expect(() => consoleOidcConfig({ ...OIDC, clientSecretName: 'arn:aws:secretsmanager:x' })).to.throw(/^context consoleOidc.clientSecretName/);
    expect(() => consoleOidcConfig({ ...OIDC, clientSecret: 'plain' })).to.throw(/^context consoleOidc.clientSecret: unknown field/);
    expect(() => consoleOidcConfig({ ...OIDC, sessionHours: 0 })).to.throw(/^context consoleOidc.sessionHours/);
  });
});
