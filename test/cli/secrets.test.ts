import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
// Types only: the matchers are registered below.
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../lambda/render/json';
import { startSimulator } from '../../simulator/server';
import type { Simulator } from '../../simulator/types';
import { hangUntilAborted } from '../support/aws-mocks';
import { KEY_SHAPED, runCliCaptured } from './harness';

expect.extend(allCustomMatcher);

// Canaries built at run time: no key-shaped literal lives in the repository.
const apiKey = `sk-or-v1-${'e6'.repeat(32)}`;
const managementKey = `sk-or-v1-${'f7'.repeat(32)}`;
const sm = mockClient(SecretsManagerClient);
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ apiKey, managementKey });
});

afterAll(async () => {
  sm.restore();
  await simulator.close();
});

beforeEach(() => {
  sm.reset();
});

const checksOf = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout) as JsonReport).checks.map((c) => [c.id, c]));

describe('--secret-id and --management-secret-id (Secrets Manager through the default AWS chain)', () => {
  it('audits with the keys of a JSON secret and passes, without printing them', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'prod/openrouter' }).resolves({
      SecretString: JSON.stringify({ apiKey, managementKey }),
      CreatedDate: new Date(),
    });
    const { code, stdout, stderr } = await runCliCaptured(
      ['--secret-id', 'prod/openrouter', '--base-url', simulator.baseUrl, '--format', 'json'],
      { env: {} },
    );
    const checks = checksOf(stdout);
    expect(checks.auth?.status).toBe('pass');
    expect(checks.keys?.status).toBe('pass');
    expect(code).toBe(0);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'prod/openrouter' });
    expect(stdout + stderr).not.toMatch(KEY_SHAPED);
  });

  it('reads the management key from its own secret and the API key from the environment', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'prod/openrouter-mgmt' }).resolves({
      SecretString: managementKey,
    });
    const { code, stdout } = await runCliCaptured(
      ['--management-secret-id', 'prod/openrouter-mgmt', '--base-url', simulator.baseUrl, '--format', 'json'],
      { env: { OPENROUTER_API_KEY: apiKey } },
    );
    expect(checksOf(stdout).keys?.status).toBe('pass');
    expect(code).toBe(0);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('fails auth naming the secret when it does not exist, and exits 1', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({ message: 'Secrets Manager cannot find it', $metadata: {} }),
    );
    const { code, stdout } = await runCliCaptured(
      ['--secret-id', 'prod/missing', '--base-url', simulator.baseUrl, '--format', 'json'],
      { env: { OPENROUTER_API_KEY: apiKey } },
    );
    const auth = checksOf(stdout).auth;
    expect(auth?.status).toBe('fail');
    expect(auth?.summary).toContain('secret "prod/missing" was not found');
    expect(code).toBe(1);
  });

  it('ends a hung Secrets Manager read at --timeout: auth fails naming the secret, exit 1', async () => {
    hangUntilAborted(sm);
    const { code, stdout } = await runCliCaptured(
      ['--secret-id', 'prod/hung', '--timeout', '300', '--base-url', simulator.baseUrl, '--format', 'json'],
      { env: {} },
    );
    const auth = checksOf(stdout).auth;
    expect(auth?.status).toBe('fail');
    expect(auth?.summary).toContain('reading secret "prod/hung" did not finish in time');
    expect(code).toBe(1);
    const options = sm.send.getCalls().map((call) => (call.args as readonly unknown[])[1]);
    expect(options).toEqual([{ abortSignal: expect.any(AbortSignal) }]);
  });
});
