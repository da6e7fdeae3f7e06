/**
 * What the Slack and Teams Lambda entry points share: the Assistant from the environment (built
 * once per container, on first use), deferred work (a self-invocation on Lambda, in-process
 * elsewhere), and JSON secrets from Secrets Manager (read once per container, never logged).
 */
import { InProcessDeferredWork } from '../adapters/outbound/memory/in-process-deferred-work.js';
import { httpResult, isApiGatewayEvent, type HttpResult } from '../adapters/inbound/chat/api-gateway-event.js';
import { deferredJobOf } from '../adapters/outbound/lambda/deferred-job-event.js';
import type { SecretsManagerJsonSecret } from '../adapters/outbound/lambda/secrets-manager-json-secret.js';
import { ValidationError } from '../domain/errors.js';
import type { Assistant } from '../ports/inbound/assistant.port.js';
import type { DeferredJob, DeferredWork } from '../ports/outbound/deferred-work.port.js';
import type { AssistantOptions } from './config.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A Lambda handler for API Gateway requests and deferred jobs (which answer nothing). */
export type LambdaHandler = (event: unknown, context: unknown) => Promise<HttpResult | undefined>;

/** The Assistant's options from the environment the Lambda functions are given. */
export function assistantOptionsFromEnv(env: Env): AssistantOptions {
  const onLambda = env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  const cacheDir = env.SRE_OPS_CACHE_DIR ?? (onLambda ? '/tmp/sre-ops-assistant' : undefined);
  return {
    source: env.SRE_OPS_SOURCE?.trim() || 'demo',
    ...(env.SRE_OPS_POLICY_FILE ? { policyFile: env.SRE_OPS_POLICY_FILE } : {}),
    ...(env.SRE_OPS_KEV ? { kev: env.SRE_OPS_KEV } : {}),
    // Only /tmp is writable on Lambda: the KEV feed is cached there.
    ...(cacheDir ? { cacheDir } : {}),
    // The state store: SRE_OPS_STATE_TABLE names the DynamoDB table (the library has none
    // unless given one; see stateStoreFromEnv in composition/config.ts, not imported here so a
    // cold start does not load it).
    stateStore: env.SRE_OPS_STATE_TABLE?.trim() ? { kind: 'dynamodb', table: env.SRE_OPS_STATE_TABLE.trim() } : { kind: 'sqlite' },
    env,
  };
}

/**
 * Builds the Assistant on first call and keeps it; a failed build is retried on the next call.
 * The composition root is loaded then too: an acknowledgement never needs it, so a cold start
 * does not pay for the container, the adapters and their SDK clients.
 */
export function lazyAssistant(env: Env, make?: () => Promise<Assistant>): () => Promise<Assistant> {
  let built: Promise<Assistant> | undefined;
  const build = make ?? (async () => (await import('./index.js')).createAssistant(assistantOptionsFromEnv(env)));
  return () => (built ??= build().catch((err: unknown) => {
    built = undefined;
    throw err;
  }));
}

/**
 * SRE_OPS_EXECUTOR_DEPLOYED: 1 when the service's executor drives approved runs (the CDK bot
 * stack sets it on both bot Lambdas); then a chat approval only changes the run's state. Absent
 * or 0: the bot executes an approved run itself (a setup without the service, within Lambda's
 * 15 minutes).
 */
export function executorDeployed(env: Env): boolean {
  const raw = env.SRE_OPS_EXECUTOR_DEPLOYED?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ValidationError('SRE_OPS_EXECUTOR_DEPLOYED', '1 or 0', `SRE_OPS_EXECUTOR_DEPLOYED: expected 1 or 0, got "${env.SRE_OPS_EXECUTOR_DEPLOYED}"`);
}

/** Deferred work and what the entry point does once its response is ready. */
export interface DeferredRuntime {
  readonly deferred: DeferredWork;
  /** Sets who runs jobs deferred in this process (in-process work only). */
  runWith(runner: (job: DeferredJob) => Promise<void>): void;
  /** Called after each HTTP response: in-process work starts then. */
  afterResponse(): void;
}

/**
 * On Lambda (AWS_LAMBDA_FUNCTION_NAME set) jobs go to an asynchronous invocation of this same
 * function and version; elsewhere, or with SRE_OPS_DEFERRED=in-process, they run in this process
 * after the response. A given DeferredWork (tests, the benchmark) replaces both.
 */
