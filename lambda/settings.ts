import { DEFAULT_METRIC_NAMESPACE, METRIC_SETS, type MetricSet } from './aws/metric-catalog';
import { type AuditConfig, ConfigError, parseAuditConfig } from './engine/config';
import { resolveBaseUrl } from './openrouter/base-url';
import { ENV } from './settings-names';

/**
 * The Lambda's settings, read once from the environment the CDK construct sets (names in
 * settings-names.ts). Every field is validated; nothing else in the runtime reads `process.env`.
 */
export interface Settings {
  /** Secret (name or ARN) holding the API key, or JSON `{"apiKey", "managementKey"?}`. */
  readonly apiKeySecretId: string;
  /** Secret (name or ARN) holding only the management key, when configured. */
  readonly managementKeySecretId?: string;
  /** Secret (name or ARN) holding a Slack incoming-webhook URL, when configured. */
  readonly slackWebhookSecretId?: string;
  /** OpenRouter API base URL override; the client's default when absent. */
  readonly baseUrl?: string;
  readonly alertTopicArn: string;
  /** @default "OpenRouter/Audit" */
  readonly metricNamespace: string;
  /** From `AUDIT_CONFIG`, defaults filled in. */
  readonly auditConfig: AuditConfig;
  readonly schedulePeriodMinutes: number;
  /** @default 24 */
  readonly reminderHours: number;
  /** @default "" */
  readonly environmentName: string;
  /** @default "" */
  readonly dashboardUrl: string;
  readonly stateParameterName: string;
  /** @default "" */
  readonly deploymentId: string;
  /** @default 5000 */
  readonly publishReserveMs: number;
  /** @default "full" */
  readonly metricSet: MetricSet;
  /** UTC hour of the daily digest; absent = no digest. */
  readonly digestHourUtc?: number;
}

export const DEFAULT_REMINDER_HOURS = 24;
export const DEFAULT_PUBLISH_RESERVE_MS = 5000;

/** Invalid or missing settings; `problems` has one line per variable, each naming it and what is allowed. */
export class SettingsError extends Error {
  readonly code = 'SETTINGS_INVALID';
  override readonly name = 'SettingsError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid Lambda settings: ${problems.join('; ')}`);
  }
}

export type EnvRecord = Readonly<Record<string, string | undefined>>;

// Secrets Manager names allow letters, digits and /_+=.@-; an ARN adds ':'.
const SECRET_ID = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const SSM_PARAMETER_NAME = /^[A-Za-z0-9_.\-/:]{1,2048}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Reads and validates the settings from an environment record (the handler passes `process.env`,
 * tests their own record). Throws a SettingsError listing every bad variable; values are never
 * echoed, since a misplaced secret could be among them.
 */
