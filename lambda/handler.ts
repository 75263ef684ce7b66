import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { isSnsEvent } from './alerts/forward-alarms';
import { SsmStateStore } from './alerts/ssm-state-store';
import {
  type Auditor,
  createAuditor,
  type DependencyLoader,
  type ForwardSummary,
  type RunSummary,
} from './auditor';
import { createJsonLogger } from './aws/json-logger';
import { secretSource } from './aws/secrets';
import { Redactor } from './engine/redact';
import { useBaselineWasmCompiler } from './http/baseline-wasm';
import { httpDispatcher } from './http/http-dispatcher';
import { loadSettings, SettingsError } from './settings';

/**
 * The Lambda entry point. It builds the real dependencies once per container, lazily on the first
 * invocation (nothing runs at import time), and hands each invocation to the auditor. Async with
 * two arguments: the Node.js 24 runtime rejects callback-style handlers.
 *
 * Only the Secrets Manager client is loaded with the module: the keys come first. The CloudWatch,
 * SNS and SSM clients are used after the audit, so the run imports their SDK packages, alongside
 * its network waits. That spares the cold start only while no module of the bundle imports those
 * packages' values at its top: esbuild hoists such an import to the top of the bundle.
 */

let auditor: Auditor | undefined;

/**
 * Bounds each AWS request, so that one hung connection cannot eat the time kept for publishing:
 * the SDK sets no request timeout by default, and with the pinned smithy handler `requestTimeout`
 * only logs a warning unless `throwOnRequestTimeout` is set. The run's own abort signal, passed to
 * every `send`, is the bound that holds whatever hangs (retries, credentials, a stalled socket).
 */
const AWS_CLIENT_CONFIG = {
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 4_000, throwOnRequestTimeout: true },
};

export async function handler(event: unknown, context: Context): Promise<RunSummary | ForwardSummary> {
  auditor ??= buildAuditor();
  // SNS invokes the function with the alarm notifications of the alert topic (webhook-only
  // setups); the schedule invokes it with anything else.
  if (isSnsEvent(event)) return auditor.forwardAlarms(event, context);
  return auditor.run(context);
}

function buildAuditor(): Auditor {
  // Before the first connection compiles undici's parser (see baseline-wasm.ts).
  useBaselineWasmCompiler();
  const redactor = new Redactor();
  const logger = createJsonLogger({ redactor });
  let settings: ReturnType<typeof loadSettings>;
  try {
    settings = loadSettings(process.env);
  } catch (error) {
    // Fail loudly at cold start, naming each bad variable; the next invocation re-reads them.
    if (error instanceof SettingsError) logger.error('invalid settings', { problems: error.problems });
    throw error;
  }
  const { stateParameterName } = settings;
  // Region and credentials come from the Lambda environment (AWS_ENDPOINT_URL in end-to-end tests).
  return createAuditor({
    settings,
    secrets: secretSource(new SecretsManagerClient(AWS_CLIENT_CONFIG)),
    cloudWatch: loadOnce(async () => {
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      return new CloudWatchClient(AWS_CLIENT_CONFIG);
    }),
    sns: loadOnce(async () => {
      const { SNSClient } = await import('@aws-sdk/client-sns');
      return new SNSClient(AWS_CLIENT_CONFIG);
    }),
    stateStore: loadOnce(async () => {
      const { SSMClient } = await import('@aws-sdk/client-ssm');
      return new SsmStateStore({
        client: new SSMClient(AWS_CLIENT_CONFIG),
        parameterName: stateParameterName,
      });
    }),
    // One pool for the container: warm invocations reuse its connections.
    dispatcher: httpDispatcher(process.env, { connect: { timeout: 5000 }, keepAliveTimeout: 10_000 }),
    logger,
    redactor,
    now: () => new Date(),
  });
}

/** Builds on the first call and hands out the same value after; a failed build is retried by the next call. */
function loadOnce<T>(build: () => Promise<T>): DependencyLoader<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
}
