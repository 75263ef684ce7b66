/**
 * AWS faults at the SDK boundary, through a whole scheduled run (createAuditor) against the
 * simulator: each ends as the Lambda issue specifies and leaves a trace (a failed check in the
 * alert, a log line, a datum, the run summary). Complements test/lambda/auditor.test.ts, which has
 * the missing-secret, not-a-key, metrics-denied and SNS-denied runs.
 */
import { CloudWatchServiceException, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DecryptionFailure,
  GetSecretValueCommand,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type PublishCommandInput, SNSServiceException } from '@aws-sdk/client-sns';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditorError } from '../../lambda/auditor';
import type { EnvRecord } from '../../lambda/settings';
import { ENV } from '../../lambda/settings-names';
import { useSimulator } from '../support/audit-harness';
import {
  API_SECRET,
  datumsOf,
  everythingSent,
  MANAGEMENT_SECRET,
  mockAwsClients,
  parameterStore,
  publishedAlerts,
  resetAwsMocks,
  SLACK_SECRET,
  secretString,
} from '../support/aws-mocks';
import { CANARY_WEBHOOK_HOST, canaryWebhook } from '../support/canary';
import { type FakeSlack, rerouteOrigin, startFakeSlack } from '../support/fake-slack';
import { type AuditorRun, auditorRun, type LogLine } from '../support/lambda-run';
import { rejectionOf } from '../support/rejection';

expect.extend(allCustomMatcher);

/** The webhook URL stored in the secret: https, as the auditor requires; rerouted to 127.0.0.1 below. */
const webhook = canaryWebhook();
/** Text an SDK error message carries: it must never reach a summary, an alert or a log. */
const SDK_MESSAGE = 'canary-sdk-message';

const sim = useSimulator();
const aws = mockAwsClients();
const { sm, cw, sns } = aws;

function harness(env: EnvRecord = {}, dispatcher?: Dispatcher): AuditorRun {
  return auditorRun({
    baseUrl: sim.current.baseUrl,
    env,
    requestIdPrefix: 'run',
    ...(dispatcher === undefined ? {} : { dispatcher }),
  });
}

const serviceError = (name: string) =>
  new SecretsManagerServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: SDK_MESSAGE,
  });

const statusDatum = (check: string): number | undefined =>
  datumsOf(aws, 'CheckStatus').find((d) => d.Dimensions?.[0]?.Value === check)?.Value;

/** The text every subscriber of an alert reads: the per-protocol messages of `MessageStructure: json`. */
function alertText(alert: PublishCommandInput | undefined): string {
  const messages: unknown = JSON.parse(alert?.Message ?? '{}');
  return typeof messages === 'object' && messages !== null ? Object.values(messages).join('\n') : '';
}

const linesWith = (lines: readonly LogLine[], msg: string): LogLine[] => lines.filter((l) => l.msg === msg);

function expectNothingSecret(lines: readonly LogLine[]): void {
  const text = everythingSent(aws, lines);
  expect(text).not.toContain(sim.current.apiKey);
  expect(text).not.toContain(sim.current.managementKey);
  expect(text).not.toContain(webhook.url);
  expect(text).not.toContain('canarywebhook');
  expect(text).not.toContain(SDK_MESSAGE);
}

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, AuditorError);

