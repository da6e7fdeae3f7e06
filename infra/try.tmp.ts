import { App } from 'aws-cdk-lib';
import { buildApp } from './lib/sre-ops-app.js';
const t0 = Date.now();
const app = new App({ outdir: '/tmp/infra-try/out', context: { domainName: 'sre-ops.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', alarmEmail: 'oncall@example.com', lambdaBundleDir: '/tmp/infra-try/lambda', imageDirectory: process.env.IMG ?? '/tmp/infra-try/image' } });
buildApp(app);
const t1 = Date.now();
try { const asm = app.synth(); console.log('synth ok', asm.directory, asm.stacks.map(s => s.stackName)); } catch (e) { console.log(String((e as Error).message).slice(0, 20000)); }
console.log('build', t1 - t0, 'ms; synth', Date.now() - t1, 'ms');
