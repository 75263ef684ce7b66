import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import type { Dispatcher } from 'undici';
import { vi } from 'vitest';
import type { SnsEventLike } from '../../lambda/alerts/forward-alarms';
import { SsmStateStore } from '../../lambda/alerts/ssm-state-store';
import { type AuditorDeps, createAuditor, type ForwardSummary, type RunSummary } from '../../lambda/auditor';
import { createJsonLogger, type LogSink } from '../../lambda/aws/json-logger';
import { secretSource } from '../../lambda/aws/secrets';
import { Redactor } from '../../lambda/engine/redact';
import { type EnvRecord, loadSettings } from '../../lambda/settings';
import { ENV } from '../../lambda/settings-names';
import { FIXED_NOW } from './audit-harness';
import { API_SECRET, PARAMETER, TOPIC } from './aws-mocks';
import type { VirtualClock } from './virtual-clock';

/**
 * Ways to run the Lambda in a test: a Lambda context, the console the handler logs to, and a
 * scheduled run through `createAuditor` with the dependencies the handler would build (the SDK
 * clients are intercepted by the mocks of ./aws-mocks).
 */

/** A Lambda context whose remaining time counts down from `remainingMs`. */
export function lambdaContext(remainingMs: number, requestId = 'request-1'): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'openrouter-auditor',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:openrouter-auditor',
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/openrouter-auditor',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * Every console argument from now on (the handler logs through console, as Lambda's JSON log
 * format wants); `vi.restoreAllMocks()` gives the console back.
 */
export function captureConsole(): unknown[] {
  const lines: unknown[] = [];
  for (const level of ['debug', 'info', 'warn', 'error', 'log'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(...args);
    });
  }
  return lines;
}

/** One line of the Lambda's JSON logger. */
export type LogLine = Readonly<Record<string, unknown>>;

/** The dependencies the handler hands in as loaders; a test replaces any of them. */
export type LoadedLater = Partial<Pick<AuditorDeps, 'cloudWatch' | 'sns' | 'stateStore'>>;

export interface AuditorRunOptions {
  /** The simulator's base URL. */
  readonly baseUrl: string;
  /** Settings over the defaults (API key secret, topic, hourly schedule, state parameter, a 50 USD budget). */
  readonly env?: EnvRecord;
  readonly loadedLater?: LoadedLater;
  readonly dispatcher?: Dispatcher;
  /** Called with each log line as it is written. */
  readonly onLine?: (line: LogLine) => void;
  /** Invocation n gets the request id `${prefix}-${n}`. @default "request" */
  readonly requestIdPrefix?: string;
  /** @default FIXED_NOW */
  readonly now?: () => Date;
  /** Deadlines and remaining time from this clock instead of the wall clock. */
  readonly clock?: VirtualClock;
}

export interface AuditorRun {
  /** Every line the JSON logger wrote, through the redactor, as the sink received it. */
  readonly lines: LogLine[];
  /** One invocation with `remainingMs` before its timeout (default 60 s), on the clock given or the wall clock. */
  run(remainingMs?: number): Promise<RunSummary>;
  /** One invocation by SNS with `event` (alarm notifications of the alert topic). */
  forward(event: SnsEventLike, remainingMs?: number): Promise<ForwardSummary>;
}

/** An auditor built as the handler builds it, with its log lines recorded. */
export function auditorRun(options: AuditorRunOptions): AuditorRun {
  const settings = loadSettings({
    [ENV.apiKeySecretId]: API_SECRET,
    [ENV.alertTopicArn]: TOPIC,
    [ENV.schedulePeriodMinutes]: '60',
    [ENV.stateParameterName]: PARAMETER,
    [ENV.baseUrl]: options.baseUrl,
    [ENV.auditConfig]: JSON.stringify({ dailyBudgetUsd: 50 }),
    [ENV.deploymentId]: 'deploy-1',
    ...options.env,
  });
  const lines: LogLine[] = [];
  const record = (line: LogLine) => {
    lines.push(line);
    options.onLine?.(line);
  };
  const sink: LogSink = { debug: record, info: record, warn: record, error: record };
  const redactor = new Redactor();
  const auditor = createAuditor({
    settings,
    secrets: secretSource(new SecretsManagerClient({ region: 'us-east-1' }), { cacheTtlMs: 0 }),
    cloudWatch: new CloudWatchClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    stateStore: new SsmStateStore({
      client: new SSMClient({ region: 'us-east-1' }),
      parameterName: settings.stateParameterName,
    }),
    ...options.loadedLater,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    logger: createJsonLogger({ redactor, sink }),
    redactor,
    now: options.now ?? (() => FIXED_NOW),
    ...(options.clock === undefined ? {} : { timers: options.clock }),
  });
  const prefix = options.requestIdPrefix ?? 'request';
  let invocation = 0;
  return {
    lines,
    forward: (event, remainingMs = 60_000) => {
      const deadline = Date.now() + remainingMs;
      invocation += 1;
      return auditor.forwardAlarms(event, {
        awsRequestId: `${prefix}-${invocation}`,
        getRemainingTimeInMillis: () => deadline - Date.now(),
      });
    },
    run: (remainingMs = 60_000) => {
      const deadline = Date.now() + remainingMs;
      invocation += 1;
      return auditor.run({
        awsRequestId: `${prefix}-${invocation}`,
        getRemainingTimeInMillis: options.clock?.remaining(remainingMs) ?? (() => deadline - Date.now()),
      });
    },
  };
}
