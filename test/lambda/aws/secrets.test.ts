import {
  DecryptionFailure,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
// Types only: the matchers are registered below.
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SECRET_CACHE_TTL_MS,
  loadKeys,
  loadSlackWebhookUrl,
  NOT_AN_OPENROUTER_KEY,
  secretSource,
} from '../../../lambda/aws/secrets';

// Obviously fake keys, built at run time so that no file holds a key-shaped literal.
expect.extend(allCustomMatcher);

const API_KEY = `sk-or-v1-${'ab'.repeat(32)}`;
const MANAGEMENT_KEY = `sk-or-v1-${'cd'.repeat(32)}`;
const API_ID = 'openrouter/api-key';
const MANAGEMENT_ID = 'openrouter/management-key';
const CREATED = new Date('2026-10-01T08:00:00.000Z');
/** A string the SDK error messages carry: it must never reach a problem text. */
const SDK_MESSAGE_CANARY = 'canary-sdk-message-text';

const sm = mockClient(SecretsManagerClient);
const client = new SecretsManagerClient({ region: 'us-east-1' });
const uncached = () => secretSource(client, { cacheTtlMs: 0 });

function answer(secretId: string, value: { SecretString?: string; SecretBinary?: Uint8Array }): void {
  sm.on(GetSecretValueCommand, { SecretId: secretId }).resolves({
    ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretId}-AbCdEf`,
    Name: secretId,
    VersionId: 'v1',
    VersionStages: ['AWSCURRENT'],
    CreatedDate: CREATED,
    ...value,
  });
}

function serviceError(name: string): SecretsManagerServiceException {
  return new SecretsManagerServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: SDK_MESSAGE_CANARY,
  });
}

beforeEach(() => {
  sm.reset();
});

describe('loadKeys', () => {
  it('reads a bare API key and the creation date of its current version', async () => {
    answer(API_ID, { SecretString: API_KEY });
    const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID });
    expect(keys).toEqual({ apiKey: API_KEY, apiKeyCreatedAt: CREATED });
    expect(sm).toHaveReceivedCommandExactlyOnceWith(GetSecretValueCommand, { SecretId: API_ID });
  });

  it.each([
    ['a trailing newline', `${API_KEY}\n`],
    ['surrounding spaces and tabs', ` \t${API_KEY} \r\n`],
  ])('trims %s around a bare key', async (_label, stored) => {
    answer(API_ID, { SecretString: stored });
    expect((await loadKeys(uncached(), { apiKeySecretId: API_ID })).apiKey).toBe(API_KEY);
  });

  it('accepts a key written in upper-case hex', async () => {
    const upper = `sk-or-v1-${'AB'.repeat(32)}`;
    answer(API_ID, { SecretString: upper });
    expect(await loadKeys(uncached(), { apiKeySecretId: API_ID })).toEqual({
      apiKey: upper,
      apiKeyCreatedAt: CREATED,
    });
  });

  it('reads both keys from a JSON secret, trimming each', async () => {
    answer(API_ID, {
      SecretString: JSON.stringify({ apiKey: ` ${API_KEY}\n`, managementKey: MANAGEMENT_KEY }),
    });
    expect(await loadKeys(uncached(), { apiKeySecretId: API_ID })).toEqual({
      apiKey: API_KEY,
      managementKey: MANAGEMENT_KEY,
      apiKeyCreatedAt: CREATED,
    });
  });

  it('reads the management key from its own secret, which wins over the JSON field', async () => {
    const other = `sk-or-v1-${'ef'.repeat(32)}`;
    answer(API_ID, { SecretString: JSON.stringify({ apiKey: API_KEY, managementKey: other }) });
    answer(MANAGEMENT_ID, { SecretString: `${MANAGEMENT_KEY}\n` });
    const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID, managementKeySecretId: MANAGEMENT_ID });
    expect(keys).toEqual({ apiKey: API_KEY, managementKey: MANAGEMENT_KEY, apiKeyCreatedAt: CREATED });
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('reads a management key secret written as JSON {"managementKey": ...}', async () => {
    answer(API_ID, { SecretString: API_KEY });
    answer(MANAGEMENT_ID, { SecretString: JSON.stringify({ managementKey: MANAGEMENT_KEY }) });
    const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID, managementKeySecretId: MANAGEMENT_ID });
    expect(keys.managementKey).toBe(MANAGEMENT_KEY);
  });

  it.each([
    [
      'JSON without the apiKey field',
      JSON.stringify({ key: API_KEY }),
      `the secret's JSON has no "apiKey" field`,
    ],
    [
      'a non-string apiKey field',
      JSON.stringify({ apiKey: 42 }),
      `the secret's "apiKey" field is not a string`,
    ],
    ['malformed JSON', `{"apiKey": "${API_KEY}"`, 'the secret value is not valid JSON'],
    ['a JSON array', JSON.stringify([API_KEY]), 'the secret value is not a JSON object'],
    ['an empty value', '', 'the secret value is empty'],
    ['only whitespace', ' \n\t ', 'the secret value is empty'],
    ['a value that is not a key', `Bearer ${API_KEY}`, NOT_AN_OPENROUTER_KEY],
    ['a key with a missing character', API_KEY.slice(0, -1), NOT_AN_OPENROUTER_KEY],
    ['an OpenAI key', `sk-proj-${'Zz9'.repeat(16)}`, NOT_AN_OPENROUTER_KEY],
    [
      'a JSON apiKey that is not a key',
      JSON.stringify({ apiKey: 'hunter2-password' }),
      `"apiKey" field: ${NOT_AN_OPENROUTER_KEY}`,
    ],
  ])('reports %s without echoing the value', async (_label, stored, reason) => {
    answer(API_ID, { SecretString: stored });
    const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID });
    expect(keys.apiKey).toBeUndefined();
    expect(keys.apiKeyProblem).toContain(`secret "${API_ID}": ${reason}`);
    // Neither the value nor any part of the key body may appear.
    expect(keys.apiKeyProblem).not.toContain(API_KEY.slice(9, 30));
    expect(keys.apiKeyProblem).not.toContain('hunter2');
    expect(keys.apiKeyProblem).not.toContain('Zz9');
  });

  it('reports a binary secret', async () => {
    answer(API_ID, { SecretBinary: new TextEncoder().encode(API_KEY) });
    const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID });
    expect(keys.apiKey).toBeUndefined();
    expect(keys.apiKeyProblem).toBe(
      `secret "${API_ID}" holds binary data (SecretBinary); store the key as a secret string`,
    );
  });

  it.each([
    [
      'a missing secret',
      new ResourceNotFoundException({ $metadata: {}, message: SDK_MESSAGE_CANARY }),
      `secret "${API_ID}" was not found (ResourceNotFoundException): create it, or fix the secret id`,
    ],
    [
      'denied access',
      serviceError('AccessDeniedException'),
      `reading secret "${API_ID}" was denied (AccessDeniedException): grant secretsmanager:GetSecretValue on it`,
    ],
    [
      'throttling',
      serviceError('ThrottlingException'),
      `Secrets Manager throttled the read of secret "${API_ID}" (ThrottlingException); it is retried on the next run`,
    ],
    [
      'a KMS decryption failure',
      new DecryptionFailure({ $metadata: {}, message: SDK_MESSAGE_CANARY }),
      `secret "${API_ID}" could not be decrypted (DecryptionFailure): grant kms:Decrypt on the secret's KMS key`,
    ],
    ['an unexpected error', new Error(SDK_MESSAGE_CANARY), `reading secret "${API_ID}" failed (Error)`],
  ])(
    'turns %s into a reason naming the secret and the SDK error name only',
    async (_label, error, reason) => {
      sm.on(GetSecretValueCommand).rejects(error);
      const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID });
      expect(keys).toEqual({ apiKeyProblem: reason });
    },
  );

  it('keeps the API key when only the management key secret fails', async () => {
    answer(API_ID, { SecretString: API_KEY });
    sm.on(GetSecretValueCommand, { SecretId: MANAGEMENT_ID }).rejects(serviceError('AccessDeniedException'));
    const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID, managementKeySecretId: MANAGEMENT_ID });
    expect(keys.apiKey).toBe(API_KEY);
    expect(keys.managementKey).toBeUndefined();
    expect(keys.managementKeyProblem).toContain(
      `reading secret "${MANAGEMENT_ID}" was denied (AccessDeniedException)`,
    );
  });

  it('keeps the API key and reports a bad managementKey field of the JSON secret', async () => {
    answer(API_ID, { SecretString: JSON.stringify({ apiKey: API_KEY, managementKey: 'not-a-key-at-all' }) });
    const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID });
    expect(keys.apiKey).toBe(API_KEY);
    expect(keys.managementKeyProblem).toBe(
      `secret "${API_ID}": "managementKey" field: ${NOT_AN_OPENROUTER_KEY}`,
    );
  });

  it('returns the management key of a JSON secret even when its apiKey is missing', async () => {
    answer(API_ID, { SecretString: JSON.stringify({ managementKey: MANAGEMENT_KEY }) });
    const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID });
    expect(keys.managementKey).toBe(MANAGEMENT_KEY);
    expect(keys.apiKeyProblem).toContain('no "apiKey" field');
  });

  it('passes the abort signal to the SDK call, and does not wait for a read once it aborted', async () => {
    answer(API_ID, { SecretString: API_KEY });
    const controller = new AbortController();
    controller.abort();
    const keys = await loadKeys(uncached(), { apiKeySecretId: API_ID }, { signal: controller.signal });
    // The mock does not observe the signal; the read is raced against it, so it counts as late.
    expect(keys.apiKey).toBeUndefined();
    expect(keys.apiKeyProblem).toContain('did not finish in time (AbortError)');
    // The mock types send() as taking the command only; the SDK's options are its second argument.
    const args: readonly unknown[] = sm.call(0).args;
    expect(args[1]).toMatchObject({ abortSignal: controller.signal });
  });
});

