import {
  CloudWatchClient,
  CloudWatchServiceException,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { PutParameterCommand, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { SsmStateStore } from '../../lambda/alerts/ssm-state-store';
import { AuditorError } from '../../lambda/auditor';
import type { EnvRecord } from '../../lambda/settings';
import { ENV } from '../../lambda/settings-names';
import { useSimulator } from '../support/audit-harness';
import {
  API_SECRET,
  datumsOf,
  everythingSent,
  MANAGEMENT_SECRET,
  metricNames,
  mockAwsClients,
  PARAMETER,
  parameterStore,
  publishedAlerts,
  resetAwsMocks,
  SLACK_SECRET,
  TOPIC,
} from '../support/aws-mocks';
import { type AuditorRun, auditorRun, type LoadedLater, type LogLine } from '../support/lambda-run';
import { rejectionOf } from '../support/rejection';

expect.extend(allCustomMatcher);

const SECRET_CREATED = new Date('2026-11-01T00:00:00.000Z');

const sim = useSimulator();
const aws = mockAwsClients();
const { sm, cw, sns, ssm } = aws;

function harness(
  env: EnvRecord = {},
  loadedLater: LoadedLater = {},
  onLine: (line: LogLine) => void = () => {},
): AuditorRun {
  return auditorRun({
    baseUrl: sim.current.baseUrl,
    env: { [ENV.environmentName]: 'test', ...env },
    loadedLater,
    onLine,
  });
}

function storeKeys(options: { management?: boolean } = {}): void {
  sm.on(GetSecretValueCommand, { SecretId: API_SECRET }).resolves({
    SecretString: options.management
      ? JSON.stringify({ apiKey: sim.current.apiKey, managementKey: sim.current.managementKey })
      : `${sim.current.apiKey}\n`,
    CreatedDate: SECRET_CREATED,
    VersionStages: ['AWSCURRENT'],
  });
}

function expectNoKeyIn(text: string): void {
  expect(text).not.toContain(sim.current.apiKey);
  expect(text).not.toContain(sim.current.managementKey);
  expect(text).not.toMatch(/sk-or-v1-[0-9a-f]{64}/i);
}

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, AuditorError);

beforeEach(() => {
  resetAwsMocks(aws);
  sim.current.setScenario('healthy');
  sim.current.setLatency(0);
  sim.current.clearFaults();
  sim.current.resetCounts();
});

describe('auditor run', () => {
  it('on a healthy first run publishes metrics, sends "monitoring started" and saves the state', async () => {
    storeKeys({ management: true });
    const state = parameterStore(aws);
    const h = harness();

    const summary = await h.run();

    expect(summary.ok).toBe(true);
    expect(summary.checks).toEqual({
      auth: 'pass',
      'key-limit': 'pass',
      credits: 'pass',
      'key-age': 'pass',
      models: 'pass',
      'test-request': 'pass',
      spend: 'pass',
      keys: 'pass',
      providers: 'pass',
      'spend-trend': 'pass',
    });
    expect(summary.metrics).toEqual({ published: expect.any(Number) });
    expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true, stateSaved: true });
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(cw).toHaveReceivedCommandWith(PutMetricDataCommand, { Namespace: 'OpenRouter/Audit' });
    expect(metricNames(aws)).toEqual(
      expect.arrayContaining([
        'CheckStatus',
        'CreditsRemaining',
        'RunwayDays',
        'KeyAgeDays',
        'ProbeLatency',
        'AuditCompleted',
      ]),
    );
    expect(metricNames(aws)).not.toContain('AlertDeliveryFailures');
    expect(datumsOf(aws, 'CheckStatus').every((d) => d.Value === 0)).toBe(true);
    expect(sns).toHaveReceivedCommandExactlyOnceWith(PublishCommand, {
      TopicArn: TOPIC,
      MessageStructure: 'json',
    });
    expect(publishedAlerts(aws)[0]?.Subject).toMatch(/^\[OpenRouter audit\]/);
    expect(state.value()).toContain('"deploymentId":"deploy-1"');
    expectNoKeyIn(everythingSent(aws, h.lines));
  });

  it('sends nothing on a second healthy run and still publishes the heartbeat', async () => {
    storeKeys({ management: true });
    parameterStore(aws);
    const h = harness();
    await h.run();
    sns.resetHistory();
    cw.resetHistory();

    const summary = await h.run();

    expect(summary.alert).toMatchObject({ kind: 'none', snsDelivered: null, stateSaved: true });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(datumsOf(aws, 'AuditCompleted')).toEqual([expect.objectContaining({ Value: 1, Unit: 'Count' })]);
  });

  it('alerts on a check that starts failing and publishes its failing status', async () => {
    storeKeys({ management: true });
    parameterStore(aws);
    const h = harness();
    await h.run();
    sns.resetHistory();
    cw.resetHistory();

    sim.current.setScenario('low-credits');
    const summary = await h.run();

    expect(summary.ok).toBe(false);
    expect(summary.checks.credits).toBe('fail');
    expect(summary.alert).toMatchObject({ kind: 'problem', snsDelivered: true });
    expect(datumsOf(aws, 'CheckStatus')).toContainEqual(
      expect.objectContaining({ Value: 2, Dimensions: [{ Name: 'Check', Value: 'credits' }] }),
    );
    const [alert] = publishedAlerts(aws);
    expect(alert?.Subject).toContain('credits');
    expect(alert?.Subject).toContain('FAIL');
    expect(alert?.Subject?.length).toBeLessThan(100);
    expectNoKeyIn(everythingSent(aws, h.lines));
  });

  it('still sends the alert when CloudWatch fails, and resolves', async () => {
    storeKeys();
    parameterStore(aws);
    cw.on(PutMetricDataCommand).rejects(
      new CloudWatchServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: {},
        message: 'denied',
      }),
    );
    const h = harness();

    const summary = await h.run();

    expect(summary.metrics).toEqual({ failed: 'METRICS_PUBLISH_FAILED: AccessDenied' });
    expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(h.lines).toContainEqual(
      expect.objectContaining({
        msg: 'metrics not published',
        error: 'METRICS_PUBLISH_FAILED: AccessDenied',
      }),
    );
  });

  it('rejects when SNS cannot deliver a due alert, after the metrics and the failure count were published', async () => {
    storeKeys();
    const state = parameterStore(aws);
    sns.on(PublishCommand).rejects(
      new SNSServiceException({
        name: 'AuthorizationErrorException',
        $fault: 'client',
        $metadata: {},
        message: 'no',
      }),
    );
    const h = harness();

    const error = await rejection(h.run());

    expect(error.code).toBe('ALERT_NOT_DELIVERED');
    expect(error.message).toBe('An alert was due and SNS could not deliver it.');
    expect(error.summary.alert).toMatchObject({ snsDelivered: false, stateSaved: false });
    expect(metricNames(aws)).toContain('AuditCompleted');
    expect(datumsOf(aws, 'AlertDeliveryFailures')).toEqual([
      expect.objectContaining({ Value: 1, Unit: 'Count', Dimensions: [{ Name: 'Channel', Value: 'sns' }] }),
    ]);
    // The state is not advanced, so the next run tries the same alert again.
    expect(state.value()).toBeUndefined();
  });

  it('rejects when metrics fail and the alert state cannot be saved', async () => {
    storeKeys();
    parameterStore(aws);
    const h = harness();
    await h.run();
    cw.on(PutMetricDataCommand).rejects(new Error('network down'));
    ssm.on(PutParameterCommand).rejects(
      new SSMServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: {},
        message: 'slow',
      }),
    );

    const error = await rejection(h.run());

    expect(error.code).toBe('METRICS_AND_ALERTING_FAILED');
    expect(error.summary.alert).toMatchObject({ kind: 'none', stateSaved: false, failedChannels: ['state'] });
  });

  it('fails the auth check and alerts when the API key secret is missing, without crashing', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ $metadata: {}, message: 'gone' }));
    parameterStore(aws);
    const h = harness();

    const summary = await h.run();

    expect(summary.checks.auth).toBe('fail');
    expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true });
    const [alert] = publishedAlerts(aws);
    expect(alert?.Subject).toContain('auth');
    expect(alert?.Message).toContain(`secret \\"${API_SECRET}\\" was not found (ResourceNotFoundException)`);
    expect(datumsOf(aws, 'CheckStatus')).toContainEqual(
      expect.objectContaining({ Value: 2, Dimensions: [{ Name: 'Check', Value: 'auth' }] }),
    );
    expect(sim.current.requestCount('chat')).toBe(0);
  });

  it('fails the auth check when the secret holds something that is not a key, never echoing it', async () => {
    const wrong = `${'ab'.repeat(40)}-not-a-key`;
    sm.on(GetSecretValueCommand).resolves({ SecretString: wrong });
    parameterStore(aws);
    const h = harness();

    const summary = await h.run();

    expect(summary.checks.auth).toBe('fail');
    expect(everythingSent(aws, h.lines)).not.toContain(wrong);
  });

  it('passes the secret version date to key-age when there is no management key', async () => {
    storeKeys();
    parameterStore(aws);
    const h = harness();
    await h.run();
    const keyAge = h.lines.find((l) => l.msg === 'check' && l.check === 'key-age');
    expect(keyAge).toMatchObject({ values: { createdAt: SECRET_CREATED.toISOString(), keyAgeDays: 24.5 } });
  });

  it('reads a separate management key secret', async () => {
    storeKeys();
    sm.on(GetSecretValueCommand, { SecretId: MANAGEMENT_SECRET }).resolves({
      SecretString: sim.current.managementKey,
    });
    parameterStore(aws);
    const h = harness({ [ENV.managementKeySecretId]: MANAGEMENT_SECRET });
    const summary = await h.run();
    expect(summary.checks.keys).toBe('pass');
    expect(sim.current.requestCount('credits')).toBeGreaterThan(0);
  });

  it('counts a Slack delivery failure when the webhook secret cannot be read and an alert went out', async () => {
    storeKeys();
    sm.on(GetSecretValueCommand, { SecretId: SLACK_SECRET }).rejects(
      new SecretsManagerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: {},
        message: 'x',
      }),
    );
    parameterStore(aws);
    const h = harness({ [ENV.slackWebhookSecretId]: SLACK_SECRET });

    const summary = await h.run();

    expect(summary.alert).toMatchObject({ snsDelivered: true });
    expect(datumsOf(aws, 'AlertDeliveryFailures')).toEqual([
      expect.objectContaining({ Value: 1, Dimensions: [{ Name: 'Channel', Value: 'slack-webhook' }] }),
    ]);
    expect(h.lines).toContainEqual(expect.objectContaining({ msg: 'Slack webhook URL unavailable' }));
  });

  it('ends the audit before the invocation runs out of time, keeping the publish reserve', async () => {
    storeKeys();
    parameterStore(aws);
    sim.current.setLatency(20_000);
    const h = harness({ [ENV.publishReserveMs]: '3000' });

    const summary = await h.run(6000);

    // The audit gets at most 6 s minus the 3 s reserve; the rest is for publishing. Read from the
    // deadline the audit was given, not from a stopwatch a loaded machine would skew.
    const auth = h.lines.find((l) => l.msg === 'check' && l.check === 'auth');
    const deadline = Number(/deadline of (\d+) ms/.exec(String(auth?.summary ?? ''))?.[1]);
    expect(deadline).toBeGreaterThan(0);
    expect(deadline).toBeLessThanOrEqual(3000);
    expect(summary.checks.auth).toBe('error');
    expect(summary.alert).toMatchObject({ snsDelivered: true });
    expect(metricNames(aws)).toContain('AuditCompleted');
  });

  it('logs one line per check and one summary line, all without a key', async () => {
    storeKeys({ management: true });
    parameterStore(aws);
    const h = harness();
    await h.run();

    const checks = h.lines.filter((l) => l.msg === 'check');
    expect(checks.map((l) => l.check)).toEqual([
      'auth',
      'key-limit',
      'credits',
      'key-age',
      'models',
      'test-request',
      'spend',
      'keys',
      'providers',
      'spend-trend',
    ]);
    expect(checks.every((l) => l.runId === 'request-1')).toBe(true);
    const finished = h.lines.filter((l) => l.msg === 'audit finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ runId: 'request-1', ok: true, checks: { auth: 'pass' } });
    expectNoKeyIn(JSON.stringify(h.lines));
  });
});

