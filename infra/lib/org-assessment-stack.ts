/**
 * The scheduled organization assessment (docs/organizations.md, "Scheduled organization
 * assessment"): a Step Functions state machine, started by EventBridge Scheduler, that
 *
 * 1. lists the scope's (account, region) partitions (Lambda `list`: the policy's scope,
 *    Organizations ListAccounts for "org") into the results bucket;
 * 2. fans out over them with a Distributed Map (items read from that S3 object, at most
 *    maxConcurrency at once, a tolerated share of failures): each item a Lambda (`partition`)
 *    that reads and assesses one account and region through the assumed read role and writes its
 *    result JSON to the bucket. An account that denies access is written as its error: a warning
 *    in the summary, not a failed item;
 * 3. merges them (Lambda `merge`): the organization report to the bucket, the collector's
 *    figures to CloudWatch, and the collector's pass over the state table: alerts of what changed
 *    (to the channels of context `notify`), the assessment recorded in the history, the day's
 *    trend point.
 *
 * No step has to finish the organization inside one Lambda's 15 minutes: each partition does.
 */
import { CfnOutput, Duration, Stack, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import {
  DefinitionBody, DistributedMap, JsonPath, LogLevel, S3JsonItemReader, StateMachine, StateMachineType, TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct, IConstruct } from 'constructs';
import { acknowledge, alertTopics, lambdaRole, logRetention, METRICS_NAMESPACE, NODE22_REASON, PROJECT, removalPolicy } from './common.js';
import type { InfraConfig } from './config.js';
import type { DataStack } from './data-stack.js';
import { acknowledgeMemberRoles, assumeMemberRoleStatement, listAccountsStatement } from './member-roles.js';
import { scopeSection, type OrganizationConfig } from './organization-config.js';
import { lambdaBundle } from './paths.js';

/** The three functions of the org-assessment bundle (composition/org-assessment-lambda.ts). */
export const ORG_STEPS = ['list', 'partition', 'merge'] as const;
export type OrgStep = (typeof ORG_STEPS)[number];

/** How long a run's objects stay in the bucket. */
export const RESULT_RETENTION_DAYS = { production: 400, other: 30 } as const;

export interface OrgAssessmentStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly organization: OrganizationConfig;
  /** The state table: the partitions read risk acceptances from it; the merge writes the history and the alert claims. */
  readonly data: DataStack;
}

