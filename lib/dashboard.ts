import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Color,
  Dashboard,
  GraphWidget,
  type HorizontalAnnotation,
  type IAlarm,
  type IMetric,
  type IWidget,
  LogQueryVisualizationType,
  LogQueryWidget,
  SingleValueWidget,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  CHECK_STATUS_VALUE,
  DIMENSION,
  METRICS,
  type MetricSet,
  type MetricSpec,
} from '../lambda/aws/metric-catalog';
import type { DeliveryChannel } from '../lambda/aws/metrics';
import type { AuditConfig } from '../lambda/engine/config';
import { CHECK_IDS } from '../lambda/engine/result';
import { type AuditorMetricContext, auditorMetric } from './auditor-metrics';

export interface AuditorDashboardProps {
  readonly dashboardName: string;
  readonly metrics: AuditorMetricContext;
  /** The validated audit config: its models and thresholds become series and annotations. */
  readonly config: AuditConfig;
  readonly function: IFunction;
  /** The function's log group: the checks' history is read from its JSON lines. */
  readonly logGroup: ILogGroup;
  /** The metrics the function publishes: only those are graphed. */
  readonly metricSet: MetricSet;
  readonly alarms: readonly IAlarm[];
  /** Shown in the title, e.g. "prod". */
  readonly environmentName?: string;
}

/** The `Channel` values of AlertDeliveryFailures (typed against the handler's own union). */
const ALERT_CHANNELS = ['sns', 'slack-webhook'] as const satisfies readonly DeliveryChannel[];

const WARN = '#ff7f0e';
const FAIL = '#d62728';
const FULL = 24;
const HALF = 12;
const THIRD = 8;

/**
 * One CloudWatch dashboard that answers "is our OpenRouter integration healthy?" at a glance. Every
 * series comes from the metric catalog, so it shows exactly what the handler publishes.
 */
export class AuditorDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: AuditorDashboardProps) {
    super(scope, id);
    const { config } = props;
    const m = (
      spec: MetricSpec,
      statistic: string,
      dimensions: Record<string, string> = {},
      label?: string,
    ) =>
      auditorMetric(props.metrics, spec, dimensions, {
        statistic,
        ...(label === undefined ? {} : { label }),
      });
    const below = (value: number, label: string, color = FAIL): HorizontalAnnotation => ({
      value,
      label,
      color,
    });

    if (props.metricSet === 'essential') {
      this.dashboard = new Dashboard(this, 'Dashboard', {
        dashboardName: props.dashboardName,
        defaultInterval: Duration.days(7),
        widgets: essentialWidgets(props, m),
      });
      return;
    }

    const checkStatus = CHECK_IDS.map((check) =>
      m(METRICS.checkStatus, Stats.MAXIMUM, { [DIMENSION.check]: check }, check),
    );
    const models = config.models;