describe('auditor run with the post-audit clients given as loaders', () => {
  const failedLoad = () => Promise.reject(new Error('Cannot find package @aws-sdk/client-x'));
  const throwingLoad = (): Promise<never> => {
    throw new Error('Cannot find package @aws-sdk/client-x');
  };

  it('calls every loader before it reads the secrets', async () => {
    const events: string[] = [];
    sm.on(GetSecretValueCommand).callsFake(() => {
      events.push('GetSecretValue');
      return { SecretString: sim.current.apiKey, CreatedDate: SECRET_CREATED };
    });
    parameterStore(aws);
    const loader =
      <T>(name: string, value: T) =>
      async () => {
        events.push(name);
        return value;
      };
    const h = harness(
      {},
      {
        cloudWatch: loader('cloudWatch', new CloudWatchClient({ region: 'us-east-1' })),
        sns: loader('sns', new SNSClient({ region: 'us-east-1' })),
        stateStore: loader(
          'stateStore',
          new SsmStateStore({ client: new SSMClient({ region: 'us-east-1' }), parameterName: PARAMETER }),
        ),
      },
    );

    const summary = await h.run();

    expect(events).toEqual(['cloudWatch', 'sns', 'stateStore', 'GetSecretValue']);
    expect(summary).toMatchObject({ ok: true, metrics: { published: expect.any(Number) } });
    expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true, stateSaved: true });
  });

  it('runs the whole audit while the loaders are still pending', async () => {
    storeKeys();
    parameterStore(aws);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const afterGate =
      <T>(value: T) =>
      async () => {
        await gate;
        return value;
      };
    // The clients arrive only once the audit has logged its checks: a run that waited for them
    // before auditing would never finish.
    const h = harness(
      {},
      {
        cloudWatch: afterGate(new CloudWatchClient({ region: 'us-east-1' })),
        sns: afterGate(new SNSClient({ region: 'us-east-1' })),
      },
      (line) => {
        if (line.msg === 'check') release();
      },
    );

    const summary = await h.run();

    expect(summary.ok).toBe(true);
    expect(metricNames(aws)).toContain('AuditCompleted');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it.each([
    ['rejects', failedLoad],
    ['throws', throwingLoad],
  ])('leaves the metrics unpublished and still alerts when the CloudWatch loader %s', async (_, load) => {
    storeKeys();
    parameterStore(aws);
    const h = harness({}, { cloudWatch: load });

    const summary = await h.run();

    expect(summary.checks.auth).toBe('pass');
    expect(summary.metrics).toEqual({ failed: 'Error' });
    expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true, stateSaved: true });
    expect(cw).not.toHaveReceivedAnyCommand();
    expect(h.lines).toContainEqual(expect.objectContaining({ msg: 'metrics not published', error: 'Error' }));
  });

  it.each([
    ['rejects', failedLoad],
    ['throws', throwingLoad],
  ])(
    'ends the invocation in error as an undelivered alert when the SNS loader %s, after publishing the metrics',
    async (_, load) => {
      storeKeys();
      const state = parameterStore(aws);
      const h = harness({}, { sns: load });

      const error = await rejection(h.run());

      expect(error.code).toBe('ALERT_NOT_DELIVERED');
      expect(error.summary.checks.auth).toBe('pass');
      expect(error.summary.alert).toEqual({ failed: 'Error' });
      expect(metricNames(aws)).toContain('AuditCompleted');
      expect(datumsOf(aws, 'AlertDeliveryFailures')).toEqual([
        expect.objectContaining({ Value: 1, Dimensions: [{ Name: 'Channel', Value: 'sns' }] }),
      ]);
      // Alerting never started: the state stays as it was, so the next run decides again.
      expect(state.value()).toBeUndefined();
    },
  );

  it.each([
    ['rejects', failedLoad],
    ['throws', throwingLoad],
  ])('alerts anyway and reports the state channel when the state store loader %s', async (_, load) => {
    storeKeys();
    const h = harness({}, { stateStore: load });

    const summary = await h.run();

    expect(summary.metrics).toEqual({ published: expect.any(Number) });
    expect(summary.alert).toMatchObject({
      kind: 'started',
      snsDelivered: true,
      stateSaved: false,
      failedChannels: ['state'],
    });
    expect(ssm).not.toHaveReceivedAnyCommand();
    expect(h.lines).toContainEqual(
      expect.objectContaining({ msg: 'alert state unreadable; alerting anyway' }),
    );
  });
});

describe('auditor run with the daily digest (digestHourUtc)', () => {
  it('sends the digest once for the day through SNS and the SSM state, not again on the next run or a retry', async () => {
    storeKeys({ management: true });
    const stored = parameterStore(aws);
    const h = harness({ [ENV.digestHourUtc]: '0' });
    await h.run();
    await h.run();
    await h.run();
    const digests = publishedAlerts(aws).filter((a) => /daily digest/.test(a.Subject ?? ''));
    expect(digests).toHaveLength(1);
    expect(digests[0]?.Subject).toMatch(/^\[OpenRouter audit\] test daily digest 2026-11-25: 10 pass$/);
    expect(JSON.parse(stored.value() ?? '{}').digest).toMatchObject({ day: '2026-11-25' });
    expectNoKeyIn(JSON.stringify(publishedAlerts(aws)));
  });

  it('sends no digest without the setting', async () => {
    storeKeys({ management: true });
    parameterStore(aws);
    await harness().run();
    expect(publishedAlerts(aws).filter((a) => /daily digest/.test(a.Subject ?? ''))).toHaveLength(0);
  });
});
