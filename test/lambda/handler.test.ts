import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand } from '@aws-sdk/client-ssm';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../lambda/settings-names';
import { useSimulator } from '../support/audit-harness';
import { mockAwsClients, resetAwsMocks } from '../support/aws-mocks';
import { captureConsole, lambdaContext } from '../support/lambda-run';

expect.extend(allCustomMatcher);

const sim = useSimulator();
// Mocked on the prototype: the clients the handler builds itself are intercepted too.
const aws = mockAwsClients();
const { sm, cw, sns, ssm } = aws;

/** A fresh module: the handler's per-container state starts empty, as on a cold start. */
async function coldHandler() {
  vi.resetModules();
  return (await import('../../lambda/handler')).handler;
}

beforeEach(() => {
  resetAwsMocks(aws);
  sim.current.setScenario('healthy');
  vi.stubEnv(ENV.apiKeySecretId, 'openrouter/api-key');
  vi.stubEnv(ENV.alertTopicArn, 'arn:aws:sns:us-east-1:123456789012:openrouter-audit');
  vi.stubEnv(ENV.schedulePeriodMinutes, '60');
  vi.stubEnv(ENV.stateParameterName, '/openrouter-audit/state');
  vi.stubEnv(ENV.baseUrl, sim.current.baseUrl);
  vi.stubEnv(ENV.auditConfig, '{"dailyBudgetUsd": 50}');
  sm.on(GetSecretValueCommand).resolves({ SecretString: sim.current.apiKey, CreatedDate: new Date() });
  ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ $metadata: {}, message: 'none' }));
  ssm.on(PutParameterCommand).resolves({ Version: 1 });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.doUnmock('@aws-sdk/client-cloudwatch');
});

/**
 * Replaces the CloudWatch client class the handler imports by a subclass that counts the clients
 * built and fails to build the first `failures` of them. Sends still go to the mocked prototype.
 */
function countCloudWatchClients(failures = 0): { built: () => number } {
  let attempts = 0;
  let built = 0;
  vi.doMock('@aws-sdk/client-cloudwatch', async (importOriginal) => {
    const original = await importOriginal<typeof import('@aws-sdk/client-cloudwatch')>();
    class CountedCloudWatchClient extends original.CloudWatchClient {
      constructor(...args: ConstructorParameters<typeof original.CloudWatchClient>) {
        attempts += 1;
        if (attempts <= failures) throw new Error('the CloudWatch client could not be built');
        super(...args);
        built += 1;
      }
    }
    return { ...original, CloudWatchClient: CountedCloudWatchClient };
  });
  return { built: () => built };
}

describe('handler', () => {
  it('reads its settings from the environment and runs the audit, publishing and alerting', async () => {
    const output = captureConsole();
    const handler = await coldHandler();

    const summary = await handler({}, lambdaContext(60_000));

    expect(summary).toMatchObject({
      runId: 'request-1',
      ok: true,
      alert: { kind: 'started', snsDelivered: true },
    });
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'openrouter/api-key' });
    expect(cw).toHaveReceivedCommandWith(PutMetricDataCommand, { Namespace: 'OpenRouter/Audit' });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:openrouter-audit',
    });
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: '/openrouter-audit/state' });
    expect(output).toContainEqual(expect.objectContaining({ msg: 'audit finished', runId: 'request-1' }));
    expect(JSON.stringify(output)).not.toContain(sim.current.apiKey);
  });

  it('reuses the secret read by the previous invocation of the same container', async () => {
    captureConsole();
    const handler = await coldHandler();
    await handler({}, lambdaContext(60_000, 'request-1'));
    await handler({}, lambdaContext(60_000, 'request-2'));
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('builds the CloudWatch client on the first invocation and reuses it on warm ones', async () => {
    captureConsole();
    const clients = countCloudWatchClients();
    const handler = await coldHandler();
    expect(clients.built()).toBe(0);

    await handler({}, lambdaContext(60_000, 'request-1'));
    await handler({}, lambdaContext(60_000, 'request-2'));

    expect(clients.built()).toBe(1);
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 2);
  });

  it('builds a client that failed to load again on the next invocation, after auditing without it', async () => {
    captureConsole();
    const clients = countCloudWatchClients(1);
    const handler = await coldHandler();

    const first = await handler({}, lambdaContext(60_000, 'request-1'));
    const second = await handler({}, lambdaContext(60_000, 'request-2'));

    expect(first).toMatchObject({ ok: true, metrics: { failed: 'Error' }, alert: { snsDelivered: true } });
    expect(second).toMatchObject({ ok: true, metrics: { published: expect.any(Number) } });
    expect(clients.built()).toBe(1);
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  });

  it('fails the invocation at cold start naming each invalid variable', async () => {
    const output = captureConsole();
    vi.stubEnv(ENV.alertTopicArn, '');
    vi.stubEnv(ENV.schedulePeriodMinutes, 'hourly');
    const handler = await coldHandler();

    const error = await handler({}, lambdaContext(60_000)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'SettingsError', code: 'SETTINGS_INVALID' });
    expect(error instanceof Error ? error.message : '').toMatch(
      /ALERT_TOPIC_ARN is required.*SCHEDULE_PERIOD_MINUTES must be/,
    );
    expect(output).toContainEqual(expect.objectContaining({ msg: 'invalid settings' }));
    expect(sm).not.toHaveReceivedAnyCommand();
  });

  it('builds nothing at import time', async () => {
    vi.stubEnv(ENV.apiKeySecretId, '');
    // Importing with invalid settings must not throw: settings are read on the first invocation.
    await expect(coldHandler()).resolves.toBeTypeOf('function');
    for (const mock of [sm, cw, sns, ssm]) expect(mock).not.toHaveReceivedAnyCommand();
  });
});