export function loadSettings(env: EnvRecord): Settings {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const required = (name: string, allowed: string, valid: (v: string) => boolean): string => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is required: ${allowed}`);
    else if (!valid(value)) problems.push(`${name} must be ${allowed}`);
    return value ?? '';
  };
  const optional = (name: string, allowed: string, valid: (v: string) => boolean): string | undefined => {
    const value = read(name);
    if (value !== undefined && !valid(value)) problems.push(`${name} must be ${allowed}`);
    return value;
  };
  const integer = (name: string, min: number, max: number, fallback?: number): number => {
    const allowed = `an integer from ${min} to ${max}`;
    const text = read(name);
    if (text === undefined) {
      if (fallback === undefined) problems.push(`${name} is required: ${allowed}`);
      return fallback ?? 0;
    }
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) {
      problems.push(`${name} must be ${allowed}`);
      return fallback ?? 0;
    }
    return value;
  };
  const decimal = (name: string, min: number, max: number, fallback: number): number => {
    const text = read(name);
    if (text === undefined) return fallback;
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (!(value > min && value <= max)) {
      problems.push(`${name} must be a number greater than ${min} and at most ${max}`);
      return fallback;
    }
    return value;
  };

  const secretIdRule = 'a Secrets Manager secret name or ARN';
  const apiKeySecretId = required(ENV.apiKeySecretId, secretIdRule, (v) => SECRET_ID.test(v));
  const managementKeySecretId = optional(ENV.managementKeySecretId, secretIdRule, (v) => SECRET_ID.test(v));
  const slackWebhookSecretId = optional(ENV.slackWebhookSecretId, secretIdRule, (v) => SECRET_ID.test(v));
  // The client's own rule, checked here so that a base URL it would refuse fails at cold start,
  // naming the variable, instead of failing every run.
  const baseUrl = optional(
    ENV.baseUrl,
    'an absolute http(s) URL such as https://openrouter.ai/api/v1 (https; plain http only to 127.0.0.1, localhost or [::1])',
    (v) => isUrl(v, ['http:', 'https:']) && isAcceptedBaseUrl(v),
  );
  const alertTopicArn = required(
    ENV.alertTopicArn,
    'an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)',
    (v) => SNS_TOPIC_ARN.test(v),
  );
  const metricNamespace =
    optional(
      ENV.metricNamespace,
      'printable ASCII of 1 to 255 characters, not starting with "AWS/" or ":"',
      (v) => v.length <= 255 && PRINTABLE_ASCII.test(v) && !v.startsWith('AWS/') && !v.startsWith(':'),
    ) ?? DEFAULT_METRIC_NAMESPACE;
  const auditConfig = readAuditConfig(read(ENV.auditConfig), problems);
  const schedulePeriodMinutes = integer(ENV.schedulePeriodMinutes, 1, 10_080);
  const reminderHours = decimal(ENV.reminderHours, 0, 8760, DEFAULT_REMINDER_HOURS);
  const environmentName =
    optional(
      ENV.environmentName,
      'printable ASCII of at most 32 characters (it goes into alert subjects)',
      (v) => v.length <= 32 && PRINTABLE_ASCII.test(v),
    ) ?? '';
  const dashboardUrl = optional(ENV.dashboardUrl, 'an https URL', (v) => isUrl(v, ['https:'])) ?? '';
  const stateParameterName = required(
    ENV.stateParameterName,
    'an SSM parameter name (letters, digits and _.-/)',
    (v) => SSM_PARAMETER_NAME.test(v),
  );
  const deploymentId =
    optional(
      ENV.deploymentId,
      'printable ASCII of at most 128 characters',
      (v) => v.length <= 128 && PRINTABLE_ASCII.test(v),
    ) ?? '';
  const publishReserveMs = integer(ENV.publishReserveMs, 500, 120_000, DEFAULT_PUBLISH_RESERVE_MS);
  const metricSetText = optional(ENV.metricSet, `one of ${METRIC_SETS.join(', ')}`, (v) =>
    (METRIC_SETS as readonly string[]).includes(v),
  );
  const metricSet = METRIC_SETS.find((set) => set === metricSetText) ?? 'full';
  const digestHourUtc = read(ENV.digestHourUtc) === undefined ? undefined : integer(ENV.digestHourUtc, 0, 23);

  if (problems.length > 0) throw new SettingsError(problems);
  return Object.freeze({
    apiKeySecretId,
    ...(managementKeySecretId === undefined ? {} : { managementKeySecretId }),
    ...(slackWebhookSecretId === undefined ? {} : { slackWebhookSecretId }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    alertTopicArn,
    metricNamespace,
    auditConfig,
    schedulePeriodMinutes,
    reminderHours,
    environmentName,
    dashboardUrl,
    stateParameterName,
    deploymentId,
    publishReserveMs,
    metricSet,
    ...(digestHourUtc === undefined ? {} : { digestHourUtc }),
  });
}

function readAuditConfig(text: string | undefined, problems: string[]): AuditConfig {
  let input: unknown = {};
  if (text !== undefined) {
    try {
      input = JSON.parse(text);
    } catch {
      // The parser's message quotes the input; the variable's name is enough to find it.
      problems.push(
        `${ENV.auditConfig} must be a JSON object (the audit config, same schema as the CLI's --config)`,
      );
      return parseAuditConfig({});
    }
  }
  try {
    return parseAuditConfig(input, ENV.auditConfig);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((p) => `${ENV.auditConfig}: ${p}`));
    return parseAuditConfig({});
  }
}

function isAcceptedBaseUrl(text: string): boolean {
  try {
    resolveBaseUrl(text);
    return true;
  } catch {
    return false;
  }
}

function isUrl(text: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(text);
    return (
      protocols.includes(url.protocol) && url.hostname !== '' && url.username === '' && url.password === ''
    );
  } catch {
    return false;
  }
}
