/**
 * The front door of the HTTP service: a TLS certificate validated through Route 53, an internet
 * facing Application Load Balancer (HTTP redirected to HTTPS), its access logs in S3, and a WAF
 * web ACL that only lets through requests that came by the API Gateway (an origin header whose
 * value lives in Secrets Manager) and filters those with AWS managed rules and a rate limit.
 *
 * The security groups of the load balancer and of the tasks, and the target group, live here too:
 * kept beside the load balancer, the rules between them stay in one stack and the service stack
 * only registers its tasks (no cross-stack cycle).
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import { Peer, Port, SecurityGroup, SubnetType, type IVpc } from 'aws-cdk-lib/aws-ec2';
import {
  ApplicationLoadBalancer, ApplicationProtocol, ApplicationTargetGroup, ListenerAction, ListenerCondition, SslPolicy, TargetType, UnauthenticatedAction,
  type ApplicationListener,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ARecord, HostedZone, RecordTarget, type IHostedZone } from 'aws-cdk-lib/aws-route53';
import { LoadBalancerTarget } from 'aws-cdk-lib/aws-route53-targets';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { acknowledge, PROJECT, removalPolicy, SERVICE_DRAIN_SECONDS, SERVICE_PORT } from './common.js';
import type { InfraConfig } from './config.js';
import { WebAcl } from './web-acl.js';

/** The header the API Gateway adds and the load balancer's WAF requires. */
export const ORIGIN_HEADER = 'X-Origin-Verify';
/** The web console's paths (the service serves them under this prefix) and the ALB's OIDC callback. */
export const CONSOLE_PATHS = ['/console', '/console/*'] as const;
export const OIDC_CALLBACK_PREFIX = '/oauth2/idpresponse';

export interface EdgeStackProps extends StackProps {
  readonly vpc: IVpc;
  readonly config: InfraConfig;
}

