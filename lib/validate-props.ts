import type { Duration } from 'aws-cdk-lib';
import { METRIC_SETS, type MetricSet } from '../lambda/aws/metric-catalog';
import { type AuditConfig, ConfigError, parseAuditConfig } from '../lambda/engine/config';
import { AuditorPropsError } from './props-error';

/*
 * Pure checks of the construct's props, run before any resource is created so a bad value fails the
 * synth with a message naming the field. Each mirrors (or is stricter than) what the Lambda accepts
 * at cold start (lambda/settings.ts), so a synthesized stack never fails there.
 */

/** Validates the audit config with the same schema as the CLI and the Lambda, defaults filled in. */
export function validateAuditConfig(input: unknown): AuditConfig {
  try {
    return parseAuditConfig(input, 'auditConfig');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Each problem reads "field: what is wrong" (or has no field, e.g. an unknown one): the first
    // names the error's field, the others are qualified so the message stays one readable line.
    const withField = error.problems.map((problem) => {
      const field = /^([A-Za-z][\w.]*): (.*)$/.exec(problem);
      return field
        ? { field: `auditConfig.${field[1]}`, text: field[2] ?? '' }
        : { field: 'auditConfig', text: problem };
    });
    const [first, ...rest] = withField;
    throw new AuditorPropsError(
      first?.field ?? 'auditConfig',
      [first?.text ?? 'invalid', ...rest.map((p) => `${p.field}: ${p.text}`)].join('; '),
      { cause: error },
    );
  }
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** CloudWatch namespaces: printable ASCII, at most 255 characters, not `AWS/` (reserved) nor starting with `:`. */
export function validateMetricNamespace(namespace: string): string {
  const ok =
    namespace.trim() === namespace &&
    namespace.length >= 1 &&
    namespace.length <= 255 &&
    PRINTABLE_ASCII.test(namespace) &&
    !namespace.startsWith('AWS/') &&
    !namespace.startsWith(':');
  if (!ok) {
    throw new AuditorPropsError(
      'metricNamespace',
      'must be 1-255 printable ASCII characters without surrounding spaces, not starting with "AWS/" (reserved for AWS) or ":"',
    );
  }
  return namespace;
}

const EMAIL = /^[^\s@,;<>"()[\]]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** Each address once, each a plain `local@domain.tld`. */
export function validateAlertEmails(emails: readonly string[]): readonly string[] {
  const seen = new Set<string>();
  return emails.map((raw, index) => {
    const email = raw.trim();
    if (!EMAIL.test(email)) {
      throw new AuditorPropsError(
        `alertEmails[${index}]`,
        `"${email}" is not an e-mail address (name@example.com)`,
      );
    }
    const key = email.toLowerCase();
    if (seen.has(key)) throw new AuditorPropsError(`alertEmails[${index}]`, `"${email}" is listed twice`);
    seen.add(key);
    return email;
  });
}

/** Goes into alert subjects, which SNS wants in ASCII and under 100 characters in total. */
export function validateEnvironmentName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/.test(name)) {
    throw new AuditorPropsError(
      'environmentName',
      'must be 1-32 characters of letters, digits, space, ".", "_" or "-", starting with a letter or digit',
    );
  }
  return name;
}

export const MAX_REMINDER_HOURS = 8760;

export function validateDigestHourUtc(hour: number): number {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new AuditorPropsError('digestHourUtc', 'must be a whole UTC hour from 0 to 23');
  }
  return hour;
}

export function validateReminderHours(hours: number): number {
  // The Lambda reads the value back as a plain decimal (no exponent), so tiny fractions are out.
  if (
    !Number.isFinite(hours) ||
    hours < 1 ||
    hours > MAX_REMINDER_HOURS ||
    !/^\d+(\.\d+)?$/.test(String(hours))
  ) {
    throw new AuditorPropsError('reminderHours', `must be a number of hours from 1 to ${MAX_REMINDER_HOURS}`);
  }
  return hours;
}

