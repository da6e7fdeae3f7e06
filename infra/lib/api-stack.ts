/**
 * The REST API in front of everything, at https://api.<domainName>:
 * - every path (`/{proxy+}`) goes to the load balancer over HTTPS with the origin header the
 *   load balancer's WAF requires; it needs an API key (x-api-key) of the usage plan, 100 requests
 *   a second and 10,000 a day as the design states (the app checks the same key against its own
 *   list for scopes and rate limits per process);
 * - `/slack/events` and `/teams/messages` go to the bot Lambdas, which authenticate Slack's
 *   signature and the Bot Framework token themselves (Slack and Teams cannot send an API key).
 * Access logs as JSON, execution logs on errors, X-Ray tracing, and a WAF web ACL on the stage.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogFormat, ApiKeySourceType, EndpointType, HttpIntegration, LambdaIntegration, LogGroupLogDestination, MethodLoggingLevel, Period, RestApi, SecurityPolicy,
  type IResource, type RequestValidator,
} from 'aws-cdk-lib/aws-apigateway';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { ARecord, RecordTarget, type IHostedZone } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { acknowledge, PROJECT, logRetention, removalPolicy } from './common.js';
import type { InfraConfig } from './config.js';
import { ORIGIN_HEADER } from './edge-stack.js';
import { WebAcl } from './web-acl.js';

/** The design's limits (seed architecture): 100 requests a second, 10,000 a day. */
export const USAGE_LIMITS = { ratePerSecond: 100, burst: 200, perDay: 10_000 } as const;

export interface ApiStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly zone: IHostedZone;
  readonly certificate: ICertificate;
  readonly originSecret: ISecret;
  readonly slackFunctionArn: string;
  readonly teamsFunctionArn: string;
}

export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly webAcl: WebAcl;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${PROJECT}/access`,
      retention: logRetention(config.production),
      removalPolicy: removalPolicy(config.production),
    });

    this.api = new RestApi(this, 'Api', {
      restApiName: PROJECT,
      description: 'sre-ops-assistant: the HTTP API (to the load balancer) and the chat bot webhooks',
      endpointTypes: [EndpointType.REGIONAL],
      apiKeySourceType: ApiKeySourceType.HEADER,
      // API Gateway's account-wide role for execution logs; kept on deletion, other APIs may use it.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: removalPolicy(true),
      deployOptions: {
        stageName: config.environment,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: USAGE_LIMITS.ratePerSecond,
        throttlingBurstLimit: USAGE_LIMITS.burst,
      },
    });
    const validator = this.api.addRequestValidator('Validator', { validateRequestParameters: true, validateRequestBody: true });

    const origin = `https://${config.domainName}`;
    const service = new HttpIntegration(`${origin}/{proxy}`, {
      proxy: true,
      httpMethod: 'ANY',
      options: {
        timeout: Duration.seconds(29),
        requestParameters: {
          'integration.request.path.proxy': 'method.request.path.proxy',
          [`integration.request.header.${ORIGIN_HEADER}`]: `'${props.originSecret.secretValue.unsafeUnwrap()}'`,
        },
      },
    });
    const proxy = this.api.root.addResource('{proxy+}').addMethod('ANY', service, {
      apiKeyRequired: true,
      requestParameters: { 'method.request.path.proxy': true, 'method.request.header.x-api-key': true },
      requestValidator: validator,
    });
    acknowledge(proxy, {
      'AwsSolutions-APIG4': 'Callers present an API key of the usage plan; the service checks the same key against its own list (SHA-256, scopes) and records the key name as the actor.',
      'AwsSolutions-COG4': 'No Cognito users: the callers are scripts and tools holding API keys.',
    });

    // Imported by ARN, so the invoke permissions are created here and the bots stack does not
    // depend back on this one.
    const slack = LambdaFunction.fromFunctionAttributes(this, 'SlackFunction', { functionArn: props.slackFunctionArn, sameEnvironment: true });
    const teams = LambdaFunction.fromFunctionAttributes(this, 'TeamsFunction', { functionArn: props.teamsFunctionArn, sameEnvironment: true });
    this.webhook(this.api.root.addResource('slack').addResource('events'), slack, validator);
    this.webhook(this.api.root.addResource('teams').addResource('messages'), teams, validator);

    const plan = this.api.addUsagePlan('UsagePlan', {
      name: `${PROJECT}-${config.environment}`,
      description: 'The design limits: 100 requests a second, 10,000 a day',
      throttle: { rateLimit: USAGE_LIMITS.ratePerSecond, burstLimit: USAGE_LIMITS.burst },
      quota: { limit: USAGE_LIMITS.perDay, period: Period.DAY },
    });
    plan.addApiStage({ stage: this.api.deploymentStage });
    const key = this.api.addApiKey('DefaultKey', {
      apiKeyName: `${PROJECT}-${config.environment}-default`,
      description: 'Generated by API Gateway; its SHA-256 goes into SRE_OPS_API_KEYS (see docs/infrastructure.md)',
    });
    plan.addApiKey(key);

    const domain = this.api.addDomainName('Domain', {
      domainName: `api.${config.domainName}`,
      certificate: props.certificate,
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new ARecord(this, 'ApiRecord', {
      zone: props.zone,
      recordName: `api.${config.domainName}`,
      target: RecordTarget.fromAlias(new ApiGatewayDomain(domain)),
    });

    new CfnOutput(this, 'ApiUrl', { value: `https://api.${config.domainName}/`, description: 'The API (and the bots\' webhooks)' });
    new CfnOutput(this, 'UsagePlanId', { value: plan.usagePlanId, description: 'Add client keys here: aws apigateway create-usage-plan-key' });
    new CfnOutput(this, 'DefaultApiKeyId', { value: key.keyId, description: 'aws apigateway get-api-key --include-value --api-key <id>' });

    // Here the connecting address is the client's.
    this.webAcl = new WebAcl(this, 'WebAcl', { name: `${PROJECT}-api`, rateKey: 'IP', rateLimitPer5Minutes: 3000, production: config.production });
    this.webAcl.associate('StageAssociation', this.api.deploymentStage.stageArn);

    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      acknowledge(cloudWatchRole, {
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
          'The account-level role API Gateway needs to write execution logs; AWS documents this managed policy for it.',
      });
    }
  }

  private webhook(resource: IResource, fn: IFunction, validator: RequestValidator): void {
    const method = resource.addMethod('POST', new LambdaIntegration(fn, { allowTestInvoke: false, timeout: Duration.seconds(29) }), {
      apiKeyRequired: false,
      requestValidator: validator,
    });
    acknowledge(method, {
      'AwsSolutions-APIG4': 'Slack and Teams cannot send an API key: the handler verifies the Slack request signature (HMAC) or the Bot Framework JWT and refuses anything else.',
      'AwsSolutions-COG4': 'Slack and Teams authenticate with their own schemes (signed requests, Bot Framework tokens), not Cognito.',
    });
  }
}
