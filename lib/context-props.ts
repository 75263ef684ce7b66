import { Duration } from 'aws-cdk-lib';
import { METRIC_SETS } from '../lambda/aws/metric-catalog';
import type { OpenRouterAuditorStackProps } from './auditor-stack';
import type { OpenRouterAuditorProps } from './openrouter-auditor';
import { AuditorPropsError } from './props-error';
import { validateAuditConfig } from './validate-props';

/*
 * Turns CDK context (`-c key=value` flags or cdk.json "context") into the stack's props. Flags arrive
 * as strings, cdk.json values as JSON; both are accepted. This only parses types: the construct
 * validates the values themselves (and names the field) at synth.
 */

/** The secret name used when `-c apiKeySecret=...` is not given, so `npm run synth` works without flags. */
export const DEFAULT_API_KEY_SECRET_NAME = 'openrouter-auditor/api-key';
export const DEFAULT_STACK_NAME = 'OpenRouterAuditor';

/** Every context key the app reads. */
export const CONTEXT_KEYS = [
  'stackName',
  'apiKeySecret',
  'managementKeySecret',
  'slackWebhookSecret',
  'alertEmails',
  'auditConfig',
  'schedule',
  'schedulePeriodMinutes',
  'environmentName',
  'slackWorkspaceId',
  'slackChannelId',
  'slackConfigurationName',
  'metricNamespace',
  'reminderHours',
  'digestHourUtc',
  'openRouterBaseUrl',
  'memorySize',
  'timeoutSeconds',
  'metricSet',
  'alarmNamePrefix',
  'forwardAlarmsToSlackWebhook',
  'secretsKmsKeyArn',
  'region',
] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** Reads one context value (in the app: `(key) => app.node.tryGetContext(key)`). */
export type ContextReader = (key: ContextKey) => unknown;

export interface AuditorApp {
  readonly stackName: string;
  readonly stackProps: OpenRouterAuditorStackProps;
}

const contextError = (key: ContextKey, problem: string, cause?: unknown) =>
  new AuditorPropsError(`context "${key}"`, problem, cause === undefined ? undefined : { cause });

function optionalString(read: ContextReader, key: ContextKey): string | undefined {
  const value = read(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw contextError(key, 'must be a string');
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function optionalNumber(read: ContextReader, key: ContextKey): number | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  throw contextError(key, 'must be a number');
}

function optionalList(read: ContextReader, key: ContextKey): string[] | undefined {
  const value = read(key);
  if (value === undefined || value === null) return undefined;
  const items =
    typeof value === 'string'
      ? value.split(',')
      : Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? value
        : undefined;
  if (items === undefined)
    throw contextError(key, 'must be a comma-separated string or a JSON array of strings');
  const list = items.map((item: string) => item.trim()).filter((item: string) => item !== '');
  return list.length === 0 ? undefined : list;
}

function optionalBoolean(read: ContextReader, key: ContextKey): boolean | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw contextError(key, 'must be true or false');
}

function optionalChoice<T extends string>(
  read: ContextReader,
  key: ContextKey,
  choices: readonly T[],
): T | undefined {
  const value = optionalString(read, key);
  if (value === undefined) return undefined;
  const found = choices.find((choice) => choice === value);
  if (found === undefined) throw contextError(key, `must be one of ${choices.join(', ')}`);
  return found;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

function optionalJson(read: ContextReader, key: ContextKey): unknown {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (cause) {
    throw contextError(key, 'must be JSON, e.g. \'{"models":["openai/gpt-4o-mini"]}\'', cause);
  }
}

/** Builds the stack name and props from context; throws AuditorPropsError naming the context key. */
export function auditorAppFromContext(read: ContextReader): AuditorApp {
  const environmentName = optionalString(read, 'environmentName');
  const stackName =
    optionalString(read, 'stackName') ??
    (environmentName === undefined ? DEFAULT_STACK_NAME : `${DEFAULT_STACK_NAME}-${environmentName}`);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw contextError(
      'stackName',
      `"${stackName}" is not a CloudFormation stack name (a letter, then letters, digits and "-"); set -c stackName=... or use such an environmentName`,
    );
  }

  const workspaceId = optionalString(read, 'slackWorkspaceId');
  const channelId = optionalString(read, 'slackChannelId');
  if ((workspaceId === undefined) !== (channelId === undefined)) {
    throw contextError(
      workspaceId === undefined ? 'slackWorkspaceId' : 'slackChannelId',
      'Slack through AWS Chatbot needs both slackWorkspaceId and slackChannelId',
    );
  }
  const configurationName = optionalString(read, 'slackConfigurationName');
  const timeoutSeconds = optionalNumber(read, 'timeoutSeconds');
  const region = optionalString(read, 'region');
  if (region !== undefined && !REGION.test(region)) {
    throw contextError('region', `"${region}" is not an AWS region name (e.g. us-east-1, eu-west-1)`);
  }
  const auditConfig = optionalJson(read, 'auditConfig');

  const optional = <K extends keyof OpenRouterAuditorProps>(
    key: K,
    value: OpenRouterAuditorProps[K] | undefined,
  ) => (value === undefined ? {} : { [key]: value });

  const auditor: OpenRouterAuditorProps = {
    apiKeySecret: optionalString(read, 'apiKeySecret') ?? DEFAULT_API_KEY_SECRET_NAME,
    ...optional('managementKeySecret', optionalString(read, 'managementKeySecret')),
    ...optional('slackWebhookSecret', optionalString(read, 'slackWebhookSecret')),
    ...optional('alertEmails', optionalList(read, 'alertEmails')),
    ...optional('auditConfig', auditConfig === undefined ? undefined : validateAuditConfig(auditConfig)),
    ...optional('schedule', optionalString(read, 'schedule')),
    ...optional('schedulePeriodMinutes', optionalNumber(read, 'schedulePeriodMinutes')),
    ...optional('environmentName', environmentName),
    ...optional(
      'slack',
      workspaceId === undefined || channelId === undefined
        ? undefined
        : { workspaceId, channelId, ...(configurationName === undefined ? {} : { configurationName }) },
    ),
    ...optional('metricNamespace', optionalString(read, 'metricNamespace')),
    ...optional('reminderHours', optionalNumber(read, 'reminderHours')),
    ...optional('digestHourUtc', optionalNumber(read, 'digestHourUtc')),
    ...optional('openRouterBaseUrl', optionalString(read, 'openRouterBaseUrl')),
    ...optional('memorySize', optionalNumber(read, 'memorySize')),
    ...optional('metricSet', optionalChoice(read, 'metricSet', METRIC_SETS)),
    ...optional('alarmNamePrefix', optionalString(read, 'alarmNamePrefix')),
    ...optional('forwardAlarmsToSlackWebhook', optionalBoolean(read, 'forwardAlarmsToSlackWebhook')),
    ...optional('secretsEncryptionKey', optionalString(read, 'secretsKmsKeyArn')),
  };
  return {
    stackName,
    stackProps: {
      // Without a region the stack is environment-agnostic: it deploys where the CLI's profile points.
      ...(region === undefined ? {} : { env: { region } }),
      auditor:
        timeoutSeconds === undefined ? auditor : { ...auditor, timeout: Duration.seconds(timeoutSeconds) },
    },
  };
}