    const widgets: IWidget[][] = [
      [
        new TextWidget({
          markdown: readMe(props.metrics, config, props.environmentName),
          width: FULL,
          height: 5,
        }),
      ],
      [
        new SingleValueWidget({
          title: 'Check status now (0 pass, 1 warn, 2 fail, 3 error; no value: skipped or not run)',
          metrics: checkStatus,
          width: FULL,
          height: 4,
        }),
      ],
      [
        new GraphWidget({
          title: 'Check status over time',
          left: checkStatus,
          leftYAxis: { min: 0, max: CHECK_STATUS_VALUE.error, showUnits: false },
          leftAnnotations: [
            { value: CHECK_STATUS_VALUE.warn, label: 'warn', color: WARN },
            { value: CHECK_STATUS_VALUE.fail, label: 'fail', color: FAIL },
          ],
          width: HALF,
          height: 6,
        }),
        new AlarmStatusWidget({
          title: 'Alarms',
          alarms: [...props.alarms],
          width: HALF,
          height: 6,
        }),
      ],
      [
        new SingleValueWidget({
          title: 'Now',
          metrics: [
            m(METRICS.creditsRemaining, Stats.MINIMUM, {}, 'Credits left (USD)'),
            m(METRICS.runwayDays, Stats.MINIMUM, {}, 'Runway (days)'),
            m(METRICS.spendToday, Stats.MAXIMUM, {}, 'Spend today (USD)'),
            m(METRICS.keyAgeDays, Stats.MAXIMUM, {}, 'Key age (days)'),
            m(METRICS.daysToKeyExpiry, Stats.MINIMUM, {}, 'Days to key expiry'),
            m(METRICS.modelsUnavailable, Stats.MAXIMUM, {}, 'Models unavailable'),
          ],
          width: FULL,
          height: 4,
        }),
      ],
      [
        new GraphWidget({
          title: 'Credits remaining (USD, left) and runway (days, right)',
          left: [m(METRICS.creditsRemaining, Stats.MINIMUM, {}, 'Credits remaining')],
          right: [m(METRICS.runwayDays, Stats.MINIMUM, {}, 'Runway days')],
          leftAnnotations: [below(config.minCreditsUsd, `minCreditsUsd ${config.minCreditsUsd}`)],
          rightAnnotations: [below(config.minRunwayDays, `minRunwayDays ${config.minRunwayDays}`, WARN)],
          leftYAxis: { min: 0, showUnits: false },
          rightYAxis: { min: 0, showUnits: false },
          width: HALF,
          height: 6,
        }),
        new GraphWidget({
          title:
            config.dailyBudgetUsd === null
              ? 'Spend today (USD; no dailyBudgetUsd set)'
              : `Spend today vs budget (${config.dailyBudgetUsd} USD)`,
          left: [m(METRICS.spendToday, Stats.MAXIMUM, {}, 'Spend today')],
          leftAnnotations:
            config.dailyBudgetUsd === null
              ? []
              : [below(config.dailyBudgetUsd, `dailyBudgetUsd ${config.dailyBudgetUsd}`)],
          leftYAxis: { min: 0, showUnits: false },
          width: HALF,
          height: 6,
        }),
      ],
      [
        new GraphWidget({
          title: 'Key age (days, left) and days to key expiry (right)',
          left: [m(METRICS.keyAgeDays, Stats.MAXIMUM, {}, 'Key age')],
          right: [m(METRICS.daysToKeyExpiry, Stats.MINIMUM, {}, 'Days to expiry')],
          leftAnnotations: [
            below(config.keyAgeWarnDays, `keyAgeWarnDays ${config.keyAgeWarnDays}`, WARN),
            below(config.maxKeyAgeDays, `maxKeyAgeDays ${config.maxKeyAgeDays}`),
          ],
          rightAnnotations: [
            below(config.keyExpiryWarnDays, `keyExpiryWarnDays ${config.keyExpiryWarnDays}`, WARN),
          ],
          leftYAxis: { min: 0, showUnits: false },
          rightYAxis: { showUnits: false },
          width: HALF,
          height: 6,
        }),
        new GraphWidget({
          title: 'Key limit remaining (USD, left) and keys without a limit (right)',
          left: [m(METRICS.keyLimitRemaining, Stats.MINIMUM, {}, 'Key limit remaining')],
          right: [m(METRICS.keysWithoutLimit, Stats.MAXIMUM, {}, 'Keys without limit')],
          leftYAxis: { min: 0, showUnits: false },
          rightYAxis: { min: 0, showUnits: false },
          width: HALF,
          height: 6,
        }),
      ],
      [
        new GraphWidget({
          title: `Best provider uptime of ${models[0] ?? 'the primary model'} (%, providers)`,
          left: [m(METRICS.bestUptimePercent, Stats.MINIMUM, {}, 'Best uptime (30 min)')],
          leftAnnotations: [
            below(config.minUptimePercent, `minUptimePercent ${config.minUptimePercent}`, WARN),
          ],
          leftYAxis: { min: 0, max: 100, showUnits: false },
          width: HALF,
          height: 6,
        }),
        new GraphWidget({
          title: "Today's spend / 7-day daily average (spend-trend)",
          left: [m(METRICS.spendSpikeFactor, Stats.MAXIMUM, {}, 'Spend spike factor')],
          leftAnnotations: [
            below(config.spendSpikeFactor, `spendSpikeFactor ${config.spendSpikeFactor}`, WARN),
            below(2 * config.spendSpikeFactor, `fail at ${2 * config.spendSpikeFactor}`),
          ],
          leftYAxis: { min: 0, showUnits: false },
          width: HALF,
          height: 6,
        }),
      ],
      [
        new GraphWidget({
          title: 'Test-request latency p50 / p95 (ms) per model',
          left: models.flatMap((model) => [
            m(METRICS.probeLatency, Stats.p(50), { [DIMENSION.model]: model }, `${model} p50`),
            m(METRICS.probeLatency, Stats.p(95), { [DIMENSION.model]: model }, `${model} p95`),
          ]),
          leftAnnotations: [below(config.maxLatencyMs, `maxLatencyMs ${config.maxLatencyMs}`, WARN)],
          leftYAxis: { min: 0, showUnits: false },
          width: HALF,
          height: 6,
        }),
        new GraphWidget({
          title: 'Test-request cost (USD) per model',
          left: models.map((model) => m(METRICS.probeCost, Stats.SUM, { [DIMENSION.model]: model }, model)),
          leftYAxis: { min: 0, showUnits: false },
          width: HALF,
          height: 6,
        }),
      ],
      [
        new GraphWidget({
          title: 'Audit duration (ms, left) and models unavailable (right)',
          left: [
            m(METRICS.auditDuration, Stats.AVERAGE, {}, 'Duration avg'),
            m(METRICS.auditDuration, Stats.MAXIMUM, {}, 'Duration max'),
          ],
          right: [m(METRICS.modelsUnavailable, Stats.MAXIMUM, {}, 'Models unavailable')],
          leftYAxis: { min: 0, showUnits: false },
          rightYAxis: { min: 0, showUnits: false },
          width: THIRD,
          height: 6,
        }),
        new GraphWidget({
          title: 'Audits completed (heartbeat) and alert delivery failures',
          left: [m(METRICS.auditCompleted, Stats.SUM, {}, 'Audits completed')],
          right: ALERT_CHANNELS.map((channel) =>
            m(
              METRICS.alertDeliveryFailures,
              Stats.SUM,
              { [DIMENSION.channel]: channel },
              `Delivery failures ${channel}`,
            ),
          ),
          leftYAxis: { min: 0, showUnits: false },
          rightYAxis: { min: 0, showUnits: false },
          width: THIRD,
          height: 6,
        }),
        new GraphWidget({
          title: 'Auditor function: invocations, errors, throttles',
          left: lambdaMetrics(props.function),
          leftYAxis: { min: 0, showUnits: false },
          width: THIRD,
          height: 6,
        }),
      ],
    ];

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      // Hourly runs give one point an hour: a week shows trends without empty graphs.
      defaultInterval: Duration.days(7),
      widgets,
    });
  }
}