beforeEach(() => {
  resetAwsMocks(aws);
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
    parameterStore(aws);
    const h = harness();

    const summary = await h.run();

    expect(summary.checks.auth).toBe('fail');
    expect(summary.ok).toBe(false);
    // The alert goes out, names the check and carries the reason.
    expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true, stateSaved: true });
    const [alert] = publishedAlerts(aws);
    expect(alert?.Subject).toMatch(/FAIL.*auth/);
    expect(alertText(alert)).toMatch(reason);
    // The datum, the log lines and the summary line: nothing is dropped.
    expect(statusDatum('auth')).toBe(2);
    expect(datumsOf(aws, 'AuditCompleted')).toHaveLength(1);
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
    parameterStore(aws);
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
      parameterStore(aws);
      const h = harness({ [ENV.managementKeySecretId]: MANAGEMENT_SECRET });

      const summary = await h.run();

      expect(summary.checks.auth).toBe('fail');
      expect(publishedAlerts(aws)[0]?.Message).toMatch(/management key is configured but unusable/);
      expect(publishedAlerts(aws)[0]?.Message).toMatch(reason);
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
    const state = parameterStore(aws);
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
    expect(publishedAlerts(aws)).toHaveLength(1);
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
    const state = parameterStore(aws);
    sns.on(PublishCommand).rejects(snsFailure('InternalErrorException'));
    const h = harness();

    const error = await rejection(h.run());

    expect(error.code).toBe('ALERT_NOT_DELIVERED');
    expect(error.summary).toMatchObject({
      metrics: { published: expect.any(Number) },
      alert: { kind: 'started', snsDelivered: false, stateSaved: false, failedChannels: ['sns'] },
    });
    expect(datumsOf(aws, 'AuditCompleted')).toHaveLength(1);
    expect(datumsOf(aws, 'AlertDeliveryFailures')).toEqual([
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
    parameterStore(aws);
    cw.on(PutMetricDataCommand).rejects(cloudWatchThrottled());
    sns.on(PublishCommand).rejects(snsFailure('ThrottledException'));
    const h = harness();

    const error = await rejection(h.run());

    expect(error.code).toBe('ALERT_NOT_DELIVERED');
    expect(error.summary.metrics).toEqual({ failed: 'METRICS_PUBLISH_FAILED: ThrottlingException' });
    // The result metrics, then the delivery-failure count: both tried, both logged.
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 2);
    expect(datumsOf(aws, 'AlertDeliveryFailures')).toHaveLength(1);
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
  let slack: FakeSlack | undefined;
  let agent: Agent | undefined;

  afterEach(async () => {
    await agent?.close();
    await slack?.close();
    slack = undefined;
    agent = undefined;
  });

  /**
   * A fake Slack answering every POST with `reply`, and a dispatcher that sends the https webhook
   * host to it in plain http (there is no certificate for a test host).
   */
  async function fakeSlack(reply: 'reset' | number): Promise<Dispatcher> {
    slack = await startFakeSlack(
      [reply === 'reset' ? 'reset' : { status: reply, body: 'internal_error' }],
      webhook.token,
    );
    agent = new Agent();
    return rerouteOrigin(agent, `https://${CANARY_WEBHOOK_HOST}`, slack.origin);
  }

  it.each([
    ['answers 500', 500 as const, /HTTP 500 \(internal_error\) after 3 attempts/],
    ['resets the connection', 'reset' as const, /network error \([A-Z_]+\) after 3 attempts/],
  ])(
    'counts and logs an undelivered Slack alert when the webhook %s, and still alerts through SNS',
    async (_case, reply, reason) => {
      sm.on(GetSecretValueCommand, { SecretId: API_SECRET }).resolves(secretString(sim.current.apiKey));
      sm.on(GetSecretValueCommand, { SecretId: SLACK_SECRET }).resolves(secretString(webhook.url));
      const state = parameterStore(aws);
      const h = harness({ [ENV.slackWebhookSecretId]: SLACK_SECRET }, await fakeSlack(reply));

      const summary = await h.run();

      // Retried, then given up: SNS carried the alert, so the run succeeds and the state advances.
      expect(slack?.requests).toHaveLength(3);
      expect(summary.alert).toMatchObject({
        kind: 'started',
        snsDelivered: true,
        slackDelivered: false,
        stateSaved: true,
        failedChannels: ['slack-webhook'],
      });
      expect(state.value()).toContain('deploy-1');
      expect(datumsOf(aws, 'AlertDeliveryFailures')).toEqual([
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
