import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { abortOptions, untilAborted } from './until-aborted';

/**
 * Reads the OpenRouter keys and the Slack webhook URL from Secrets Manager. Nothing here throws:
 * every failure becomes a one-line `problem` that names the secret id (not secret) and at most the
 * SDK error's name, never the secret's value, which is what the `auth` check and the logs show.
 */

/** `sk-or-v1-` followed by 64 hex characters; case-insensitive, as some tools upper-case secrets. */
export const OPENROUTER_KEY_SHAPE = /^sk-or-v1-[0-9a-f]{64}$/i;

export const NOT_AN_OPENROUTER_KEY =
  'the secret value is not an OpenRouter key (expected sk-or-v1- followed by 64 hex characters)';

/** How long a read secret is reused by one container; short, so that a rotated key is picked up. */
export const DEFAULT_SECRET_CACHE_TTL_MS = 5 * 60_000;

export interface ReadOptions {
  /** Aborts the Secrets Manager request (the invocation's deadline). */
  readonly signal?: AbortSignal;
}

/** One secret read: its string value and the creation date of the version read, or why it failed. */
export type SecretRead =
  | { readonly ok: true; readonly value: string; readonly createdAt?: Date }
  | { readonly ok: false; readonly problem: string };

/** Where secret values come from: Secrets Manager, cached or not (tests may pass their own). */
export interface SecretSource {
  read(secretId: string, options?: ReadOptions): Promise<SecretRead>;
}