type MetricOf = (
  spec: MetricSpec,
  statistic: string,
  dimensions?: Record<string, string>,
  label?: string,
) => IMetric;

/**
 * The dashboard of the `essential` metric set: the two published metrics, the function's own
 * (free) Lambda metrics, and the checks read from the function's JSON log lines with Logs
 * Insights, so per-check status and values cost no custom metric.
 */
function essentialWidgets(props: AuditorDashboardProps, m: MetricOf): IWidget[][] {
  const logGroupNames = [props.logGroup.logGroupName];
  // Lambda's JSON log format puts the logger's object under `message` (lambda/aws/json-logger.ts).
  const checkFields =
    'fields @timestamp, message.check as check, message.status as status, message.summary as summary';
  const logs = (title: string, queryLines: string[], view: LogQueryVisualizationType, width = FULL) =>
    new LogQueryWidget({ title, logGroupNames, queryLines, view, width, height: 6 });
  return [
    [
      new TextWidget({
        markdown: readMe(props.metrics, props.config, props.environmentName, 'essential'),
        width: FULL,
        height: 5,
      }),
    ],
    [new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: FULL, height: 3 })],
    [
      logs(
        'Check status now (latest run, from the function log)',
        [
          checkFields,
          'filter message.msg = "check"',
          'stats latest(status) as latestStatus, latest(summary) as latestSummary, max(@timestamp) as lastRun by check',
          'sort check asc',
        ],
        LogQueryVisualizationType.TABLE,
      ),
    ],
    [
      logs(
        'Warnings, failures and errors (most recent first)',
        [
          checkFields,
          'filter message.msg = "check" and status in ["warn", "fail", "error"]',
          'sort @timestamp desc',
          'limit 100',
        ],
        LogQueryVisualizationType.TABLE,
        HALF,
      ),
      logs(
        'Checks failing per hour (fail or error)',
        [
          checkFields,
          'filter message.msg = "check" and status in ["fail", "error"]',
          'stats count(*) as failing by bin(1h)',
        ],
        LogQueryVisualizationType.BAR,
        HALF,
      ),
    ],
    [
      logs(
        'Credits remaining (USD) and runway (days)',
        [
          'fields @timestamp, message.values.creditsRemainingUsd as credits, message.values.runwayDays as runway',
          'filter message.msg = "check" and message.check = "credits"',
          'stats min(credits) as creditsRemainingUsd, min(runway) as runwayDays by bin(1h)',
        ],
        LogQueryVisualizationType.LINE,
        HALF,
      ),
      logs(
        'Key age and days to key expiry',
        [
          'fields @timestamp, message.values.keyAgeDays as age, message.values.daysToExpiry as expiry',
          'filter message.msg = "check" and message.check = "key-age"',
          'stats max(age) as keyAgeDays, min(expiry) as daysToKeyExpiry by bin(1h)',
        ],
        LogQueryVisualizationType.LINE,
        HALF,
      ),
    ],
    [
      new GraphWidget({
        title: 'Audits completed (heartbeat) and alert delivery failures',
        left: [m(METRICS.auditCompleted, Stats.SUM, {}, 'Audits completed')],
        right: ALERT_CHANNELS.map((channel) =>
          m(
            METRICS.alertDeliveryFailures,
            Stats.SUM,
            { [DIMENSION.channel]: channel },
            `Delivery failures ${channel}`,
          ),
        ),
        leftYAxis: { min: 0, showUnits: false },
        rightYAxis: { min: 0, showUnits: false },
        width: HALF,
        height: 6,
      }),
      new GraphWidget({
        title: 'Auditor function: invocations, errors, throttles',
        left: lambdaMetrics(props.function),
        leftYAxis: { min: 0, showUnits: false },
        width: HALF,
        height: 6,
      }),
    ],
  ];
}

