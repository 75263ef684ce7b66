import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { Agent } from 'undici';
import { SsmStateStore } from './alerts/ssm-state-store';
import { type Auditor, createAuditor, type RunSummary } from './auditor';
import { createJsonLogger } from './aws/json-logger';
import { secretSource } from './aws/secrets';
import { Redactor } from './engine/redact';
import { loadSettings, SettingsError } from './settings';

/**
 * The Lambda entry point. It builds the real dependencies once per container, lazily on the first
 * invocation (nothing runs at import time), and hands each invocation to the auditor. Async with
 * two arguments: the Node.js 24 runtime rejects callback-style handlers.
 */

let auditor: Auditor | undefined;

export async function handler(_event: unknown, context: Context): Promise<RunSummary> {
  auditor ??= buildAuditor();
  return auditor.run(context);
}

function buildAuditor(): Auditor {
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
  // Region and credentials come from the Lambda environment (AWS_ENDPOINT_URL in end-to-end tests).
  const ssm = new SSMClient({});
  return createAuditor({
    settings,
    secrets: secretSource(new SecretsManagerClient({})),
    cloudWatch: new CloudWatchClient({}),
    sns: new SNSClient({}),
    stateStore: new SsmStateStore({ client: ssm, parameterName: settings.stateParameterName }),
    // One pool for the container: warm invocations reuse its connections.
    dispatcher: new Agent({ connect: { timeout: 5000 }, keepAliveTimeout: 10_000 }),
    logger,
    redactor,
    now: () => new Date(),
  });
}
