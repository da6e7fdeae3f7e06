/**
 * The HTTP service on ECS Fargate, built from the project's Dockerfile (`cdk synth` only stages
 * the build context; the image is built and pushed by `cdk deploy`): sized from the fleet
 * (context fleetFindings, the table in task-size.ts; 0.25 vCPU and 1 GiB for 100,000 findings)
 * with Node's heap limit at 75 % of the task's memory, two tasks in the private subnets, scaling from 1 to 10 on CPU and memory, registered in the
 * edge stack's target group (health check /ready: in service once warm; 25 s deregistration delay).
 *
 * Stopping a task: ECS deregisters it, the load balancer drains for 25 s, then SIGTERM; the app
 * finishes its in-flight requests within 25 s and exits 0; SIGKILL only after the 30 s stop timeout.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { SubnetType, type ISecurityGroup, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  Cluster, ContainerImage, ContainerInsights, CpuArchitecture, FargateService, FargateTaskDefinition, LogDrivers, OperatingSystemFamily, Secret as EcsSecret,
} from 'aws-cdk-lib/aws-ecs';
import type { IApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import { applicationStatements, readPolicyFile } from './app-policy.js';
import { acknowledge, logRetention, PROJECT, removalPolicy, SERVICE_DRAIN_SECONDS, SERVICE_LOG_GROUP, SERVICE_PORT, APPLICATION_ROLE_FINDINGS } from './common.js';
import type { InfraConfig } from './config.js';
import type { DataStack } from './data-stack.js';
import { dockerContext } from './paths.js';
import { healthCheckGraceSeconds, heapLimitMiB, taskSizeFor, type TaskSize } from './task-size.js';

/** Never sent to Docker: dependencies are installed in the image, build output and caches are local. */
export const IMAGE_EXCLUDES = ['node_modules', '.git', '.bench-data', 'cdk.out', 'dist/cdk.out', 'dist/lambda', 'dist/lambda-sourcemaps', 'coverage', '*.tgz'];

export interface ServiceStackProps extends StackProps {
  readonly vpc: IVpc;
  readonly config: InfraConfig;
  readonly targetGroup: IApplicationTargetGroup;
  readonly securityGroup: ISecurityGroup;
  /** The state table: its name goes to SRE_OPS_STATE_TABLE, its grant to the role. */
  readonly data: DataStack;
  /** With the console behind ALB OIDC: the load balancer whose signed identity header the service trusts. */
  readonly albSignerArn?: string;
  /** CPU and memory of the task; default from config.fleetFindings (see task-size.ts). */
  readonly taskSize?: TaskSize;
}