function lambdaMetrics(fn: IFunction): IMetric[] {
  const period = Duration.minutes(5);
  return [
    fn.metricInvocations({ period, statistic: Stats.SUM, label: 'Invocations' }),
    fn.metricErrors({ period, statistic: Stats.SUM, label: 'Errors', color: Color.RED }),
    fn.metricThrottles({ period, statistic: Stats.SUM, label: 'Throttles', color: Color.ORANGE }),
  ];
}

function readMe(
  metrics: AuditorMetricContext,
  config: AuditConfig,
  environmentName: string | undefined,
  metricSet: MetricSet = 'full',
): string {
  const env = environmentName === undefined ? '' : ` (${environmentName})`;
  if (metricSet === 'essential') {
    return [
      `## OpenRouter audit${env}`,
      `The auditor runs every ${metrics.periodMinutes} minutes. It publishes only the heartbeat (\`AuditCompleted\`) and \`AlertDeliveryFailures\` to the namespace \`${metrics.namespace}\`; the check tables and graphs below are read from the function's JSON log with Logs Insights.`,
      `**Status**: pass, warn, fail, error (the check could not decide), skip. Thresholds: minCreditsUsd ${config.minCreditsUsd}, minRunwayDays ${config.minRunwayDays}, maxKeyAgeDays ${config.maxKeyAgeDays}, maxLatencyMs ${config.maxLatencyMs}.`,
      'Deploy with `metricSet: "full"` (context `-c metricSet=full`) for a CloudWatch metric per check and value (about $0.30 per metric-month).',
    ].join('\n\n');
  }
  return [
    `## OpenRouter audit${env}`,
    `The auditor runs every ${metrics.periodMinutes} minutes and publishes to the CloudWatch namespace \`${metrics.namespace}\`; each point below is one run.`,
    '**Check status**: 0 pass, 1 warn, 2 fail, 3 error (the check could not decide). No value means the check was skipped (e.g. no management key) or no run happened: see the heartbeat alarm.',
    `Lines on the graphs are the audit config's thresholds (minCreditsUsd ${config.minCreditsUsd}, minRunwayDays ${config.minRunwayDays}, maxKeyAgeDays ${config.maxKeyAgeDays}, maxLatencyMs ${config.maxLatencyMs}).`,
    'A failing check e-mails (and posts to Slack) what is wrong and what to do; the alarms cover the auditor itself. Function logs are JSON: filter `level = "ERROR"` in Logs Insights.',
  ].join('\n\n');
}
