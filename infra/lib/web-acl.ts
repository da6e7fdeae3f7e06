/**
 * A regional WAFv2 web ACL: the AWS managed rule groups (IP reputation, common, known bad inputs),
 * a rate-based rule per client, optionally a required origin header, and logging to CloudWatch
 * Logs with the credentials headers redacted.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { logRetention, removalPolicy } from './common.js';

export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

export interface WebAclProps {
  /** Also the metric prefix and the log group's suffix (aws-waf-logs-<name>). */
  readonly name: string;
  /** Requests per client in any 5-minute window before the client is blocked. */
  readonly rateLimitPer5Minutes: number;
  /** IP: the connecting address; FORWARDED_IP: the first X-Forwarded-For address (behind a proxy). */
  readonly rateKey: 'IP' | 'FORWARDED_IP';
  /** Block every request that lacks this header with this exact value. */
  readonly requiredHeader?: { readonly name: string; readonly value: string };
  /**
   * Paths that may come without the required header: the web console, which browsers reach at the
   * load balancer itself, behind its OIDC authentication (a listener rule), and the OIDC callback.
   */
  readonly headerExemptPathPrefixes?: readonly string[];
  readonly production: boolean;
}

export class WebAcl extends Construct {
  readonly acl: CfnWebACL;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const visibility = (metric: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.name}-${metric}`,
    });
    const managed = (name: string, priority: number): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });
    const rules: CfnWebACL.RuleProperty[] = [managed('AWSManagedRulesAmazonIpReputationList', 0)];
    if (props.requiredHeader) {
      const header: CfnWebACL.StatementProperty = {
        byteMatchStatement: {
          fieldToMatch: { singleHeader: { Name: props.requiredHeader.name.toLowerCase() } },
          positionalConstraint: 'EXACTLY',
          searchString: props.requiredHeader.value,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      };
      const exempt: CfnWebACL.StatementProperty[] = (props.headerExemptPathPrefixes ?? []).map((prefix) => ({
        byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: prefix, textTransformations: [{ priority: 0, type: 'NONE' }] },
      }));
      rules.push({
        name: 'RequireOriginHeader',
        priority: 1,
        action: { block: {} },
        statement: { notStatement: { statement: exempt.length ? { orStatement: { statements: [header, ...exempt] } } : header } },
        visibilityConfig: visibility('RequireOriginHeader'),
      });
    }
    rules.push(
      {
        name: 'RatePerClient',
        priority: 2,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: props.rateLimitPer5Minutes,
            evaluationWindowSec: 300,
            aggregateKeyType: props.rateKey,
            ...(props.rateKey === 'FORWARDED_IP' ? { forwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' } } : {}),
          },
        },
        visibilityConfig: visibility('RatePerClient'),
      },
      managed('AWSManagedRulesCommonRuleSet', 3),
      managed('AWSManagedRulesKnownBadInputsRuleSet', 4),
    );
    this.acl = new CfnWebACL(this, 'Acl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('all'),
      rules,
    });

    // WAF only delivers to log groups named aws-waf-logs-*, given by ARN without the ":*" suffix.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${props.name}`,
      retention: logRetention(props.production),
      removalPolicy: removalPolicy(props.production),
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.acl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      redactedFields: [
        { singleHeader: { Name: 'x-api-key' } },
        { singleHeader: { Name: 'authorization' } },
        ...(props.requiredHeader ? [{ singleHeader: { Name: props.requiredHeader.name.toLowerCase() } }] : []),
      ],
    });
  }

  /** Protects a load balancer or an API Gateway stage. */
  associate(id: string, resourceArn: string): CfnWebACLAssociation {
    return new CfnWebACLAssociation(this, id, { resourceArn, webAclArn: this.acl.attrArn });
  }
}
