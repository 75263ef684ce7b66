/**
 * AWS faults at the SDK boundary, through a whole scheduled run (createAuditor) against the
 * simulator: each ends as the Lambda issue specifies and leaves a trace (a failed check in the
 * alert, a log line, a datum, the run summary). Complements test/lambda/auditor.test.ts, which has
 * the missing-secret, not-a-key, metrics-denied and SNS-denied runs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DecryptionFailure,
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import {
  PublishCommand,
  type PublishCommandInput,
  SNSClient,
  SNSServiceException,
} from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SsmStateStore } from '../../lambda/alerts/ssm-state-store';
import { AuditorError, createAuditor, type RunSummary } from '../../lambda/auditor';
import { createJsonLogger, type LogSink } from '../../lambda/aws/json-logger';
import { secretSource } from '../../lambda/aws/secrets';
import { Redactor } from '../../lambda/engine/redact';
import { type EnvRecord, loadSettings } from '../../lambda/settings';
import { ENV } from '../../lambda/settings-names';
import { FIXED_NOW, useSimulator } from '../support/audit-harness';

expect.extend(allCustomMatcher);

const API_SECRET = 'openrouter/api-key';
const MANAGEMENT_SECRET = 'openrouter/management-key';
const SLACK_SECRET = 'openrouter/slack-webhook';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:openrouter-audit';
const PARAMETER = '/openrouter-audit/state';
/** The webhook URL stored in the secret: https, as the auditor requires; rerouted to 127.0.0.1 below. */
const SLACK_HOST = 'hooks.slack.test';
const webhookUrl = () => `https://${SLACK_HOST}/services/T0000/B0000/canarywebhook${'0f'.repeat(8)}`;
/** Text an SDK error message carries: it must never reach a summary, an alert or a log. */
const SDK_MESSAGE = 'canary-sdk-message';

const sim = useSimulator();
const sm = mockClient(SecretsManagerClient);
const cw = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);

type Line = Readonly<Record<string, unknown>>;

interface Harness {
  readonly lines: Line[];
  run(): Promise<RunSummary>;
}

/** An SSM parameter that keeps its value between runs. */
function parameterStore(): { value: () => string | undefined } {
  let stored: string | undefined;
  ssm.on(GetParameterCommand).callsFake(() => {
    if (stored === undefined) throw new ParameterNotFound({ $metadata: {}, message: 'none' });
    return { Parameter: { Name: PARAMETER, Value: stored, Type: 'String' } };
  });
  ssm.on(PutParameterCommand).callsFake((input: { Value?: string }) => {
    stored = input.Value;
    return { Version: 1 };
  });
  return { value: () => stored };
}

function harness(env: EnvRecord = {}, dispatcher?: Dispatcher): Harness {
  const settings = loadSettings({
    [ENV.apiKeySecretId]: API_SECRET,
    [ENV.alertTopicArn]: TOPIC,
    [ENV.schedulePeriodMinutes]: '60',
    [ENV.stateParameterName]: PARAMETER,
    [ENV.baseUrl]: sim.current.baseUrl,
    [ENV.auditConfig]: JSON.stringify({ dailyBudgetUsd: 50 }),
    [ENV.deploymentId]: 'deploy-1',
    ...env,
  });
  const lines: Line[] = [];
  const record = (line: Line) => lines.push(line);
  const sink: LogSink = { debug: record, info: record, warn: record, error: record };
  const redactor = new Redactor();
  const auditor = createAuditor({
    settings,
    secrets: secretSource(new SecretsManagerClient({}), { cacheTtlMs: 0 }),
    cloudWatch: new CloudWatchClient({}),
    sns: new SNSClient({}),
    stateStore: new SsmStateStore({ client: new SSMClient({}), parameterName: PARAMETER }),
    ...(dispatcher === undefined ? {} : { dispatcher }),
    logger: createJsonLogger({ redactor, sink }),
    redactor,
    now: () => FIXED_NOW,
  });
  let invocation = 0;
  return {
    lines,
    run: () => {
      invocation += 1;
      const deadline = Date.now() + 60_000;
      return auditor.run({
        awsRequestId: `run-${invocation}`,
        getRemainingTimeInMillis: () => deadline - Date.now(),
      });
    },
  };
}

const secretString = (value: string): Partial<GetSecretValueCommandOutput> => ({
  SecretString: value,
  CreatedDate: new Date('2026-11-01T00:00:00.000Z'),
  VersionStages: ['AWSCURRENT'],
});

const serviceError = (name: string) =>
  new SecretsManagerServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: SDK_MESSAGE,
  });

