import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { OpenRouterAuditor, type OpenRouterAuditorProps } from '../../lib/openrouter-auditor';
import { AuditorPropsError } from '../../lib/props-error';

// Validation runs before any resource (or bundle) is created, so these cases cost no synth.
const fakeKey = () => `sk-or-v1-${'ab'.repeat(32)}`;
const fakeWebhook = () => `https://hooks.slack.com/services/T000/B000/${'x'.repeat(24)}`;

function construct(props: Partial<OpenRouterAuditorProps>): () => OpenRouterAuditor {
  return () =>
    new OpenRouterAuditor(new Stack(new App(), 'S'), 'Auditor', {
      apiKeySecret: 'openrouter-auditor/api-key',
      ...props,
    });
}

function thrown(props: Partial<OpenRouterAuditorProps>): AuditorPropsError {
  try {
    construct(props)();
  } catch (error) {
    if (error instanceof AuditorPropsError) return error;
    throw error;
  }
  throw new Error('expected an AuditorPropsError');
}

// Every App makes a temporary output folder when it is created.
afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('OpenRouterAuditor props validation', () => {
  it.each<[string, Partial<OpenRouterAuditorProps>, string, RegExp]>([
    [
      'a model id without a provider',
      { auditConfig: { models: ['gpt-4o'] } },
      'auditConfig.models.0',
      /OpenRouter model id/,
    ],
    [
      'more than 3 models',
      { auditConfig: { models: ['a/b', 'c/d', 'e/f', 'g/h'] } },
      'auditConfig.models',
      /at most 3/,
    ],
    // A misspelt field, as JavaScript users and JSON context can pass; the cast gets it past the compiler.
    [
      'an unknown config field',
      { auditConfig: { modles: ['a/b'] } as OpenRouterAuditorProps['auditConfig'] },
      'auditConfig',
      /unknown field "modles"/,
    ],
    [
      'a warn age above the max age',
      { auditConfig: { maxKeyAgeDays: 30, keyAgeWarnDays: 60 } },
      'auditConfig.keyAgeWarnDays',
      /maxKeyAgeDays/,
    ],
    ['a schedule that is neither rate nor cron', { schedule: 'hourly' }, 'schedule', /rate\(/],
    ['a schedule faster than 5 minutes', { schedule: 'rate(1 minute)' }, 'schedule', /from 5 to 1440/],
    [
      'a time zone on a rate schedule',
      { scheduleTimeZone: TimeZone.EUROPE_PARIS },
      'scheduleTimeZone',
      /cron/,
    ],
    ['an AWS/ namespace', { metricNamespace: 'AWS/Lambda' }, 'metricNamespace', /AWS\//],
    ['a non-ASCII namespace', { metricNamespace: 'Prüfung/OpenRouter' }, 'metricNamespace', /ASCII/],
    ['an empty namespace', { metricNamespace: '' }, 'metricNamespace', /1-255/],
    [
      'a malformed e-mail',
      { alertEmails: ['ops@example.com', 'not-an-email'] },
      'alertEmails[1]',
      /not an e-mail address/,
    ],
    [
      'a duplicate e-mail',
      { alertEmails: ['ops@example.com', 'OPS@example.com'] },
      'alertEmails[1]',
      /listed twice/,
    ],
    [
      'an environment name with a line break',
      { environmentName: 'prod\nx' },
      'environmentName',
      /1-32 characters/,
    ],
    ['zero reminder hours', { reminderHours: 0 }, 'reminderHours', /from 1 to 8760/],
    [
      'a plain-http base URL',
      // openrouter-audit-ignore-next-line: insecure-url -- the plain-http base URL this test expects refused
      { openRouterBaseUrl: 'http://openrouter.ai/api/v1' },
      'openRouterBaseUrl',
      /https/,
    ],
    ['too little memory', { memorySize: 64 }, 'memorySize', /128 to 10240/],
    ['a timeout under 15 s', { timeout: Duration.seconds(10) }, 'timeout', /15 s to 900 s/],
    [
      'a timeout shorter than a slow probe',
      { timeout: Duration.seconds(20), auditConfig: { maxLatencyMs: 15_000 } },
      'timeout',
      /maxLatencyMs/,
    ],
    [
      'a lower-case Slack workspace id',
      { slack: { workspaceId: 't0123', channelId: 'C0123' } },
      'slack.workspaceId',
      /workspace id/,
    ],
    [
      'a Slack channel id with a "#"',
      { slack: { workspaceId: 'T0123', channelId: '#alerts' } },
      'slack.channelId',
      /channel id/,
    ],
    ['a secret name with spaces', { apiKeySecret: 'my secret' }, 'apiKeySecret', /secret name/],
  ])('rejects %s, naming %s', (_case, props, field, problem) => {
    const error = thrown(props);
    expect(error.field).toBe(field);
    expect(error.message).toContain(`OpenRouterAuditor: ${field}: `);
    expect(error.problem).toMatch(problem);
  });

  it.each<[string, Partial<OpenRouterAuditorProps>, string, () => string]>([
    ['an API key pasted as apiKeySecret', { apiKeySecret: fakeKey() }, 'apiKeySecret', fakeKey],
    [
      'an API key pasted as managementKeySecret',
      { managementKeySecret: fakeKey() },
      'managementKeySecret',
      fakeKey,
    ],
    [
      'a webhook URL pasted as slackWebhookSecret',
      { slackWebhookSecret: fakeWebhook() },
      'slackWebhookSecret',
      fakeWebhook,
    ],
  ])('rejects %s without echoing it', (_case, props, field, value) => {
    const error = thrown(props);
    expect(error.field).toBe(field);
    expect(error.message).not.toContain(value());
    expect(JSON.stringify(error)).not.toContain(value());
  });

  it('lists every config problem in one line, each with its qualified field', () => {
    const error = thrown({ auditConfig: { models: ['gpt-4o'], minCreditsUsd: -1 } });
    expect(error.field).toBe('auditConfig.models.0');
    expect(error.message).toMatch(
      /^OpenRouterAuditor: auditConfig\.models\.0: must be an OpenRouter model id/,
    );
    expect(error.message).toContain('; auditConfig.minCreditsUsd: must be at least 0');
  });
});