export class OrgAssessmentStack extends Stack {
  readonly bucket: Bucket;
  readonly functions: Readonly<Record<OrgStep, LambdaFunction>>;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: OrgAssessmentStackProps) {
    super(scope, id, props);
    const { config, organization: org } = props;

    this.bucket = new Bucket(this, 'Results', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: false,
      lifecycleRules: [{
        id: 'expire-runs',
        prefix: 'runs/',
        expiration: Duration.days(config.production ? RESULT_RETENTION_DAYS.production : RESULT_RETENTION_DAYS.other),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      removalPolicy: removalPolicy(config.production),
    });
    acknowledge(this.bucket, {
      'AwsSolutions-S1': 'Written and read only by this stack\'s functions and state machine; every access is in CloudTrail (enable S3 data events to keep object-level records).',
    });

    const environment = {
      SRE_OPS_ASSESSMENT_BUCKET: this.bucket.bucketName,
      SRE_OPS_SCOPE: JSON.stringify(scopeSection(org)),
      SRE_OPS_CACHE_DIR: '/tmp/sre-ops-assistant',
      SRE_OPS_STATE_TABLE: props.data.table.tableName,
      SRE_OPS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    const code = Code.fromAsset(lambdaBundle(config.lambdaBundleDir, 'org-assessment'));
    const step = (name: OrgStep, o: { memorySize: number; timeout: Duration; description: string; environment?: Record<string, string> }): LambdaFunction => {
      const fnName = `${PROJECT}-org-${name}`;
      const logGroup = new LogGroup(this, `${name}Logs`, { logGroupName: `/aws/lambda/${fnName}`, retention: logRetention(config.production), removalPolicy: removalPolicy(config.production) });
      const role = lambdaRole(this, `${name}Role`, logGroup, `sre-ops-assistant organization assessment: ${name}`);
      const fn = new LambdaFunction(this, `${name}Function`, {
        functionName: fnName,
        description: o.description,
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.X86_64,
        handler: `index.${name}`,
        code,
        memorySize: o.memorySize,
        timeout: o.timeout,
        environment: { ...environment, ...o.environment },
        role,
        logGroup,
      });
      acknowledge(fn, { 'AwsSolutions-L1': NODE22_REASON });
      return fn;
    };
    const list = step('list', { memorySize: 256, timeout: Duration.minutes(2), description: 'sre-ops-assistant: lists the organization\'s account x region partitions' });
    const partition = step('partition', { memorySize: 1024, timeout: Duration.minutes(15), description: 'sre-ops-assistant: assesses one account and region through the assumed read role' });
    const merge = step('merge', {
      memorySize: 2048,
      timeout: Duration.minutes(10),
      description: 'sre-ops-assistant: merges the partitions into the organization report, publishes its figures, alerts and records it',
      // The collector's alert channels (context `notify`), as the collector Lambda's.
      ...(config.notify ? { environment: { SRE_OPS_NOTIFY: config.notify } } : {}),
    });
    this.functions = { list, partition, merge };

    // The list writes the items, each partition its result, the merge its report: under runs/ only.
    const runs = this.bucket.arnForObjects('runs/*');
    list.addToRolePolicy(new PolicyStatement({ sid: 'WriteRunItems', actions: ['s3:PutObject'], resources: [runs] }));
    if (org.accounts === 'org') list.addToRolePolicy(listAccountsStatement());
    partition.addToRolePolicy(new PolicyStatement({ sid: 'WritePartitionResults', actions: ['s3:PutObject'], resources: [runs] }));
    partition.addToRolePolicy(assumeMemberRoleStatement(org, 'read'));
    props.data.grantState(partition, 'read');
    // Inspector from the delegated administrator (this account): the partitions list its findings themselves.
    if (org.inspector === 'administrator') partition.addToRolePolicy(new PolicyStatement({ sid: 'ListFindingsAsAdministrator', actions: ['inspector2:ListFindings'], resources: ['*'] }));
    merge.addToRolePolicy(new PolicyStatement({ sid: 'ReadResultsWriteReport', actions: ['s3:GetObject', 's3:PutObject'], resources: [runs] }));
    // A missing result must read as NoSuchKey (not AccessDenied), which takes ListBucket.
    merge.addToRolePolicy(new PolicyStatement({ sid: 'ListRuns', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': ['runs/*'] } } }));
    merge.addToRolePolicy(new PolicyStatement({
      sid: 'PutFleetMetricsOnly', actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
    }));
    // The history (assessments) and the posted-alert claims live in the state table, as the collector's (docs/history.md).
    props.data.grantState(merge, 'read-write');
    const topics = alertTopics(config.notify);
    if (topics.length) merge.addToRolePolicy(new PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: topics }));
    const bucketId = this.logicalIdOf(this.bucket);
    const runsFinding = { [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/runs/*]`]: 'The run objects: one per partition and run, named at run time, under runs/ only.' };
    acknowledge(list.role!, { ...runsFinding, ...(org.accounts === 'org' ? { 'AwsSolutions-IAM5[Resource::*]': 'organizations:ListAccounts has no resource-level permission.' } : {}) });
    acknowledge(partition.role!, { ...runsFinding, ...(org.inspector === 'administrator' ? { 'AwsSolutions-IAM5[Resource::*]': 'inspector2:ListFindings has no resource-level permission.' } : {}) });
    acknowledgeMemberRoles(partition.role!, org, ['read']);
    acknowledge(merge.role!, { ...runsFinding, 'AwsSolutions-IAM5[Resource::*]': 'cloudwatch:PutMetricData has no resource-level permission; limited to the SRE/Operations namespace by condition.' });

    // The state machine ---------------------------------------------------------------------
    const listStep = new LambdaInvoke(this, 'ListPartitions', {
      lambdaFunction: list,
      payload: TaskInput.fromObject({ runId: JsonPath.stringAt('$$.Execution.Name'), now: JsonPath.stringAt('$$.Execution.StartTime') }),
      payloadResponseOnly: true,
      comment: 'The scope\'s account x region partitions, written to S3 as the Map\'s items',
    });
    const fanOut = new DistributedMap(this, 'AssessPartitions', {
      comment: 'One Lambda per account and region; a partition that fails past its retries becomes a warning of the merge',
      itemReader: new S3JsonItemReader({ bucket: this.bucket, key: JsonPath.stringAt('$.itemsKey') }),
      itemSelector: { item: JsonPath.objectAt('$$.Map.Item.Value'), runId: JsonPath.stringAt('$.runId'), now: JsonPath.stringAt('$.now') },
      maxConcurrency: org.maxConcurrency,
      toleratedFailurePercentage: org.toleratedFailurePercentage,
      // The results are in S3; the Map's own output (one per partition) would outgrow a state's payload.
      resultPath: JsonPath.DISCARD,
    });
    fanOut.itemProcessor(new LambdaInvoke(this, 'AssessPartition', {
      lambdaFunction: partition,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      comment: 'Reads and assesses one account and region, writes its result JSON to S3',
    }).addRetry({ errors: ['States.Timeout', 'Lambda.TooManyRequestsException'], maxAttempts: 2, interval: Duration.seconds(30), backoffRate: 2 }));
    const mergeStep = new LambdaInvoke(this, 'MergeOrganization', {
      lambdaFunction: merge,
      payload: TaskInput.fromObject({ runId: JsonPath.stringAt('$.runId'), now: JsonPath.stringAt('$.now') }),
      payloadResponseOnly: true,
      comment: 'The organization report and the collector\'s figures',
    });
    const logs = new LogGroup(this, 'StateMachineLogs', { logGroupName: `/aws/vendedlogs/states/${PROJECT}-org-assessment`, retention: logRetention(config.production), removalPolicy: removalPolicy(config.production) });
    this.stateMachine = new StateMachine(this, 'OrgAssessment', {
      stateMachineName: `${PROJECT}-org-assessment`,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(listStep.next(fanOut).next(mergeStep)),
      timeout: Duration.hours(6),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    const smId = this.logicalIdOf(this.stateMachine);
    const execution = `arn:<AWS::Partition>:states:${this.region}:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${smId}"}]}]}`;
    const versions = 'CDK\'s grant to invoke the function\'s versions and aliases.';
    acknowledge(this.stateMachine, {
      ...Object.fromEntries(Object.values(this.functions).map((fn) => [`AwsSolutions-IAM5[Resource::<${this.logicalIdOf(fn)}.Arn>:*]`, versions])),
      'AwsSolutions-IAM5[Resource::*]': 'X-Ray and CloudWatch Logs delivery have no resource-level permissions (CDK\'s grants for tracing and logging).',
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${bucketId}>/*]`]: 'The Distributed Map reads its items file, named per run, from the results bucket.',
      [`AwsSolutions-IAM5[Resource::${execution}:*]`]: 'The Distributed Map\'s child executions of this state machine (CDK\'s grant).',
      [`AwsSolutions-IAM5[Resource::${execution}/*:*]`]: 'The Distributed Map\'s map runs of this state machine (CDK\'s grant).',
    });

    // The schedule (EventBridge Scheduler, UTC) --------------------------------------------
    const invoker = new Role(this, 'SchedulerRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com'), description: 'Lets EventBridge Scheduler start the organization assessment' });
    invoker.addToPolicy(new PolicyStatement({ sid: 'StartOrgAssessment', actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }));
    new CfnSchedule(this, 'Schedule', {
      name: `${PROJECT}-org-assessment`,
      description: 'Runs the sre-ops-assistant organization assessment',
      scheduleExpression: org.schedule,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: this.stateMachine.stateMachineArn, roleArn: invoker.roleArn, input: '{}', retryPolicy: { maximumRetryAttempts: 1 } },
    });

    new CfnOutput(this, 'ResultsBucket', { value: this.bucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
  }

  /** A construct's CloudFormation logical id, as cdk-nag names it in its findings. */
  private logicalIdOf(c: IConstruct): string {
    return this.resolve(this.getLogicalId(c.node.defaultChild as CfnElement)) as string;
  }
}