const datumsOf = (name: string): MetricDatum[] =>
  cw
    .commandCalls(PutMetricDataCommand)
    .flatMap((call) => call.args[0].input.MetricData ?? [])
    .filter((d) => d.MetricName === name);

const statusDatum = (check: string): number | undefined =>
  datumsOf('CheckStatus').find((d) => d.Dimensions?.[0]?.Value === check)?.Value;

const alerts = (): PublishCommandInput[] => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

/** The text every subscriber of an alert reads: the per-protocol messages of `MessageStructure: json`. */
function alertText(alert: PublishCommandInput | undefined): string {
  const messages: unknown = JSON.parse(alert?.Message ?? '{}');
  return typeof messages === 'object' && messages !== null ? Object.values(messages).join('\n') : '';
}

const linesWith = (lines: readonly Line[], msg: string): Line[] => lines.filter((l) => l.msg === msg);

/** Everything that left the process: every SDK input and every log line. */
const everythingSent = (lines: readonly Line[]): string =>
  JSON.stringify({ inputs: [cw, sns, ssm, sm].flatMap((m) => m.calls().map((c) => c.args[0].input)), lines });

function expectNothingSecret(lines: readonly Line[]): void {
  const text = everythingSent(lines);
  expect(text).not.toContain(sim.current.apiKey);
  expect(text).not.toContain(sim.current.managementKey);
  expect(text).not.toContain(webhookUrl());
  expect(text).not.toContain('canarywebhook');
  expect(text).not.toContain(SDK_MESSAGE);
}

async function rejection(promise: Promise<unknown>): Promise<AuditorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuditorError) return error;
    throw error;
  }
  throw new Error('the run resolved');
}

beforeEach(() => {
  for (const mock of [sm, cw, sns, ssm]) mock.reset();
  cw.on(PutMetricDataCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
  sim.current.setScenario('healthy');
  sim.current.clearFaults();
  sim.current.resetCounts();
});

describe('API key secret faults: a failed auth check in the alert, a log line and a datum, never a crash', () => {
  it.each([
    ['access denied', () => serviceError('AccessDeniedException'), /was denied \(AccessDeniedException\)/],
    [
      'throttled',
      () => serviceError('ThrottlingException'),
      /Secrets Manager throttled the read of secret "openrouter\/api-key" \(ThrottlingException\)/,
    ],
    [
      'a KMS decryption failure',
      () => new DecryptionFailure({ $metadata: {}, message: SDK_MESSAGE }),
      /could not be decrypted \(DecryptionFailure\): grant kms:Decrypt/,
    ],
  ])('%s', async (_case, error, reason) => {
    sm.on(GetSecretValueCommand).rejects(error());
    await expectFailedAuth(reason);
  });

  it.each([
    ['an empty string', { SecretString: '' }, /the secret value is empty/],
    ['only whitespace', { SecretString: ' \r\n\t' }, /the secret value is empty/],
    [
      'binary data',
      { SecretBinary: new TextEncoder().encode('not a string') },
      /holds binary data \(SecretBinary\); store the key as a secret string/,
    ],
    [
      'JSON without the apiKey field',
      { SecretString: JSON.stringify({ api_key: 'x', managementKey: null }) },
      /the secret's JSON has no "apiKey" field/,
    ],
    ['JSON that is not an object', { SecretString: '["sk-or-v1-"]' }, /not a JSON object/],
  ])('a secret holding %s', async (_case, output, reason) => {
    sm.on(GetSecretValueCommand).resolves(output);
    await expectFailedAuth(reason);
  });

  async function expectFailedAuth(reason: RegExp): Promise<void> {
    parameterStore();
    const h = harness();

    const summary = await h.run();

    expect(summary.checks.auth).toBe('fail');
    expect(summary.ok).toBe(false);
    // The alert goes out, names the check and carries the reason.
    expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true, stateSaved: true });
    const [alert] = alerts();
    expect(alert?.Subject).toMatch(/FAIL.*auth/);
    expect(alertText(alert)).toMatch(reason);
    // The datum, the log lines and the summary line: nothing is dropped.
    expect(statusDatum('auth')).toBe(2);
    expect(datumsOf('AuditCompleted')).toHaveLength(1);
    expect(linesWith(h.lines, 'API key unavailable')).toEqual([
      expect.objectContaining({ problem: expect.stringMatching(reason) }),
    ]);
    expect(linesWith(h.lines, 'audit finished')).toEqual([
      expect.objectContaining({ runId: 'run-1', checks: expect.objectContaining({ auth: 'fail' }) }),
    ]);
    // With no key, nothing is sent to OpenRouter in its name.
    expect(sim.current.requestCount('key')).toBe(0);
    expect(sim.current.requestCount('chat')).toBe(0);
    expectNothingSecret(h.lines);
  }

  it('reads a key with stray whitespace inside a JSON secret, and OpenRouter accepts it', async () => {
    sm.on(GetSecretValueCommand).resolves(
      secretString(JSON.stringify({ apiKey: `\t ${sim.current.apiKey} \r\n` })),
    );
    parameterStore();
    const h = harness();

    const summary = await h.run();

    expect(summary.checks.auth).toBe('pass');
    expect(summary.checks['test-request']).toBe('pass');
    expect(linesWith(h.lines, 'API key unavailable')).toEqual([]);
    expectNothingSecret(h.lines);
  });
});