export class EdgeStack extends Stack {
  readonly zone: IHostedZone;
  /** Covers domainName (the load balancer) and api.<domainName> (the API Gateway). */
  readonly certificate: Certificate;
  readonly loadBalancer: ApplicationLoadBalancer;
  readonly httpsListener: ApplicationListener;
  readonly targetGroup: ApplicationTargetGroup;
  readonly serviceSecurityGroup: SecurityGroup;
  /** The value the API Gateway sends in ORIGIN_HEADER. */
  readonly originSecret: Secret;
  readonly webAcl: WebAcl;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config, vpc } = props;
    const production = config.production;

    this.zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.hostedZoneId, zoneName: config.hostedZoneName });
    this.certificate = new Certificate(this, 'Certificate', {
      domainName: config.domainName,
      subjectAlternativeNames: [`api.${config.domainName}`],
      validation: CertificateValidation.fromDns(this.zone),
    });

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // ALB access logs support SSE-S3 only.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: production,
      lifecycleRules: [{ expiration: Duration.days(production ? 365 : 90), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: removalPolicy(production),
    });
    acknowledge(this.accessLogs, {
      'AwsSolutions-S1': 'This bucket receives the load balancer access logs; logging the log bucket would only log the log deliveries.',
    });

    const albSecurityGroup = new SecurityGroup(this, 'AlbSecurityGroup', {
      vpc,
      description: 'Load balancer: HTTPS (and HTTP for the redirect) from anywhere; to the tasks only',
      allowAllOutbound: false,
    });
    this.serviceSecurityGroup = new SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc,
      description: `Fargate tasks: port ${SERVICE_PORT} from the load balancer; out to AWS APIs and the KEV feed`,
      allowAllOutbound: true,
    });
    this.serviceSecurityGroup.addIngressRule(albSecurityGroup, Port.tcp(SERVICE_PORT), 'Load balancer to the service');
    albSecurityGroup.addEgressRule(this.serviceSecurityGroup, Port.tcp(SERVICE_PORT), 'Load balancer to the service');
    albSecurityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS from the API Gateway (no fixed source range)');
    albSecurityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), 'HTTP, redirected to HTTPS');
    acknowledge(albSecurityGroup, {
      'AwsSolutions-EC23':
        'Internet-facing load balancer behind the API Gateway, whose addresses are not a fixed range; the WAF blocks any request without the origin header.',
    });

    this.loadBalancer = new ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      securityGroup: albSecurityGroup,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
      deletionProtection: production,
    });
    this.loadBalancer.logAccessLogs(this.accessLogs, 'alb');

    this.targetGroup = new ApplicationTargetGroup(this, 'ServiceTargets', {
      vpc,
      port: SERVICE_PORT,
      protocol: ApplicationProtocol.HTTP,
      targetType: TargetType.IP,
      // The app finishes in-flight requests within 25 s of SIGTERM; the load balancer drains no longer.
      deregistrationDelay: Duration.seconds(SERVICE_DRAIN_SECONDS),
      // /ready, not /health: a task takes traffic once its first fleet assessment is cached (it
      // warms at start), and stops taking it while it drains. It stays 200 once warm, whatever the
      // source does (a stale answer is served; see docs/http-api.md). The container's own
      // HEALTHCHECK (liveness) probes /health.
      healthCheck: {
        path: '/ready',
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: ApplicationProtocol.HTTPS,
      certificates: [this.certificate],
      sslPolicy: SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultTargetGroups: [this.targetGroup],
    });
    this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: ApplicationProtocol.HTTP,
      open: false,
      defaultAction: ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });

    // The console behind the load balancer's OIDC sign-in: it forwards /console only once the
    // person is signed in, adding the signed x-amzn-oidc-data header the service verifies.
    if (config.consoleOidc) {
      const o = config.consoleOidc;
      const clientSecret = Secret.fromSecretNameV2(this, 'ConsoleOidcClientSecret', o.clientSecretName);
      this.httpsListener.addAction('ConsoleOidc', {
        priority: 10,
        conditions: [ListenerCondition.pathPatterns([...CONSOLE_PATHS])],
        action: ListenerAction.authenticateOidc({
          issuer: o.issuer,
          authorizationEndpoint: o.authorizationEndpoint,
          tokenEndpoint: o.tokenEndpoint,
          userInfoEndpoint: o.userInfoEndpoint,
          clientId: o.clientId,
          clientSecret: clientSecret.secretValue,
          scope: 'openid email profile',
          sessionTimeout: Duration.hours(o.sessionHours),
          onUnauthenticatedRequest: UnauthenticatedAction.AUTHENTICATE,
          next: ListenerAction.forward([this.targetGroup]),
        }),
      });
      // The load balancer calls the identity provider's token and user info endpoints itself.
      albSecurityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'Load balancer to the identity provider (OIDC token and user info endpoints)');
    }

    new ARecord(this, 'ServiceRecord', {
      zone: this.zone,
      recordName: config.domainName,
      target: RecordTarget.fromAlias(new LoadBalancerTarget(this.loadBalancer)),
    });

    this.originSecret = new Secret(this, 'OriginSecret', {
      description: `${PROJECT}: the ${ORIGIN_HEADER} value the API Gateway sends and the load balancer's WAF requires`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: removalPolicy(production),
    });
    acknowledge(this.originSecret, {
      'AwsSolutions-SMG4':
        'Not a credential of any principal: a marker shared by the API Gateway integration and the WAF rule, both resolved at deploy; rotate by replacing the secret and redeploying.',
    });

    this.webAcl = new WebAcl(this, 'WebAcl', {
      name: `${PROJECT}-alb`,
      // Behind the API Gateway every request comes from its addresses: count clients by X-Forwarded-For.
      rateKey: 'FORWARDED_IP',
      rateLimitPer5Minutes: 3000,
      requiredHeader: { name: ORIGIN_HEADER, value: this.originSecret.secretValue.unsafeUnwrap() },
      // Browsers reach the console at the load balancer itself, signed in by its OIDC rule above.
      ...(config.consoleOidc ? { headerExemptPathPrefixes: ['/console', OIDC_CALLBACK_PREFIX] } : {}),
      production,
    });
    this.webAcl.associate('AlbAssociation', this.loadBalancer.loadBalancerArn);
  }
}
