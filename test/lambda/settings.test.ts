import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lambda/engine/config';
import { type EnvRecord, loadSettings, SettingsError } from '../../lambda/settings';
import { ENV } from '../../lambda/settings-names';

const VALID: EnvRecord = {
  [ENV.apiKeySecretId]: 'openrouter/api-key',
  [ENV.alertTopicArn]: 'arn:aws:sns:eu-west-1:123456789012:openrouter-audit-alerts',
  [ENV.schedulePeriodMinutes]: '60',
  [ENV.stateParameterName]: '/openrouter-audit/state',
};

function settingsErrorOf(env: EnvRecord): SettingsError {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('loadSettings accepted the environment');
}

const problemsOf = (env: EnvRecord): readonly string[] => settingsErrorOf(env).problems;

describe('loadSettings', () => {
  it('fills every default from a minimal environment and freezes the result', () => {
    const settings = loadSettings(VALID);
    expect(settings).toEqual({
      apiKeySecretId: 'openrouter/api-key',
      alertTopicArn: 'arn:aws:sns:eu-west-1:123456789012:openrouter-audit-alerts',
      metricNamespace: 'OpenRouter/Audit',
      auditConfig: DEFAULT_CONFIG,
      schedulePeriodMinutes: 60,
      reminderHours: 24,
      environmentName: '',
      dashboardUrl: '',
      stateParameterName: '/openrouter-audit/state',
      deploymentId: '',
      publishReserveMs: 5000,
      metricSet: 'full',
    });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('reads every optional variable', () => {
    const settings = loadSettings({
      ...VALID,
      [ENV.managementKeySecretId]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mgmt-AbCdEf',
      [ENV.slackWebhookSecretId]: 'openrouter/slack',
      [ENV.baseUrl]: 'http://127.0.0.1:4010/api/v1',
      [ENV.metricNamespace]: 'Team/OpenRouter',
      [ENV.auditConfig]: '{"models":["anthropic/claude-3.5-haiku"],"dailyBudgetUsd":20}',
      [ENV.reminderHours]: '6.5',
      [ENV.environmentName]: 'prod',
      [ENV.dashboardUrl]: 'https://console.aws.amazon.com/cloudwatch/home#dashboards:name=x',
      [ENV.deploymentId]: 'deploy-42',
      [ENV.publishReserveMs]: '8000',
      [ENV.metricSet]: 'essential',
    });
    expect(settings).toMatchObject({
      metricSet: 'essential',
      managementKeySecretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mgmt-AbCdEf',
      slackWebhookSecretId: 'openrouter/slack',
      baseUrl: 'http://127.0.0.1:4010/api/v1',
      metricNamespace: 'Team/OpenRouter',
      reminderHours: 6.5,
      environmentName: 'prod',
      deploymentId: 'deploy-42',
      publishReserveMs: 8000,
    });
    expect(settings.auditConfig.models).toEqual(['anthropic/claude-3.5-haiku']);
    expect(settings.auditConfig.dailyBudgetUsd).toBe(20);
  });

  it('treats empty and blank variables as unset', () => {
    const settings = loadSettings({ ...VALID, [ENV.baseUrl]: '', [ENV.managementKeySecretId]: '  ' });
    expect(settings.baseUrl).toBeUndefined();
    expect(settings.managementKeySecretId).toBeUndefined();
  });

  it.each([
    [ENV.apiKeySecretId, undefined, 'OPENROUTER_SECRET_ID is required: a Secrets Manager secret name or ARN'],
    [ENV.alertTopicArn, undefined, 'ALERT_TOPIC_ARN is required: an SNS topic ARN'],
    [ENV.schedulePeriodMinutes, undefined, 'SCHEDULE_PERIOD_MINUTES is required: an integer from 1 to 10080'],
    [ENV.stateParameterName, undefined, 'AUDIT_STATE_PARAMETER is required: an SSM parameter name'],
    [ENV.apiKeySecretId, 'has spaces', 'OPENROUTER_SECRET_ID must be a Secrets Manager secret name or ARN'],
    [
      ENV.alertTopicArn,
      'my-topic',
      'ALERT_TOPIC_ARN must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)',
    ],
    [ENV.schedulePeriodMinutes, '0', 'SCHEDULE_PERIOD_MINUTES must be an integer from 1 to 10080'],
    [ENV.schedulePeriodMinutes, '1h', 'SCHEDULE_PERIOD_MINUTES must be an integer from 1 to 10080'],
    [ENV.reminderHours, '0', 'REMINDER_HOURS must be a number greater than 0 and at most 8760'],
    [ENV.reminderHours, '-3', 'REMINDER_HOURS must be a number greater than 0 and at most 8760'],
    [ENV.publishReserveMs, '100', 'PUBLISH_RESERVE_MS must be an integer from 500 to 120000'],
    [ENV.metricSet, 'all', 'METRIC_SET must be one of essential, full'],
    [ENV.baseUrl, 'ftp://example.com', 'OPENROUTER_BASE_URL must be an absolute http(s) URL'],
    [ENV.baseUrl, 'not a url', 'OPENROUTER_BASE_URL must be an absolute http(s) URL'],
    [ENV.dashboardUrl, 'http://example.com', 'DASHBOARD_URL must be an https URL'],
    [ENV.metricNamespace, 'AWS/Lambda', 'METRIC_NAMESPACE must be printable ASCII of 1 to 255 characters'],
    [
      ENV.environmentName,
      'prod\nstaging',
      'ENVIRONMENT_NAME must be printable ASCII of at most 32 characters',
    ],
    [
      ENV.environmentName,
      'x'.repeat(33),
      'ENVIRONMENT_NAME must be printable ASCII of at most 32 characters',
    ],
    [ENV.auditConfig, '{models:', 'AUDIT_CONFIG must be a JSON object'],
    [ENV.auditConfig, '{"models":[]}', 'AUDIT_CONFIG: models: must list at least 1 model'],
    [ENV.auditConfig, '{"minCredits":5}', 'AUDIT_CONFIG: unknown field "minCredits"; allowed: models'],
  ])('rejects %s=%j naming the variable and what is allowed', (name, value, expected) => {
    const problems = problemsOf({ ...VALID, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('reports every bad variable at once, in one SettingsError', () => {
    const error = settingsErrorOf({ [ENV.schedulePeriodMinutes]: 'often' });
    expect(error.code).toBe('SETTINGS_INVALID');
    expect(error.problems.map((p) => p.split(' ')[0])).toEqual([
      'OPENROUTER_SECRET_ID',
      'ALERT_TOPIC_ARN',
      'SCHEDULE_PERIOD_MINUTES',
      'AUDIT_STATE_PARAMETER',
    ]);
    expect(error.message).toMatch(/^invalid Lambda settings: OPENROUTER_SECRET_ID is required/);
  });

  it('never echoes a value, so a key pasted into the wrong variable stays out of the logs', () => {
    const key = `sk-or-v1-${'ab'.repeat(32)}`;
    const problems = problemsOf({ ...VALID, [ENV.apiKeySecretId]: `${key} `, [ENV.auditConfig]: key });
    expect(problems.join('\n')).not.toContain(key.slice(9));
  });
});
