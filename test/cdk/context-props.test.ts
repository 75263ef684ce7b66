import { describe, expect, it } from 'vitest';
import { parseAuditConfig } from '../../lambda/engine/config';
import {
  auditorAppFromContext,
  type ContextKey,
  DEFAULT_API_KEY_SECRET_NAME,
  DEFAULT_STACK_NAME,
} from '../../lib/context-props';
import { AuditorPropsError } from '../../lib/props-error';

const fromContext = (context: Partial<Record<ContextKey, unknown>>) =>
  auditorAppFromContext((key) => context[key]);

describe('auditorAppFromContext', () => {
  it('needs no context at all: default stack name and default secret name', () => {
    expect(fromContext({})).toEqual({
      stackName: DEFAULT_STACK_NAME,
      stackProps: { auditor: { apiKeySecret: DEFAULT_API_KEY_SECRET_NAME } },
    });
    expect(DEFAULT_API_KEY_SECRET_NAME).toBe('openrouter-auditor/api-key');
  });

  it('reads every -c flag from its string form', () => {
    const { stackName, stackProps } = fromContext({
      apiKeySecret: 'team/key',
      managementKeySecret: 'team/management',
      slackWebhookSecret: 'team/webhook',
      alertEmails: ' a@example.com , b@example.com ,',
      auditConfig: '{"models":["openai/gpt-4o-mini"],"dailyBudgetUsd":5}',
      schedule: 'rate(30 minutes)',
      schedulePeriodMinutes: '30',
      environmentName: 'prod',
      slackWorkspaceId: 'T0123ABCD',
      slackChannelId: 'C0456EFGH',
      slackConfigurationName: 'alerts',
      metricNamespace: 'Team/OpenRouter',
      reminderHours: '12',
      openRouterBaseUrl: 'https://openrouter.example.com/api/v1',
      memorySize: '512',
      timeoutSeconds: '90',
    });
    expect(stackName).toBe('OpenRouterAuditor-prod');
    const { timeout, ...auditor } = stackProps.auditor;
    expect(timeout?.toSeconds()).toBe(90);
    expect(auditor).toEqual({
      apiKeySecret: 'team/key',
      managementKeySecret: 'team/management',
      slackWebhookSecret: 'team/webhook',
      alertEmails: ['a@example.com', 'b@example.com'],
      auditConfig: parseAuditConfig({ models: ['openai/gpt-4o-mini'], dailyBudgetUsd: 5 }),
      schedule: 'rate(30 minutes)',
      schedulePeriodMinutes: 30,
      environmentName: 'prod',
      slack: { workspaceId: 'T0123ABCD', channelId: 'C0456EFGH', configurationName: 'alerts' },
      metricNamespace: 'Team/OpenRouter',
      reminderHours: 12,
      openRouterBaseUrl: 'https://openrouter.example.com/api/v1',
      memorySize: 512,
    });
  });

  it('reads cdk.json values in their JSON form', () => {
    const { stackProps } = fromContext({
      alertEmails: ['a@example.com'],
      auditConfig: { models: ['openai/gpt-4o-mini'] },
      reminderHours: 6,
    });
    expect(stackProps.auditor).toMatchObject({
      alertEmails: ['a@example.com'],
      auditConfig: { models: ['openai/gpt-4o-mini'] },
      reminderHours: 6,
    });
  });

  it('reads the delivery and cost options, and the region', () => {
    const { stackProps } = fromContext({
      metricSet: 'full',
      alarmNamePrefix: 'team-audit',
      forwardAlarmsToSlackWebhook: 'false',
      secretsKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      region: 'eu-west-1',
    });
    expect(stackProps.env).toEqual({ region: 'eu-west-1' });
    expect(stackProps.auditor).toMatchObject({
      metricSet: 'full',
      alarmNamePrefix: 'team-audit',
      forwardAlarmsToSlackWebhook: false,
      secretsEncryptionKey: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  });

  it('reads fractional numbers from their string form', () => {
    expect(fromContext({ reminderHours: '1.5' }).stackProps.auditor.reminderHours).toBe(1.5);
    expect(fromContext({ reminderHours: ' 36.25 ' }).stackProps.auditor.reminderHours).toBe(36.25);
  });

  it('treats empty strings as not given', () => {
    expect(
      fromContext({ apiKeySecret: '', alertEmails: ' , ', environmentName: '' }).stackProps.auditor,
    ).toEqual({
      apiKeySecret: DEFAULT_API_KEY_SECRET_NAME,
    });
  });

  it('takes an explicit stack name over the derived one', () => {
    expect(fromContext({ stackName: 'Audit', environmentName: 'prod' }).stackName).toBe('Audit');
  });

  it.each<[string, Partial<Record<ContextKey, unknown>>, RegExp]>([
    ['auditConfig that is not JSON', { auditConfig: '{models:[]}' }, /context "auditConfig": must be JSON/],
    [
      'auditConfig with a bad model id',
      { auditConfig: '{"models":["gpt-4o"]}' },
      /auditConfig\.models\.0: .*model id/,
    ],
    [
      'auditConfig with an unknown field',
      { auditConfig: '{"budget":5}' },
      /auditConfig: unknown field "budget"/,
    ],
    ['a non-numeric reminderHours', { reminderHours: 'daily' }, /context "reminderHours": must be a number/],
    [
      'a non-numeric schedulePeriodMinutes',
      { schedulePeriodMinutes: '1h' },
      /context "schedulePeriodMinutes"/,
    ],
    [
      'alertEmails as an object',
      { alertEmails: { a: 1 } },
      /context "alertEmails": must be a comma-separated/,
    ],
    [
      'a Slack workspace without a channel',
      { slackWorkspaceId: 'T0123' },
      /context "slackChannelId": .*both/,
    ],
    [
      'a Slack channel without a workspace',
      { slackChannelId: 'C0123' },
      /context "slackWorkspaceId": .*both/,
    ],
    [
      'an environmentName unfit for a stack name',
      { environmentName: 'prod eu' },
      /context "stackName": .*stack name/,
    ],
    ['a numeric apiKeySecret', { apiKeySecret: 42 }, /context "apiKeySecret": must be a string/],
    ['an unknown metric set', { metricSet: 'all' }, /context "metricSet": must be one of essential, full/],
    ['a region that is no region', { region: 'mars' }, /context "region": "mars" is not an AWS region/],
    [
      'forwardAlarmsToSlackWebhook that is no boolean',
      { forwardAlarmsToSlackWebhook: 'yes' },
      /context "forwardAlarmsToSlackWebhook": must be true or false/,
    ],
  ])('rejects %s, naming the key', (_case, context, message) => {
    expect(() => fromContext(context)).toThrow(AuditorPropsError);
    expect(() => fromContext(context)).toThrow(message);
  });
});
