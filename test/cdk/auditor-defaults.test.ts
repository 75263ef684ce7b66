import { Match, type Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_NAMESPACE, METRICS } from '../../lambda/aws/metric-catalog';
import { DEFAULT_CONFIG } from '../../lambda/engine/config';
import { ENV } from '../../lambda/settings-names';
import { buildAuditor, renderCfn, templateOf } from './support';

// The construct with nothing but the required secret: every default in one synth.
let template: Template;

beforeAll(() => {
  template = templateOf(buildAuditor({ apiKeySecret: 'openrouter-auditor/api-key' }));
});

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

function functionProperties(): Record<string, unknown> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(1);
  return functions[0]?.Properties ?? {};
}

describe('OpenRouterAuditor defaults', () => {
  it('runs every hour through EventBridge Scheduler, with few delivery retries and a short event age', () => {
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditorFunction'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
      },
    });
  });

  it('never retries a failed run and drops an invocation that waited more than 15 minutes', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 900,
      Qualifier: '$LATEST',
    });
  });

  it('deploys a Node.js 24 arm64 function with JSON logs at INFO, 256 MB, 60 s and no reserved concurrency', () => {
    const props = functionProperties();
    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 60,
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        LogGroup: { Ref: expect.stringMatching(/^AuditorLogGroup/) },
      },
    });
    expect(props.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('keeps the logs one month in its own log group', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('attaches no managed policy to any role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('sets the required settings and the defaults the handler reads, and nothing optional', () => {
    // Template JSON; a missing Environment fails the expectations below.
    const variables = (functionProperties().Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables[ENV.apiKeySecretId]).toBe('openrouter-auditor/api-key');
    expect(variables[ENV.metricNamespace]).toBe(DEFAULT_METRIC_NAMESPACE);
    expect(variables[ENV.schedulePeriodMinutes]).toBe('60');
    expect(variables[ENV.reminderHours]).toBe('24');
    expect(JSON.parse(String(variables[ENV.auditConfig]))).toEqual(DEFAULT_CONFIG);
    expect(variables[ENV.alertTopicArn]).toEqual({ Ref: expect.stringMatching(/^AuditorAlertTopic/) });
    expect(variables[ENV.stateParameterName]).toEqual({ Ref: expect.stringMatching(/^AuditorAlertState/) });
    expect(renderCfn(variables[ENV.dashboardUrl])).toMatch(
      /^https:\/\/<Ref:AWS::Region>\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=<Ref:AWS::Region>#dashboards\/dashboard\/TestStack-<Ref:AWS::Region>$/,
    );
    expect(variables[ENV.deploymentId]).toMatch(/^[0-9a-f]{16}$/);
    expect(variables[ENV.metricSet]).toBe('essential');
    for (const absent of [
      ENV.managementKeySecretId,
      ENV.slackWebhookSecretId,
      ENV.baseUrl,
      ENV.environmentName,
    ]) {
      expect(variables[absent]).toBeUndefined();
    }
  });

  it('creates the alert state parameter as a standard String holding "{}"', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Type: 'String',
      Tier: 'Standard',
      Value: '{}',
      Description: Match.stringLikeRegexp('alert state'),
    });
  });

  it('gives the heartbeat alarm the hourly period and a warm-up of two periods plus slack', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRICS.auditCompleted.name,
      Period: 3600,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      WarmUpConfiguration: {
        WarmUpPeriodDurationInMinutes: 135,
        OnlyStartEvaluatingAfterWarmUpPeriodEnds: false,
      },
    });
  });

  it('leaves the topic unencrypted but TLS-only and without subscriptions or a Chatbot channel', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.absent() });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });
});
