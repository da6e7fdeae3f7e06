/**
 * One offline synth of the whole CDK app per test process, shared by every infra spec: the same
 * buildApp as infra/bin/app.ts, the context of cdk.json plus the three required inputs, stub
 * Lambda bundles (npm test cleans dist/, so the real ones of `npm run bundle` are absent) and the
 * project's real Dockerfile (only staged: no Docker engine is needed).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type SreOpsStacks } from '../../../infra/lib/sre-ops-app.js';
import { REPO_ROOT } from '../../support/paths.js';

/** The inputs a deployment must give (docs/infrastructure.md). */
export const INPUTS = {
  domainName: 'sre-ops.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  alarmEmail: 'oncall@example.com',
} as const;

export type StackPart = 'network' | 'edge' | 'data' | 'service' | 'bots' | 'api' | 'monitoring';

interface ValidationViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}

export interface ValidationReport {
  readonly pluginReports: readonly { readonly pluginName: string; readonly conclusion: string; readonly violations: readonly ValidationViolation[] }[];
}

export interface Synthesized {
  readonly app: App;
  readonly stacks: SreOpsStacks;
  readonly templates: Readonly<Record<StackPart, Template>>;
  /** The policy validation report (cdk-nag and CDK's own rules) written into the assembly. */
  readonly report: ValidationReport;
  readonly outdir: string;
}

const scratch: string[] = [];
process.once('exit', () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

let bundles: string | undefined;
/**
 * dist/lambda as `npm run bundle` lays it out, with a stub handler per function: index.mjs, a
 * chunk it imports under chunks/, and the source maps in the sibling lambda-sourcemaps/ folder.
 */
export function stubBundles(): string {
  if (bundles === undefined) {
    const dist = tempDir('sre-ops-bundles-');
    bundles = join(dist, 'lambda');
    for (const name of ['slack', 'teams', 'collector', 'org-assessment']) {
      mkdirSync(join(bundles, name, 'chunks'), { recursive: true });
      mkdirSync(join(dist, 'lambda-sourcemaps', name), { recursive: true });
      writeFileSync(join(bundles, name, 'index.mjs'), `// stub of the ${name} bundle\nimport { ok } from './chunks/chunk-STUB.mjs';\nexport const handler = async () => ok;\n`);
      writeFileSync(join(bundles, name, 'chunks', 'chunk-STUB.mjs'), 'export const ok = { statusCode: 200 };\n');
      writeFileSync(join(dist, 'lambda-sourcemaps', name, 'index.mjs.map'), '{"version":3,"sources":[],"mappings":""}\n');
    }
  }
  return bundles;
}

/** The context of cdk.json, as `cdk synth` passes it. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** A new App with cdk.json's context, the inputs, stub bundles and `extra` on top. */
export function newApp(extra: Record<string, unknown> = {}): App {
  return new App({
    outdir: tempDir('sre-ops-cdk-out-'),
    context: { ...cdkJsonContext(), ...INPUTS, lambdaBundleDir: stubBundles(), ...extra },
  });
}

let cached: Synthesized | Error | undefined;

/** The whole app, synthesized once per process (a few seconds); a failure is kept, not retried per test. */
export function synthesized(): Synthesized {
  if (cached instanceof Error) throw cached;
  if (cached !== undefined) return cached;
  try {
    cached = synthesize();
  } catch (err) {
    cached = err instanceof Error ? err : new Error(String(err));
    throw cached;
  }
  return cached;
}

function synthesize(): Synthesized {
  const app = newApp();
  const stacks = buildApp(app, REPO_ROOT);
  const assembly = app.synth();
  const template = (part: keyof SreOpsStacks): Template =>
    Template.fromJSON(assembly.getStackByName((stacks[part] as { stackName: string }).stackName).template as Record<string, unknown>);
  const parts: StackPart[] = ['network', 'edge', 'data', 'service', 'bots', 'api', 'monitoring'];
  const templates = Object.fromEntries(parts.map((p) => [p, template(p)])) as Record<StackPart, Template>;
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  return { app, stacks, templates, report, outdir: assembly.directory };
}

/** In a describe block: synthesizes (or reuses) the app in a hook with room for a loaded machine. */
export function useSynth(): void {
  before(function () {
    this.timeout(120_000);
    synthesized();
  });
}

/** The one resource of a type in a template, by its properties. */
export function onlyResource(template: Template, type: string): { Properties: Record<string, unknown> } & Record<string, unknown> {
  const all = Object.values(template.findResources(type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as { Properties: Record<string, unknown> } & Record<string, unknown>;
}

/** Every policy statement of every AWS::IAM::Policy in a template. */
export function policyStatements(template: Template): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => ((p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement),
  );
}
