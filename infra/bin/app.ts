#!/usr/bin/env node
/**
 * The CDK app (cdk.json runs it with tsx). Inputs come from context: see docs/infrastructure.md.
 *   npm run bundle
 *   npx cdk synth -c domainName=sre-ops.example.com -c hostedZoneId=Z0123456789ABCDEFGHIJ -c alarmEmail=oncall@example.com
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/sre-ops-app.js';

const app = new App();
buildApp(app);
app.synth();