export class ServiceStack extends Stack {
  readonly cluster: Cluster;
  readonly service: FargateService;
  readonly taskDefinition: FargateTaskDefinition;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.cluster = new Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ContainerInsights.ENABLED });
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: SERVICE_LOG_GROUP,
      retention: logRetention(config.production),
      removalPolicy: removalPolicy(config.production),
    });
    const size = props.taskSize ?? taskSizeFor(config.fleetFindings);
    this.taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: size.cpu,
      memoryLimitMiB: size.memoryMiB,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    // The root file system is read-only; the KEV feed cache goes to a task-local scratch volume.
    this.taskDefinition.addVolume({ name: 'tmp' });
    const apiKeys = Secret.fromSecretNameV2(this, 'ApiKeys', config.apiKeysSecretName);
    // The executor posts the progress of runs requested in chat with the bots' own credentials,
    // read from the bots' secrets by ECS at task start (JSON fields; never plain values). A field
    // the secret lacks stops the task from starting, so without Teams (context teams=false) no
    // Teams field is mapped, and the service logs once that it posts nothing to Teams.
    const slackSecret = Secret.fromSecretNameV2(this, 'SlackSecret', config.slackSecretName);
    const teamsSecret = config.teams ? Secret.fromSecretNameV2(this, 'TeamsSecret', config.teamsSecretName) : null;
    const container = this.taskDefinition.addContainer('app', {
      image: ContainerImage.fromAsset(dockerContext(config.imageDirectory), { platform: Platform.LINUX_AMD64, exclude: IMAGE_EXCLUDES }),
      portMappings: [{ containerPort: SERVICE_PORT }],
      logging: LogDrivers.awsLogs({ logGroup, streamPrefix: 'app' }),
      readonlyRootFilesystem: true,
      stopTimeout: Duration.seconds(30),
      environment: {
        NODE_ENV: 'production',
        // The heap from the task's memory, not the host's (see task-size.ts).
        NODE_OPTIONS: `--max-old-space-size=${heapLimitMiB(size.memoryMiB)}`,
        SRE_OPS_SOURCE: 'aws',
        SRE_OPS_CACHE_DIR: '/tmp/sre-ops-assistant',
        SRE_OPS_STATE_TABLE: props.data.table.tableName,
        // In step with the target group's deregistration delay and the stop timeout below.
        SRE_OPS_DRAIN_SECONDS: String(SERVICE_DRAIN_SECONDS),
        // Behind API Gateway and the load balancer: logs take the client address from X-Forwarded-For.
        SRE_OPS_TRUST_PROXY: 'true',
        // The console trusts x-amzn-oidc-data signed by this load balancer only (docs/console.md).
        ...(props.albSignerArn ? { SRE_OPS_ALB_SIGNER_ARN: props.albSignerArn, SRE_OPS_OIDC_IDENTITY_CLAIM: config.consoleOidc?.identityClaim ?? 'email' } : {}),
        // Every task also runs the patch executor (docs/patching.md, "The executor"): approved runs
        // are driven here, one task per run by leases in the state table, however long they take.
        SRE_OPS_EXECUTOR: '1',
        // A setting, not a secret: how the Teams bot's token is obtained (its tenant's, or the Bot Framework's).
        ...(teamsSecret ? { MicrosoftAppType: config.teamsAppType } : {}),
      },
      secrets: {
        SRE_OPS_API_KEYS: EcsSecret.fromSecretsManager(apiKeys),
        // Progress to the chat thread a run was requested in (docs/patching.md, "Progress").
        SLACK_BOT_TOKEN: EcsSecret.fromSecretsManager(slackSecret, 'botToken'),
        ...(teamsSecret
          ? {
              MicrosoftAppId: EcsSecret.fromSecretsManager(teamsSecret, 'appId'),
              MicrosoftAppPassword: EcsSecret.fromSecretsManager(teamsSecret, 'appPassword'),
              // A single-tenant bot's token comes from its tenant (a multi-tenant secret may have no tenantId).
              ...(config.teamsAppType === 'SingleTenant' ? { MicrosoftAppTenantId: EcsSecret.fromSecretsManager(teamsSecret, 'tenantId') } : {}),
            }
          : {}),
      },
    });
    container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
    acknowledge(this.taskDefinition.node.defaultChild as IConstruct, {
      'AwsSolutions-ECS2': 'The plain environment variables are settings (source, cache folder, table name, Teams app type); the API keys and the chat bots\' credentials come from Secrets Manager.',
    });

    for (const statement of applicationStatements(readPolicyFile(config.policyFile), { optInTag: config.patchOptInTag })) {
      this.taskDefinition.addToTaskRolePolicy(statement);
    }
    props.data.grantState(this.taskDefinition.taskRole, 'read-write');
    acknowledge(this.taskDefinition.taskRole, APPLICATION_ROLE_FINDINGS);
    acknowledge(this.taskDefinition.obtainExecutionRole(), {
      'AwsSolutions-IAM5[Resource::*]': 'CDK-generated execution role: ecr:GetAuthorizationToken has no resource-level permission; the image pull is scoped to its repository.',
    });

    this.service = new FargateService(this, 'Service', {
      serviceName: PROJECT,
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: 2,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [props.securityGroup],
      assignPublicIp: false,
      circuitBreaker: { rollback: true },
      // The target group checks /ready, which turns 200 once the first fleet assessment is cached:
      // the grace covers that warm-up on a large fleet (300 s, longer where the task-size table's
      // warm-up needs it; see docs/infrastructure.md).
      healthCheckGracePeriod: Duration.seconds(healthCheckGraceSeconds(config.fleetFindings)),
    });
    this.service.attachToApplicationTargetGroup(props.targetGroup);

    const scaling = this.service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 10 });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70, scaleOutCooldown: Duration.seconds(60), scaleInCooldown: Duration.seconds(300) });
    scaling.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: 75, scaleOutCooldown: Duration.seconds(60), scaleInCooldown: Duration.seconds(300) });
  }
}
