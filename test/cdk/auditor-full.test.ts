import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../lambda/aws/metric-catalog';
import { parseAuditConfig } from '../../lambda/engine/config';
import { ENV } from '../../lambda/settings-names';
import { AUDITOR_NODE_OPTIONS } from '../../lib/lambda-bundling';
import type { OpenRouterAuditorProps } from '../../lib/openrouter-auditor';
import {
  asArray,
  buildAuditor,
  identityStatements,
  type PolicyStatementJson,
  renderCfn,
  statementsOfRole,
  templateOf,
} from './support';

// Every string-valued option set at once (secrets by name, complete ARN and partial ARN): one synth.
const COMPLETE_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openrouter/management-AbC123';
const PARTIAL_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openrouter/slack-webhook';
const NAMESPACE = 'Acme/OpenRouter';
const PROPS: OpenRouterAuditorProps = {
  apiKeySecret: 'openrouter-auditor/api-key',
  managementKeySecret: COMPLETE_ARN,
  slackWebhookSecret: PARTIAL_ARN,
  alertEmails: ['oncall@example.com', 'team@example.org'],
  environmentName: 'prod',
  schedule: 'rate(30 minutes)',
  metricNamespace: NAMESPACE,
  reminderHours: 12,
  openRouterBaseUrl: 'https://openrouter.example.com/api/v1',
  auditConfig: { models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'], dailyBudgetUsd: 25 },
  memorySize: 512,
  timeout: Duration.seconds(90),
  logRetention: RetentionDays.TWO_WEEKS,
};

let template: Template;

beforeAll(() => {
  template = templateOf(buildAuditor(PROPS));
});

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

function environment(): Record<string, unknown> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(1);
  return functions[0]?.Properties.Environment.Variables;
}

const bySid = (statements: readonly PolicyStatementJson[], sid: string): PolicyStatementJson => {
  const found = statements.filter((s) => s.Sid === sid);
  expect(found, `statement ${sid}`).toHaveLength(1);
  return found[0] ?? { Effect: '', Action: [] };
};
const resources = (statement: PolicyStatementJson): string[] =>
  asArray(statement.Resource ?? []).map(renderCfn);

describe('OpenRouterAuditor schedule and function', () => {
  it('runs on the given rate with a 15-minute maximum event age for delivery and for the async invocation', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
      Target: { RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 900,
    });
  });

  it('uses the given memory, timeout and log retention', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512, Timeout: 90 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
  });
});

describe('OpenRouterAuditor environment', () => {
  it('passes every setting the handler reads, the secrets only by name or ARN', () => {
    const env = environment();
    expect(env).toMatchObject({
      [ENV.apiKeySecretId]: 'openrouter-auditor/api-key',
      [ENV.managementKeySecretId]: COMPLETE_ARN,
      [ENV.slackWebhookSecretId]: PARTIAL_ARN,
      [ENV.baseUrl]: 'https://openrouter.example.com/api/v1',
      [ENV.metricNamespace]: NAMESPACE,
      [ENV.schedulePeriodMinutes]: '30',
      [ENV.reminderHours]: '12',
      [ENV.environmentName]: 'prod',
      NODE_OPTIONS: AUDITOR_NODE_OPTIONS,
    });
    expect(JSON.parse(String(env[ENV.auditConfig]))).toEqual(parseAuditConfig(PROPS.auditConfig));
  });

  it('sets no variable outside the settings contract (and NODE_OPTIONS for source maps)', () => {
    const allowed = new Set<string>([...Object.values(ENV), 'NODE_OPTIONS']);
    expect(Object.keys(environment()).filter((name) => !allowed.has(name))).toEqual([]);
  });

  it('holds no key-looking string anywhere in the template', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/sk-or-v1-/);
    expect(text).not.toMatch(/hooks\.slack\.com/);
    for (const value of Object.values(environment())) {
      expect(renderCfn(value)).not.toMatch(/sk-or-|[0-9a-f]{32,}/);
    }
  });
});