/** The deployed function must reach OpenRouter over TLS: its requests carry the key. */
export function validateBaseUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (
    parsed === undefined ||
    parsed.protocol !== 'https:' ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    throw new AuditorPropsError(
      'openRouterBaseUrl',
      'must be an https URL without credentials, e.g. https://openrouter.ai/api/v1',
    );
  }
  return url;
}

export function validateMemorySize(megabytes: number): number {
  if (!Number.isInteger(megabytes) || megabytes < 128 || megabytes > 10_240) {
    throw new AuditorPropsError('memorySize', 'must be a whole number of MB from 128 to 10240');
  }
  return megabytes;
}

/** Seconds the Lambda keeps for publishing metrics and alerts after the audit (lambda/settings.ts default). */
export const PUBLISH_RESERVE_SECONDS = 5;

/**
 * The handler derives the audit's deadline from the remaining time minus the publish reserve, so
 * the timeout must leave a slow probe (up to `maxLatencyMs`) room to finish before that deadline.
 */
export function validateTimeout(timeout: Duration, config: AuditConfig): Duration {
  const seconds = timeout.toSeconds();
  const needed = Math.ceil(config.maxLatencyMs / 1000) + 2 * PUBLISH_RESERVE_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 15 || seconds > 900) {
    throw new AuditorPropsError('timeout', 'must be whole seconds from 15 s to 900 s (15 minutes)');
  }
  if (seconds < needed) {
    throw new AuditorPropsError(
      'timeout',
      `${seconds} s leaves no room for a probe of auditConfig.maxLatencyMs (${config.maxLatencyMs} ms) plus publishing; use at least ${needed} s`,
    );
  }
  return timeout;
}

/** AWS Chatbot (Amazon Q Developer in chat applications) Slack channel settings. */
export interface SlackChannelSettings {
  /** The Slack workspace id shown in the Chatbot console after authorizing it (e.g. `T0123ABCD`). */
  readonly workspaceId: string;
  /** The channel id: the last part of the channel's "Copy link" URL (e.g. `C0123ABCD`). */
  readonly channelId: string;
  /**
   * Name of the Chatbot channel configuration; unique in the account.
   * @default - derived from the construct's path
   */
  readonly configurationName?: string;
}

export function validateSlack(slack: SlackChannelSettings): SlackChannelSettings {
  if (!/^[0-9A-Z]{1,255}$/.test(slack.workspaceId)) {
    throw new AuditorPropsError(
      'slack.workspaceId',
      'must be the Slack workspace id (upper-case letters and digits, e.g. T0123ABCD)',
    );
  }
  if (!/^[A-Za-z0-9]{1,255}$/.test(slack.channelId)) {
    throw new AuditorPropsError(
      'slack.channelId',
      'must be the Slack channel id (letters and digits, e.g. C0123ABCD)',
    );
  }
  if (slack.configurationName !== undefined && !/^[A-Za-z0-9_-]{1,128}$/.test(slack.configurationName)) {
    throw new AuditorPropsError('slack.configurationName', 'must be 1-128 letters, digits, "_" or "-"');
  }
  return slack;
}

export function validateMetricSet(set: string): MetricSet {
  const found = METRIC_SETS.find((known) => known === set);
  if (found === undefined)
    throw new AuditorPropsError('metricSet', `must be one of ${METRIC_SETS.join(', ')}`);
  return found;
}

/**
 * Alarm names allow more, but the prefix also starts the dashboard and Chatbot configuration
 * names, which allow only letters, digits, "-" and "_"; with a region after it, the Chatbot
 * name must stay within 128 characters.
 */
export function validateAlarmNamePrefix(prefix: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(prefix)) {
    throw new AuditorPropsError('alarmNamePrefix', 'must be 1-100 letters, digits, "-" or "_"');
  }
  return prefix;
}