export interface SecretSourceOptions {
  /** 0 turns the cache off (the CLI reads once anyway). @default 300000 (5 minutes) */
  readonly cacheTtlMs?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * A SecretSource over GetSecretValue (the AWSCURRENT version). Successful reads are cached per
 * secret id for `cacheTtlMs`; failures are not, so that a fixed secret is used on the next run.
 */
export function secretSource(client: SecretsManagerClient, options: SecretSourceOptions = {}): SecretSource {
  const ttlMs = options.cacheTtlMs ?? DEFAULT_SECRET_CACHE_TTL_MS;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, { readonly read: SecretRead; readonly expiresAt: number }>();
  return {
    async read(secretId, readOptions) {
      const cached = cache.get(secretId);
      if (cached && now().getTime() < cached.expiresAt) return cached.read;
      cache.delete(secretId);
      const read = await readSecret(client, secretId, readOptions);
      if (read.ok && ttlMs > 0) cache.set(secretId, { read, expiresAt: now().getTime() + ttlMs });
      return read;
    },
  };
}

async function readSecret(
  client: SecretsManagerClient,
  secretId: string,
  options?: ReadOptions,
): Promise<SecretRead> {
  const where = `secret "${secretId}"`;
  try {
    const out = await untilAborted(
      client.send(new GetSecretValueCommand({ SecretId: secretId }), abortOptions(options?.signal)),
      options?.signal,
    );
    if (out.SecretString === undefined) {
      return out.SecretBinary === undefined
        ? { ok: false, problem: `${where} has no value` }
        : {
            ok: false,
            problem: `${where} holds binary data (SecretBinary); store the key as a secret string`,
          };
    }
    return { ok: true, value: out.SecretString, ...(out.CreatedDate ? { createdAt: out.CreatedDate } : {}) };
  } catch (error) {
    return { ok: false, problem: describeReadError(where, error) };
  }
}

/** The SDK error's name only: its message can quote request details. */
function sdkErrorName(error: unknown): string {
  const name = error instanceof Error ? error.name : undefined;
  return name && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(name) ? name : 'UnknownError';
}

function describeReadError(where: string, error: unknown): string {
  const name = sdkErrorName(error);
  switch (name) {
    case 'ResourceNotFoundException':
      return `${where} was not found (${name}): create it, or fix the secret id`;
    case 'AccessDeniedException':
      return `reading ${where} was denied (${name}): grant secretsmanager:GetSecretValue on it`;
    case 'DecryptionFailure':
      return `${where} could not be decrypted (${name}): grant kms:Decrypt on the secret's KMS key`;
    case 'ThrottlingException':
    case 'Throttling':
    case 'TooManyRequestsException':
      return `Secrets Manager throttled the read of ${where} (${name}); it is retried on the next run`;
    case 'InvalidRequestException':
      return `${where} cannot be read (${name}): it may be scheduled for deletion`;
    case 'AbortError':
    case 'TimeoutError':
      return `reading ${where} did not finish in time (${name})`;
    default:
      return `reading ${where} failed (${name})`;
  }
}

// ---------------------------------------------------------------------------------------------

export interface KeySecretIds {
  /** Secret holding the bare API key, or JSON `{"apiKey": "...", "managementKey"?: "..."}`. */
  readonly apiKeySecretId?: string;
  /** Secret holding only the management key (bare, or JSON `{"managementKey": "..."}`); wins over the JSON field. */
  readonly managementKeySecretId?: string;
}

/** The keys read, or why each could not be: passed to the engine as AuditDeps. */
export interface LoadedKeys {
  readonly apiKey?: string;
  readonly managementKey?: string;
  readonly apiKeyProblem?: string;
  readonly managementKeyProblem?: string;
  /** Creation date of the API key secret's AWSCURRENT version: the `key-age` check's fallback. */
  readonly apiKeyCreatedAt?: Date;
}

const API_KEY_FORMAT = 'expected the bare key or JSON {"apiKey": "...", "managementKey": "..."}';
const MANAGEMENT_KEY_FORMAT = 'expected the bare key or JSON {"managementKey": "..."}';

/** Reads and validates the keys. Never throws; each problem names its secret and never echoes a value. */
export async function loadKeys(
  source: SecretSource,
  ids: KeySecretIds,
  options?: ReadOptions,
): Promise<LoadedKeys> {
  const [apiRead, managementRead] = await Promise.all([
    ids.apiKeySecretId === undefined ? undefined : source.read(ids.apiKeySecretId, options),
    ids.managementKeySecretId === undefined ? undefined : source.read(ids.managementKeySecretId, options),
  ]);
  const keys: {
    apiKey?: string;
    managementKey?: string;
    apiKeyProblem?: string;
    managementKeyProblem?: string;
    apiKeyCreatedAt?: Date;
  } = {};

  if (ids.apiKeySecretId !== undefined && apiRead !== undefined) {
    const where = `secret "${ids.apiKeySecretId}"`;
    if (!apiRead.ok) keys.apiKeyProblem = apiRead.problem;
    else {
      if (apiRead.createdAt) keys.apiKeyCreatedAt = apiRead.createdAt;
      const parsed = parseKeySecret(apiRead.value, 'apiKey', API_KEY_FORMAT);
      if (parsed.problem !== undefined) keys.apiKeyProblem = `${where}: ${parsed.problem}`;
      else if (parsed.primary !== undefined) keys.apiKey = parsed.primary;
      if (ids.managementKeySecretId === undefined) {
        if (parsed.managementProblem !== undefined)
          keys.managementKeyProblem = `${where}: ${parsed.managementProblem}`;
        else if (parsed.managementKey !== undefined) keys.managementKey = parsed.managementKey;
      }
    }
  }

  if (ids.managementKeySecretId !== undefined && managementRead !== undefined) {
    const where = `secret "${ids.managementKeySecretId}"`;
    if (!managementRead.ok) keys.managementKeyProblem = managementRead.problem;
    else {
      const parsed = parseKeySecret(managementRead.value, 'managementKey', MANAGEMENT_KEY_FORMAT);
      if (parsed.problem !== undefined) keys.managementKeyProblem = `${where}: ${parsed.problem}`;
      else if (parsed.primary !== undefined) keys.managementKey = parsed.primary;
    }
  }
  return keys;
}

interface ParsedKeySecret {
  /** The key named by `field` (or the bare value). */
  readonly primary?: string;
  readonly problem?: string;
  /** The optional `managementKey` field of an API key secret's JSON. */
  readonly managementKey?: string;
  readonly managementProblem?: string;
}

function parseKeySecret(raw: string, field: 'apiKey' | 'managementKey', format: string): ParsedKeySecret {
  const value = raw.trim();
  if (value === '') return { problem: `the secret value is empty (${format})` };
  if (!value.startsWith('{') && !value.startsWith('[')) return checkKey(value);

  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    // JSON.parse's message quotes the input, which here is the secret: say only that it failed.
    return { problem: `the secret value is not valid JSON (${format})` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { problem: `the secret value is not a JSON object (${format})` };
  }
  const fields = new Map<string, unknown>(Object.entries(json));
  const primary = fieldKey(fields, field, format);
  if (field !== 'apiKey' || !fields.has('managementKey')) return primary;
  const management = fieldKey(fields, 'managementKey', format);
  return {
    ...primary,
    ...(management.primary === undefined ? {} : { managementKey: management.primary }),
    ...(management.problem === undefined ? {} : { managementProblem: management.problem }),
  };
}

function fieldKey(fields: ReadonlyMap<string, unknown>, field: string, format: string): ParsedKeySecret {
  const value = fields.get(field);
  if (value === undefined || value === null)
    return { problem: `the secret's JSON has no "${field}" field (${format})` };
  if (typeof value !== 'string')
    return { problem: `the secret's "${field}" field is not a string (${format})` };
  const checked = checkKey(value.trim());
  return checked.problem === undefined ? checked : { problem: `"${field}" field: ${checked.problem}` };
}

function checkKey(value: string): ParsedKeySecret {
  return OPENROUTER_KEY_SHAPE.test(value) ? { primary: value } : { problem: NOT_AN_OPENROUTER_KEY };
}

// ---------------------------------------------------------------------------------------------

/** The Slack webhook URL, or why it could not be read. The URL itself is a secret: never log it. */
export interface LoadedWebhookUrl {
  readonly url?: string;
  readonly problem?: string;
}

/** Reads the Slack incoming-webhook URL: the bare URL, or JSON `{"url": "..."}`; it must be https. */
export async function loadSlackWebhookUrl(
  source: SecretSource,
  secretId: string,
  options?: ReadOptions,
): Promise<LoadedWebhookUrl> {
  const where = `secret "${secretId}"`;
  const read = await source.read(secretId, options);
  if (!read.ok) return { problem: read.problem };
  let value = read.value.trim();
  if (value.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      return {
        problem: `${where}: the secret value is not valid JSON (expected the bare URL or {"url": "..."})`,
      };
    }
    const url =
      json !== null && typeof json === 'object'
        ? new Map<string, unknown>(Object.entries(json)).get('url')
        : undefined;
    if (typeof url !== 'string') return { problem: `${where}: the secret's JSON has no string "url" field` };
    value = url.trim();
  }
  return isHttpsUrl(value)
    ? { url: value }
    : { problem: `${where}: the secret value is not an https URL (expected a Slack incoming-webhook URL)` };
}

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}