describe('OpenRouterAuditor IAM', () => {
  it('gives the function role exactly its five statements', () => {
    const statements = statementsOfRole(template, 'AuditorFunctionRole');
    expect(statements.map((s) => s.Sid).sort()).toEqual([
      'PublishAlerts',
      'PublishAuditMetrics',
      'ReadAuditorSecrets',
      'ReadWriteAlertState',
      'WriteOwnLogs',
    ]);
    for (const statement of statements) expect(statement.Effect).toBe('Allow');
  });

  it('lets the function write only to its own log group', () => {
    const logs = bySid(statementsOfRole(template, 'AuditorFunctionRole'), 'WriteOwnLogs');
    expect(asArray(logs.Action).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(resources(logs)).toEqual([expect.stringMatching(/^<GetAtt:AuditorLogGroup[0-9A-F]+\.Arn>$/)]);
    expect(logs.Condition).toBeUndefined();
  });

  it('lets the function read exactly the three named secrets, nothing but GetSecretValue', () => {
    const secrets = bySid(statementsOfRole(template, 'AuditorFunctionRole'), 'ReadAuditorSecrets');
    expect(secrets.Action).toBe('secretsmanager:GetSecretValue');
    expect(resources(secrets).sort()).toEqual(
      [
        'arn:<Ref:AWS::Partition>:secretsmanager:<Ref:AWS::Region>:<Ref:AWS::AccountId>:secret:openrouter-auditor/api-key-??????',
        COMPLETE_ARN,
        `${PARTIAL_ARN}-??????`,
      ].sort(),
    );
    expect(secrets.Condition).toBeUndefined();
  });

  it('allows PutMetricData on "*" only under the namespace condition', () => {
    const metrics = bySid(statementsOfRole(template, 'AuditorFunctionRole'), 'PublishAuditMetrics');
    expect(metrics.Action).toBe('cloudwatch:PutMetricData');
    expect(metrics.Resource).toBe('*');
    expect(metrics.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': NAMESPACE } });
  });

  it('lets the function publish to its topic and read and write its one state parameter', () => {
    const statements = statementsOfRole(template, 'AuditorFunctionRole');
    const publish = bySid(statements, 'PublishAlerts');
    expect(publish.Action).toBe('sns:Publish');
    expect(resources(publish)).toEqual([expect.stringMatching(/^<Ref:AuditorAlertTopic[0-9A-F]+>$/)]);
    const state = bySid(statements, 'ReadWriteAlertState');
    expect(asArray(state.Action).sort()).toEqual(['ssm:GetParameter', 'ssm:PutParameter']);
    expect(resources(state)).toEqual([
      expect.stringMatching(
        /^arn:<Ref:AWS::Partition>:ssm:<Ref:AWS::Region>:<Ref:AWS::AccountId>:parameter\/<Ref:AuditorAlertState[0-9A-F]+>$/,
      ),
    ]);
  });

  it("lets the scheduler role only invoke the function and fill its dead-letter queue, assumed only by this account's scheduler", () => {
    const statements = statementsOfRole(template, 'AuditorSchedulerRole');
    expect(statements).toHaveLength(2);
    const deadLetter = statements.find((s) => s.Action === 'sqs:SendMessage');
    expect(resources(deadLetter ?? { Effect: '', Action: [] })).toEqual([
      expect.stringMatching(/^<GetAtt:AuditorScheduleDeadLetterQueue[0-9A-F]+\.Arn>$/),
    ]);
    const invoke = statements.filter((s) => s.Action === 'lambda:InvokeFunction');
    expect(invoke).toHaveLength(1);
    expect(resources(invoke[0] ?? { Effect: '', Action: [] })).toEqual([
      expect.stringMatching(/^<GetAtt:AuditorFunction[0-9A-F]+\.Arn>$/),
      expect.stringMatching(/^<GetAtt:AuditorFunction[0-9A-F]+\.Arn>:\*$/),
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': Match.anyValue(),
              },
            },
          }),
        ],
      },
    });
  });

  it('grants no "*" resource and no wildcard action anywhere, except PutMetricData with its namespace condition', () => {
    const all = identityStatements(template);
    expect(all.length).toBeGreaterThan(0);
    for (const { owner, statement } of all) {
      const wildcardActions = asArray(statement.Action).filter((a) => a.includes('*'));
      expect(wildcardActions, `${owner} ${statement.Sid ?? ''}`).toEqual([]);
      if (asArray(statement.Resource ?? []).includes('*')) {
        expect(statement.Action, owner).toBe('cloudwatch:PutMetricData');
        expect(statement.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': NAMESPACE } });
      }
    }
  });
});