describe('management key secret faults', () => {
  it.each([
    ['access denied', serviceError('AccessDeniedException'), /denied \(AccessDeniedException\)/],
    ['throttled', serviceError('ThrottlingException'), /throttled .*\(ThrottlingException\)/],
  ])(
    'fails auth naming the management key when its secret is %s, and still audits with the API key',
    async (_case, error, reason) => {
      sm.on(GetSecretValueCommand, { SecretId: API_SECRET }).resolves(secretString(sim.current.apiKey));
      sm.on(GetSecretValueCommand, { SecretId: MANAGEMENT_SECRET }).rejects(error);
      parameterStore();
      const h = harness({ [ENV.managementKeySecretId]: MANAGEMENT_SECRET });

      const summary = await h.run();

      expect(summary.checks.auth).toBe('fail');
      expect(alerts()[0]?.Message).toMatch(/management key is configured but unusable/);
      expect(alerts()[0]?.Message).toMatch(reason);
      // The API key's own checks still ran: a management key problem hides nothing else.
      expect(summary.checks['test-request']).toBe('pass');
      expect(summary.checks.keys).toBe('skip');
      expect(linesWith(h.lines, 'management key unavailable')).toEqual([
        expect.objectContaining({ problem: expect.stringMatching(reason) }),
      ]);
      expectNothingSecret(h.lines);
    },
  );
});

const cloudWatchThrottled = () =>
  new CloudWatchServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: SDK_MESSAGE,
  });

const snsFailure = (name: string) =>
  new SNSServiceException({
    name,
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
    message: SDK_MESSAGE,
  });

describe('CloudWatch and SNS faults', () => {
  it('still alerts when PutMetricData is throttled, logs it and resolves', async () => {
    sm.on(GetSecretValueCommand).resolves(secretString(sim.current.apiKey));
    const state = parameterStore();
    cw.on(PutMetricDataCommand).rejects(cloudWatchThrottled());
    const h = harness();

    const summary = await h.run();

    expect(summary.metrics).toEqual({ failed: 'METRICS_PUBLISH_FAILED: ThrottlingException' });
    expect(summary.alert).toMatchObject({
      kind: 'started',
      snsDelivered: true,
      stateSaved: true,
      failedChannels: [],
    });
    expect(alerts()).toHaveLength(1);
    expect(state.value()).toContain('deploy-1');
    expect(linesWith(h.lines, 'metrics not published')).toEqual([
      expect.objectContaining({ error: 'METRICS_PUBLISH_FAILED: ThrottlingException' }),
    ]);
    expect(linesWith(h.lines, 'audit finished')).toEqual([
      expect.objectContaining({ metrics: { failed: 'METRICS_PUBLISH_FAILED: ThrottlingException' } }),
    ]);
    expectNothingSecret(h.lines);
  });

  it('ends the invocation in error when SNS fails, after publishing the metrics and the failure count', async () => {
    sm.on(GetSecretValueCommand).resolves(secretString(sim.current.apiKey));
    const state = parameterStore();
    sns.on(PublishCommand).rejects(snsFailure('InternalErrorException'));
    const h = harness();

    const error = await rejection(h.run());

    expect(error.code).toBe('ALERT_NOT_DELIVERED');
    expect(error.summary).toMatchObject({
      metrics: { published: expect.any(Number) },
      alert: { kind: 'started', snsDelivered: false, stateSaved: false, failedChannels: ['sns'] },
    });
    expect(datumsOf('AuditCompleted')).toHaveLength(1);
    expect(datumsOf('AlertDeliveryFailures')).toEqual([
      expect.objectContaining({ Value: 1, Dimensions: [{ Name: 'Channel', Value: 'sns' }] }),
    ]);
    expect(linesWith(h.lines, 'alert not delivered to SNS')).toEqual([
      expect.objectContaining({
        reason: 'ALERT_DELIVERY_FAILED: SNS Publish failed (InternalErrorException).',
      }),
    ]);
    expect(linesWith(h.lines, 'audit finished')).toHaveLength(1);
    expect(
      linesWith(h.lines, 'ending the invocation in error: an alert was due and SNS could not deliver it'),
    ).toHaveLength(1);
    // The state did not advance: the next run sends the same alert again, and it goes out then.
    expect(state.value()).toBeUndefined();
    sns.on(PublishCommand).resolves({ MessageId: 'message-2' });
    expect((await h.run()).alert).toMatchObject({ kind: 'started', snsDelivered: true, stateSaved: true });
    expectNothingSecret(h.lines);
  });

  it('logs every failure when both CloudWatch and SNS fail, and ends in error', async () => {
    sm.on(GetSecretValueCommand).resolves(secretString(sim.current.apiKey));
    parameterStore();
    cw.on(PutMetricDataCommand).rejects(cloudWatchThrottled());
    sns.on(PublishCommand).rejects(snsFailure('ThrottledException'));
    const h = harness();

    const error = await rejection(h.run());

    expect(error.code).toBe('ALERT_NOT_DELIVERED');
    expect(error.summary.metrics).toEqual({ failed: 'METRICS_PUBLISH_FAILED: ThrottlingException' });
    // The result metrics, then the delivery-failure count: both tried, both logged.
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 2);
    expect(datumsOf('AlertDeliveryFailures')).toHaveLength(1);
    for (const msg of [
      'metrics not published',
      'alert not delivered to SNS',
      'alert delivery failures not published',
      'audit finished',
    ]) {
      expect(linesWith(h.lines, msg), msg).toHaveLength(1);
    }
    expectNothingSecret(h.lines);
  });
});

