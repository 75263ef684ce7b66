import type { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { METRICS } from '../../lambda/aws/metric-catalog';
import { buildAuditor, templateOf } from './support';

// The hourly and 30-minute tests hit the 15-minute cap on the event age; a 10-minute schedule is
// below it, where the age must follow the period: a run that waited longer than half a period
// would start close to the next one and overlap it.
let template: Template;

beforeAll(() => {
  template = templateOf(
    buildAuditor({ apiKeySecret: 'openrouter-auditor/api-key', schedule: 'rate(10 minutes)' }),
  );
});

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('OpenRouterAuditor on a 10-minute schedule', () => {
  it('drops a delivery or an invocation that waited more than half a period (5 minutes)', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(10 minutes)',
      Target: { RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
    });
  });

  it('gives the heartbeat a 10-minute period and a warm-up of two periods plus 15 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRICS.auditCompleted.name,
      Period: 600,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      WarmUpConfiguration: { WarmUpPeriodDurationInMinutes: 35 },
    });
  });
});
