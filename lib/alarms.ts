import { Duration } from 'aws-cdk-lib';
import { Alarm, CfnAlarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DIMENSION, METRICS } from '../lambda/aws/metric-catalog';
import type { DeliveryChannel } from '../lambda/aws/metrics';
import { type AuditorMetricContext, auditorMetric } from './auditor-metrics';

export interface AuditorAlarmsProps {
  readonly function: IFunction;
  readonly topic: ITopic;
  readonly metrics: AuditorMetricContext;
  /**
   * Start of every alarm name, e.g. `OpenRouterAudit-prod`: a notification then says which
   * deployment broke. Alarm names are unique per account and region.
   */
  readonly namePrefix: string;
  /** The dead-letter queue of the schedule target: a message there is a run that never started. */
  readonly scheduleDeadLetterQueue: IQueue;
}

/** Longest warm-up CloudWatch allows (WarmUpPeriodDurationInMinutes 1-2880). */
const MAX_WARM_UP_MINUTES = 2880;
/** Lambda health is judged over 5 minutes: long enough to batch, short enough to page promptly. */
const LAMBDA_ALARM_PERIOD = Duration.minutes(5);
/** The `Channel` values of AlertDeliveryFailures (typed against the handler's own union). */
const DELIVERY_CHANNELS = ['sns', 'slack-webhook'] as const satisfies readonly DeliveryChannel[];

/** The suffix of each alarm's name: what broke, readable in a notification subject. */
export const ALARM_NAME_SUFFIX = {
  heartbeat: 'no-audit-completed',
  errors: 'auditor-function-errors',
  throttles: 'auditor-function-throttled',
  /** Followed by the channel: `alert-delivery-failed-sns`, `alert-delivery-failed-slack-webhook`. */
  deliveryFailures: 'alert-delivery-failed',
  scheduleNotDelivered: 'scheduled-run-not-delivered',
} as const;

/**
 * The auditor's alarms, each with an explicit name, notifying the alert topic on ALARM only.
 *
 * No OK actions: a new alarm moves from INSUFFICIENT_DATA to OK on its first evaluation (the
 * heartbeat when the first run's data ends its warm-up), and an OK action would post "OK" after
 * every fresh deploy. The heartbeat's recovery is announced by the auditor itself instead: the
 * first run after a gap of more than two periods sends "monitoring resumed" (decide-alert.ts).
 */
export class AuditorAlarms extends Construct {
  /** No `AuditCompleted` datapoint for two schedule periods: the auditor is not running or never finishes. */
  readonly heartbeat: Alarm;
  /** The function ended in error (including an alert it could not deliver). */
  readonly errors: Alarm;
  /** Lambda refused to run the function (account concurrency exhausted). */
  readonly throttles: Alarm;
  /** An alert (or a forwarded alarm) did not reach a channel: one alarm per channel. */
  readonly deliveryFailures: Readonly<Record<DeliveryChannel, Alarm>>;
  /** EventBridge Scheduler could not invoke the function: the run went to the dead-letter queue. */
  readonly scheduleNotDelivered: Alarm;

  constructor(scope: Construct, id: string, props: AuditorAlarmsProps) {
    super(scope, id);
    const { periodMinutes } = props.metrics;
    const fn = props.function;
    const name = (suffix: string) => `${props.namePrefix}-${suffix}`;

    // Period = the schedule interval and 2 of 2 datapoints: one late run (clock drift moving it into
    // the next period) leaves one empty period, which does not alarm; two in a row do.
    this.heartbeat = new Alarm(this, 'Heartbeat', {
      alarmName: name(ALARM_NAME_SUFFIX.heartbeat),
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
      alarmName: name(ALARM_NAME_SUFFIX.errors),
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
      alarmName: name(ALARM_NAME_SUFFIX.throttles),
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

    // AlertDeliveryFailures is published only when a channel failed, so a missing point is good
    // news. One single-metric alarm per channel (the metric's dimension) says which one failed.
    const deliveryFailure = (channel: DeliveryChannel) =>
      new Alarm(this, channel === 'sns' ? 'SnsDeliveryFailures' : 'SlackWebhookDeliveryFailures', {
        alarmName: name(`${ALARM_NAME_SUFFIX.deliveryFailures}-${channel}`),
        metric: auditorMetric(
          props.metrics,
          METRICS.alertDeliveryFailures,
          { [DIMENSION.channel]: channel },
          { statistic: Stats.SUM },
        ),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: [
          `An OpenRouter audit alert${channel === 'slack-webhook' ? ' or a forwarded alarm' : ''} did not reach ${channel === 'sns' ? 'the SNS topic' : 'the Slack webhook'} (metric ${METRICS.alertDeliveryFailures.name}, ${DIMENSION.channel}=${channel}).`,
          'The next scheduled run sends it again to the channel that missed it.',
          channel === 'sns'
            ? 'What to do: read the function log (filter msg like /not delivered/): the SNS error name points at the topic policy or its KMS key policy.'
            : 'What to do: read the function log (filter msg like /not delivered|not forwarded/): 404 or 410 means the webhook was revoked; store a new URL in the webhook secret.',
        ].join(' '),
      });
    this.deliveryFailures = {
      sns: deliveryFailure('sns'),
      'slack-webhook': deliveryFailure('slack-webhook'),
    };

    this.scheduleNotDelivered = new Alarm(this, 'ScheduleNotDelivered', {
      alarmName: name(ALARM_NAME_SUFFIX.scheduleNotDelivered),
      metric: props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: LAMBDA_ALARM_PERIOD,
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: [
        'EventBridge Scheduler could not invoke the OpenRouter auditor after its retries; the undelivered run is in the dead-letter queue.',
        'What to do: read the message attributes in the queue (ERROR_CODE, ERROR_MESSAGE) for the reason (a deleted function, a changed role);',
        'fix it, then purge the queue so that this alarm returns to OK.',
      ].join(' '),
    });

    const action = new SnsAction(props.topic);
    for (const alarm of this.all) alarm.addAlarmAction(action);
  }

  /** Every alarm of the auditor. */
  get all(): readonly Alarm[] {
    return [
      this.heartbeat,
      this.errors,
      this.throttles,
      ...DELIVERY_CHANNELS.map((channel) => this.deliveryFailures[channel]),
      this.scheduleNotDelivered,
    ];
  }
}