export async function deferredRuntime(env: Env, given?: DeferredWork): Promise<DeferredRuntime> {
  const inProcess = (work: InProcessDeferredWork): DeferredRuntime => ({ deferred: work, runWith: (r) => void work.runWith(r), afterResponse: () => work.start() });
  if (given instanceof InProcessDeferredWork) return inProcess(given);
  if (given) return { deferred: given, runWith: () => {}, afterResponse: () => {} };
  const functionName = env.AWS_LAMBDA_FUNCTION_NAME;
  const mode = env.SRE_OPS_DEFERRED ?? (functionName ? 'lambda' : 'in-process');
  if (mode === 'in-process') return inProcess(new InProcessDeferredWork());
  if (mode !== 'lambda') throw new ValidationError('SRE_OPS_DEFERRED', 'lambda or in-process', `SRE_OPS_DEFERRED: expected lambda or in-process, got "${mode}"`);
  if (!functionName) throw new ValidationError('SRE_OPS_DEFERRED', 'AWS_LAMBDA_FUNCTION_NAME', 'SRE_OPS_DEFERRED=lambda needs AWS_LAMBDA_FUNCTION_NAME (set by Lambda itself)');
  const version = env.AWS_LAMBDA_FUNCTION_VERSION;
  const target = { functionName, ...(version && version !== '$LATEST' ? { qualifier: version } : {}) };
  // Loaded on the first hand-off, not at start: the SDK client is the largest part of an
  // acknowledgement's cold start, and answers given in the acknowledgement (help, usage) defer nothing.
  const deferred = onFirstDefer(async () => {
    const [{ LambdaClient }, { LambdaDeferredWork }] = await Promise.all([
      import('@aws-sdk/client-lambda'),
      import('../adapters/outbound/lambda/lambda-deferred-work.js'),
    ]);
    return new LambdaDeferredWork(new LambdaClient({}), target);
  });
  return { deferred, runWith: () => {}, afterResponse: () => {} };
}

/** A DeferredWork made on the first defer() and kept (made again after a failure to make it). */
function onFirstDefer(make: () => Promise<DeferredWork>): DeferredWork {
  let work: Promise<DeferredWork> | undefined;
  return {
    async defer(job) {
      const w = await (work ??= make().catch((err: unknown) => {
        work = undefined;
        throw err;
      }));
      return w.defer(job);
    },
  };
}

/** A Secrets Manager client as the entry points take one (tests give one pointed at a local server). */
export type SecretsClient = ConstructorParameters<typeof SecretsManagerJsonSecret>[0];

/** Reads a JSON secret from Secrets Manager (the SDK loaded on demand, like the Lambda client). */
export async function readJsonSecret(secretId: string, given?: SecretsClient): Promise<Readonly<Record<string, string>>> {
  const { SecretsManagerJsonSecret: Reader } = await import('../adapters/outbound/lambda/secrets-manager-json-secret.js');
  if (given) return new Reader(given).read(secretId);
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    return await new Reader(client).read(secretId);
  } finally {
    client.destroy();
  }
}

/** One line for the logs, as JSON (CloudWatch Logs Insights reads the fields). */
export function logLine(surface: string): (line: string) => void {
  return (line) => console.error(JSON.stringify({ level: 'warn', surface, message: line }));
}

/** What a chat Lambda builds once per container: the bot, and what to run after each response. */
export interface ChatRuntime {
  readonly bot: {
    runJob(job: DeferredJob): Promise<void>;
    handle(event: never, context: unknown): Promise<HttpResult>;
  };
  readonly afterResponse: () => void;
}

/**
 * The Lambda handler both bots share: builds the runtime on the first event (and again after a
 * failed build), runs deferred jobs, hands API Gateway requests to the bot, and answers anything
 * else with 400.
 */
export function chatLambdaHandler(surface: string, log: (line: string) => void, build: () => Promise<ChatRuntime>): LambdaHandler {
  let runtime: Promise<ChatRuntime> | undefined;
  return async (event, context) => {
    let r: ChatRuntime;
    try {
      r = await (runtime ??= build().catch((err: unknown) => {
        runtime = undefined;
        throw err;
      }));
    } catch (err) {
      // A configuration problem: say which in the logs; the chat service only sees that the app failed.
      log(`the ${surface} bot could not start: ${err instanceof Error ? err.message : String(err)}`);
      // A deferred job is retried by Lambda (nothing was posted yet); a request gets a plain 500.
      if (deferredJobOf(event)) throw err;
      return httpResult(500);
    }
    const job = deferredJobOf(event);
    if (job) {
      await r.bot.runJob(job);
      return undefined;
    }
    if (!isApiGatewayEvent(event)) {
      log('ignored an event that is neither an API Gateway request nor a deferred job');
      return httpResult(400);
    }
    const response = await r.bot.handle(event as never, context);
    r.afterResponse();
    return response;
  };
}
