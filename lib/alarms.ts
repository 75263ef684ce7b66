import { Duration } from 'aws-cdk-lib';
import { Alarm, CfnAlarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS } from '../lambda/aws/metric-catalog';
import { type AuditorMetricContext, auditorMetric } from './auditor-metrics';

export interface AuditorAlarmsProps {
  readonly function: IFunction;
  readonly topic: ITopic;
  readonly metrics: AuditorMetricContext;
}

/** Longest warm-up CloudWatch allows (WarmUpPeriodDurationInMinutes 1-2880). */
const MAX_WARM_UP_MINUTES = 2880;
/** Lambda health is judged over 5 minutes: long enough to batch, short enough to page promptly. */
const LAMBDA_ALARM_PERIOD = Duration.minutes(5);

/**
 * The auditor's three alarms, each with ALARM and OK actions to the alert topic, so a human hears
 * both that something broke and that it recovered.
 */
export class AuditorAlarms extends Construct {
  /** No `AuditCompleted` datapoint for two schedule periods: the auditor is not running or never finishes. */
  readonly heartbeat: Alarm;
  /** The function ended in error (including an alert it could not deliver). */
  readonly errors: Alarm;
  /** Lambda refused to run the function (account concurrency exhausted). */
  readonly throttles: Alarm;

  constructor(scope: Construct, id: string, props: AuditorAlarmsProps) {
    super(scope, id);
    const { periodMinutes } = props.metrics;
    const fn = props.function;

    // Period = the schedule interval and 2 of 2 datapoints: one late run (clock drift moving it into
    // the next period) leaves one empty period, which does not alarm; two in a row do.
    this.heartbeat = new Alarm(this, 'Heartbeat', {
      metric: auditorMetric(props.metrics, METRICS.auditCompleted, {}, { statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // The heartbeat's whole point: no data means no audit ran.
      treatMissingData: TreatMissingData.BREACHING,
      alarmDescription: [
        `No OpenRouter audit has completed for two schedule periods (2 x ${periodMinutes} min): the auditor is not running or fails before it finishes, so no other alert can reach you.`,
        'What to do: check the Errors and Throttles alarms and the function log group (filter level ERROR);',
        'check that the EventBridge Scheduler schedule is enabled; run the function once by hand (aws lambda invoke) and read its log.',
      ].join(' '),
    });
    // A new alarm sees only missing (= breaching) data until the first scheduled run, which can be a
    // whole period after the deploy; the warm-up keeps it quiet (INSUFFICIENT_DATA, no actions) until
    // real data arrives, and ends early once it does. CDK 2.276 types it on the L1 only.
    const cfnHeartbeat = this.heartbeat.node.defaultChild;
    if (!(cfnHeartbeat instanceof CfnAlarm))
      throw new Error('AuditorAlarms: the heartbeat alarm has no CfnAlarm');
    cfnHeartbeat.warmUpConfiguration = {
      warmUpPeriodDurationInMinutes: Math.min(MAX_WARM_UP_MINUTES, 2 * periodMinutes + 15),
      onlyStartEvaluatingAfterWarmUpPeriodEnds: false,
    };

    this.errors = new Alarm(this, 'Errors', {
      metric: fn.metricErrors({ period: LAMBDA_ALARM_PERIOD, statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: [
        'The OpenRouter auditor Lambda ended in error: a bug or bad setting, a timeout, or an alert it could not deliver (the run fails on purpose then).',
        'What to do: open the function log group and filter level ERROR for the run; a SettingsError names the environment variable to fix (redeploy);',
        'an SNS delivery failure means check the topic and its key policy. Runs are not retried; the next scheduled run tries again.',
      ].join(' '),
    });

    this.throttles = new Alarm(this, 'Throttles', {
      metric: fn.metricThrottles({ period: LAMBDA_ALARM_PERIOD, statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: [
        "Lambda throttled the OpenRouter auditor: the account's concurrency is used up by other functions, so audits are skipped (runs are not retried).",
        'What to do: look at the account metric ConcurrentExecutions for the busy functions; request a higher concurrency quota,',
        'or reserve a little concurrency for this function if the account has unreserved capacity to spare.',
      ].join(' '),
    });

    const action = new SnsAction(props.topic);
    for (const alarm of [this.heartbeat, this.errors, this.throttles]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