describe('secretSource cache', () => {
  const clock = () => {
    let now = Date.parse('2026-11-25T12:00:00.000Z');
    return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
  };

  it('reuses a read secret within the TTL and reads it again after, picking up a rotated key', async () => {
    const time = clock();
    const source = secretSource(client, { now: time.now });
    const rotated = `sk-or-v1-${'12'.repeat(32)}`;
    answer(API_ID, { SecretString: API_KEY });

    expect((await loadKeys(source, { apiKeySecretId: API_ID })).apiKey).toBe(API_KEY);
    answer(API_ID, { SecretString: rotated });
    time.advance(DEFAULT_SECRET_CACHE_TTL_MS - 1);
    expect((await loadKeys(source, { apiKeySecretId: API_ID })).apiKey).toBe(API_KEY);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);

    time.advance(1);
    expect((await loadKeys(source, { apiKeySecretId: API_ID })).apiKey).toBe(rotated);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('does not cache a failed read, so a fixed secret is used on the next run', async () => {
    const time = clock();
    const source = secretSource(client, { now: time.now });
    sm.on(GetSecretValueCommand)
      .rejectsOnce(serviceError('ThrottlingException'))
      .resolves({ SecretString: API_KEY });
    expect((await loadKeys(source, { apiKeySecretId: API_ID })).apiKeyProblem).toContain(
      'ThrottlingException',
    );
    expect((await loadKeys(source, { apiKeySecretId: API_ID })).apiKey).toBe(API_KEY);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('caches each secret id separately', async () => {
    const source = secretSource(client, { now: clock().now });
    answer(API_ID, { SecretString: API_KEY });
    answer(MANAGEMENT_ID, { SecretString: MANAGEMENT_KEY });
    await loadKeys(source, { apiKeySecretId: API_ID, managementKeySecretId: MANAGEMENT_ID });
    await loadKeys(source, { apiKeySecretId: API_ID, managementKeySecretId: MANAGEMENT_ID });
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });
});

describe('loadSlackWebhookUrl', () => {
  const WEBHOOK_ID = 'openrouter/slack';
  const URL_VALUE = 'https://hooks.example.test/services/canarywebhooktoken';

  it.each([
    ['a bare URL', `${URL_VALUE}\n`],
    ['JSON {"url": ...}', JSON.stringify({ url: URL_VALUE })],
  ])('reads %s', async (_label, stored) => {
    answer(WEBHOOK_ID, { SecretString: stored });
    expect(await loadSlackWebhookUrl(uncached(), WEBHOOK_ID)).toEqual({ url: URL_VALUE });
  });

  it.each([
    ['plain http', 'http://hooks.example.test/services/canarywebhooktoken', 'is not an https URL'],
    ['not a URL', 'canarywebhooktoken', 'is not an https URL'],
    ['malformed JSON', '{"url": "https://hooks.example.test/canarywebhooktoken"', 'is not valid JSON'],
    ['JSON without url', JSON.stringify({ webhook: URL_VALUE }), 'has no string "url" field'],
  ])('reports %s without echoing the value', async (_label, stored, reason) => {
    answer(WEBHOOK_ID, { SecretString: stored });
    const loaded = await loadSlackWebhookUrl(uncached(), WEBHOOK_ID);
    expect(loaded.url).toBeUndefined();
    expect(loaded.problem).toContain(`secret "${WEBHOOK_ID}"`);
    expect(loaded.problem).toContain(reason);
    expect(loaded.problem).not.toContain('canarywebhooktoken');
  });

  it('reports a read failure', async () => {
    sm.on(GetSecretValueCommand).rejects(serviceError('AccessDeniedException'));
    expect((await loadSlackWebhookUrl(uncached(), WEBHOOK_ID)).problem).toContain('AccessDeniedException');
  });
});