describe('OpenRouterAuditor alert topic', () => {
  it('denies publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('subscribes each alert e-mail address, and the function for the alarms only (a webhook is set)', () => {
    for (const email of PROPS.alertEmails ?? []) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email });
    }
    template.resourceCountIs('AWS::SNS::Subscription', 3);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditorFunction'), 'Arn'] },
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: { NewStateValue: ['ALARM', 'OK', 'INSUFFICIENT_DATA'] },
    });
  });

  it('names the environment in the sender name', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'OpenRouter audit (prod)' });
  });
});

describe('OpenRouterAuditor alarms', () => {
  const topicActions = [{ Ref: Match.stringLikeRegexp('^AuditorAlertTopic') }];

  it('has the heartbeat, errors, throttles, delivery-failure (per channel) and schedule dead-letter alarms, each named after the environment', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties.AlarmName,
    );
    expect(names.sort()).toEqual(
      [
        'OpenRouterAudit-prod-alert-delivery-failed-slack-webhook',
        'OpenRouterAudit-prod-alert-delivery-failed-sns',
        'OpenRouterAudit-prod-auditor-function-errors',
        'OpenRouterAudit-prod-auditor-function-throttled',
        'OpenRouterAudit-prod-no-audit-completed',
        'OpenRouterAudit-prod-scheduled-run-not-delivered',
      ].sort(),
    );
  });

  it('notifies the topic on ALARM only: no OK action that would post "OK" after a fresh deploy', () => {
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual(topicActions.map(() => expect.anything()));
      expect(alarm.Properties.OKActions, alarm.Properties.AlarmName).toBeUndefined();
      expect(alarm.Properties.InsufficientDataActions).toBeUndefined();
    }
  });

  it.each(['sns', 'slack-webhook'])('alarms on any alert delivery failure of the %s channel', (channel) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `OpenRouterAudit-prod-alert-delivery-failed-${channel}`,
      Namespace: NAMESPACE,
      MetricName: METRICS.alertDeliveryFailures.name,
      Dimensions: [{ Name: 'Channel', Value: channel }],
      Statistic: 'Sum',
      Period: 1800,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when a scheduled run lands in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: {
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditorScheduleDeadLetterQueue'), 'Arn'] },
        },
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'OpenRouterAudit-prod-scheduled-run-not-delivered',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('alarms as soon as one undelivered run is in the dead-letter queue (largest count in 5 minutes)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'OpenRouterAudit-prod-scheduled-run-not-delivered',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditorScheduleDeadLetterQueue'), 'QueueName'] },
        },
      ],
      // The Minimum of the period the message arrived in is 0: the alarm would come a period late.
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: topicActions,
    });
  });

  it('alarms when no audit completed in two schedule periods, missing data breaching, with a warm-up', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: NAMESPACE,
      MetricName: METRICS.auditCompleted.name,
      Dimensions: Match.absent(),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      Period: 1800,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
      Unit: Match.absent(),
      WarmUpConfiguration: { WarmUpPeriodDurationInMinutes: 75 },
      AlarmActions: topicActions,
      OKActions: Match.absent(),
      AlarmDescription: Match.stringLikeRegexp('What to do'),
    });
  });

  it.each(['Errors', 'Throttles'])(
    'alarms on any Lambda %s in 5 minutes, missing data not breaching',
    (metric) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^AuditorFunction') } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Period: 300,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        WarmUpConfiguration: Match.absent(),
        AlarmActions: topicActions,
        OKActions: Match.absent(),
        AlarmDescription: Match.stringLikeRegexp('What to do'),
      });
    },
  );

  it('treats missing data as breaching on the heartbeat only', () => {
    const breaching = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.TreatMissingData === 'breaching',
    );
    expect(breaching.map((alarm) => alarm.Properties.MetricName)).toEqual([METRICS.auditCompleted.name]);
  });
});
