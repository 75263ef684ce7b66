import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/settings-names';
import { OpenRouterAuditorStack } from '../../lib/auditor-stack';
import { auditorAppFromContext, type ContextKey } from '../../lib/context-props';
import { newApp } from './support';

// The app as bin/app.ts builds it, from `-c` flags (all strings), with cdk-nag and CloudFormation
// validation on: one synth with every context option.
const CONTEXT: Partial<Record<ContextKey, string>> = {
  apiKeySecret: 'team/openrouter-key',
  managementKeySecret: 'team/openrouter-management-key',
  slackWebhookSecret: 'team/slack-webhook',
  alertEmails: 'a@example.com, b@example.com',
  auditConfig: '{"models":["openai/gpt-4o-mini","anthropic/claude-3.5-haiku"],"dailyBudgetUsd":30}',
  schedule: 'rate(30 minutes)',
  environmentName: 'prod',
  slackWorkspaceId: 'T0123ABCD',
  slackChannelId: 'C0456EFGH',
  metricNamespace: 'Team/OpenRouter',
  reminderHours: '6',
};

let synthError: unknown;
let stack: OpenRouterAuditorStack;
let template: Template | undefined;

beforeAll(() => {
  const app = newApp({ validate: true });
  const { stackName, stackProps } = auditorAppFromContext((key) => CONTEXT[key]);
  stack = new OpenRouterAuditorStack(app, stackName, stackProps);
  try {
    app.synth();
    template = Template.fromStack(stack);
  } catch (error) {
    synthError = error;
  }
  // Synth bundles the Lambda with esbuild: CPU-bound work a loaded 2-core machine slows many times
  // over. A generous limit, not a speed check (the bench measures speed).
}, 300_000);

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

function synthesized(): Template {
  if (template === undefined) throw new Error(`synth failed: ${String(synthError)}`);
  return template;
}

describe('the CDK app built from context', () => {
  it('synthesizes with no cdk-nag finding and no CloudFormation validation error', () => {
    expect(synthError).toBeUndefined();
  });

  it('names the stack after the environment', () => {
    expect(stack.stackName).toBe('OpenRouterAuditor-prod');
  });

  it("outputs the dashboard URL, the alert topic ARN, the function name and the function's log group", () => {
    const outputs = synthesized().findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'AlertTopicArn',
      'DashboardUrl',
      'FunctionName',
      'LogGroupName',
    ]);
    expect(outputs.LogGroupName?.Value).toEqual({ Ref: expect.stringMatching(/^AuditorLogGroup/) });
    expect(outputs.AlertTopicArn?.Value).toEqual({ Ref: expect.stringMatching(/^AuditorAlertTopic/) });
    expect(outputs.FunctionName?.Value).toEqual({ Ref: expect.stringMatching(/^AuditorFunction/) });
  });

  it('turns every flag into the function settings and resources', () => {
    const t = synthesized();
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [ENV.apiKeySecretId]: 'team/openrouter-key',
          [ENV.managementKeySecretId]: 'team/openrouter-management-key',
          [ENV.slackWebhookSecretId]: 'team/slack-webhook',
          [ENV.metricNamespace]: 'Team/OpenRouter',
          [ENV.schedulePeriodMinutes]: '30',
          [ENV.reminderHours]: '6',
          [ENV.environmentName]: 'prod',
        },
      },
    });
    // Two e-mail addresses, and the function for the alarms (a webhook is set).
    t.resourceCountIs('AWS::SNS::Subscription', 3);
    t.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)' });
  });
});