describe('Slack webhook faults (a real HTTP server on 127.0.0.1)', () => {
  let slack: Server | undefined;
  let agent: Agent | undefined;
  const received: string[] = [];

  afterEach(async () => {
    await agent?.close();
    await new Promise<void>((resolve) => {
      slack?.closeAllConnections();
      if (slack === undefined) resolve();
      else slack.close(() => resolve());
    });
    slack = undefined;
    agent = undefined;
    received.length = 0;
  });

  /**
   * A fake Slack answering every POST with `reply`, and a dispatcher that sends the https webhook
   * host to it in plain http (there is no certificate for a test host). Everything else, the
   * simulator included, goes through unchanged.
   */
  async function fakeSlack(reply: 'reset' | number): Promise<Dispatcher> {
    slack = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(req.url ?? '');
        if (reply === 'reset') req.socket.resetAndDestroy();
        else res.writeHead(reply, { 'content-type': 'text/plain' }).end('internal_error');
      });
    });
    await new Promise<void>((resolve) => slack?.listen(0, '127.0.0.1', resolve));
    const { port } = slack.address() as AddressInfo; // listen(0, host) always yields an AddressInfo
    agent = new Agent();
    return agent.compose((dispatch) => (options, handler) => {
      const origin = String(options.origin ?? '');
      const rerouted =
        origin === `https://${SLACK_HOST}` ? { ...options, origin: `http://127.0.0.1:${port}` } : options;
      return dispatch(rerouted, handler);
    });
  }

  it.each([
    ['answers 500', 500 as const, /HTTP 500 \(internal_error\) after 3 attempts/],
    ['resets the connection', 'reset' as const, /network error \([A-Z_]+\) after 3 attempts/],
  ])(
    'counts and logs an undelivered Slack alert when the webhook %s, and still alerts through SNS',
    async (_case, reply, reason) => {
      sm.on(GetSecretValueCommand, { SecretId: API_SECRET }).resolves(secretString(sim.current.apiKey));
      sm.on(GetSecretValueCommand, { SecretId: SLACK_SECRET }).resolves(secretString(webhookUrl()));
      const state = parameterStore();
      const h = harness({ [ENV.slackWebhookSecretId]: SLACK_SECRET }, await fakeSlack(reply));

      const summary = await h.run();

      // Retried, then given up: SNS carried the alert, so the run succeeds and the state advances.
      expect(received).toHaveLength(3);
      expect(summary.alert).toMatchObject({
        kind: 'started',
        snsDelivered: true,
        slackDelivered: false,
        stateSaved: true,
        failedChannels: ['slack-webhook'],
      });
      expect(state.value()).toContain('deploy-1');
      expect(datumsOf('AlertDeliveryFailures')).toEqual([
        expect.objectContaining({ Value: 1, Dimensions: [{ Name: 'Channel', Value: 'slack-webhook' }] }),
      ]);
      expect(linesWith(h.lines, 'alert not delivered to the Slack webhook')).toEqual([
        expect.objectContaining({ reason: expect.stringMatching(reason) }),
      ]);
      expect(linesWith(h.lines, 'alert delivery problems')).toHaveLength(1);
      expectNothingSecret(h.lines);
    },
  );
});
