import type { CheckStatus } from '../engine/result';

/**
 * Every CloudWatch metric the auditor publishes. The Lambda publishes exactly these, and the CDK
 * construct builds its dashboard and alarms from this same table, so the two cannot drift.
 * Names, units and dimensions are a public contract (users build their own alarms on them).
 */
export const DEFAULT_METRIC_NAMESPACE = 'OpenRouter/Audit';

export const DIMENSION = {
  check: 'Check',
  model: 'Model',
  channel: 'Channel',
} as const;

export type MetricUnit = 'None' | 'Count' | 'Milliseconds';

export interface MetricSpec {
  readonly name: string;
  readonly unit: MetricUnit;
  /** Dimension names; every datapoint of this metric carries exactly these. */
  readonly dimensions: readonly (typeof DIMENSION)[keyof typeof DIMENSION][];
  /** README text: what the value means. */
  readonly description: string;
}

const spec = <N extends string>(
  name: N,
  unit: MetricUnit,
  dimensions: MetricSpec['dimensions'],
  description: string,
): MetricSpec & { name: N } => ({ name, unit, dimensions, description });

export const METRICS = {
  checkStatus: spec(
    'CheckStatus',
    'None',
    [DIMENSION.check],
    'Status of one check: 0 pass, 1 warn, 2 fail, 3 error. Not published for a skipped check.',
  ),
  creditsRemaining: spec(
    'CreditsRemaining',
    'None',
    [],
    'USD left: the lower of the account balance (management key) and the key limit remaining.',
  ),
  runwayDays: spec('RunwayDays', 'None', [], 'Days the remaining credits last at the recent daily spend.'),
  keyLimitRemaining: spec('KeyLimitRemaining', 'None', [], "USD left under the API key's own credit limit."),
  keyAgeDays: spec(
    'KeyAgeDays',
    'None',
    [],
    'Days since the API key was created (or its secret last stored).',
  ),
  daysToKeyExpiry: spec(
    'DaysToKeyExpiry',
    'None',
    [],
    "Days until the API key's expires_at (negative once past).",
  ),
  spendToday: spec('SpendToday', 'None', [], 'USD the API key has spent today (UTC), from usage_daily.'),
  probeLatency: spec(
    'ProbeLatency',
    'Milliseconds',
    [DIMENSION.model],
    'Wall time of the test completion for one configured model.',
  ),
  probeCost: spec(
    'ProbeCost',
    'None',
    [DIMENSION.model],
    'usage.cost (USD) of the test completion for one model.',
  ),
  modelsUnavailable: spec(
    'ModelsUnavailable',
    'Count',
    [],
    'Configured models missing from /models or past their expiration date.',
  ),
  keysWithoutLimit: spec(
    'KeysWithoutLimit',
    'Count',
    [],
    'Enabled keys of the account without a credit limit (needs a management key).',
  ),
  bestUptimePercent: spec(
    'BestUptimePercent',
    'None',
    [],
    "uptime_last_30m (0-100) of the primary model's best endpoint that is up (providers check).",
  ),
  spendSpikeFactor: spec(
    'SpendSpikeFactor',
    'None',
    [],
    "Today's spend across all keys divided by the last 7 days' daily average (spend-trend check).",
  ),
  auditDuration: spec('AuditDuration', 'Milliseconds', [], 'Wall time of the whole audit.'),
  auditCompleted: spec(
    'AuditCompleted',
    'Count',
    [],
    'Heartbeat: 1 on every run that finished. The heartbeat alarm fires when it stops.',
  ),
  alertDeliveryFailures: spec(
    'AlertDeliveryFailures',
    'Count',
    [DIMENSION.channel],
    'Alerts that could not be delivered, by channel (sns, slack-webhook). Published only when one failed.',
  ),
} as const;

export type MetricKey = keyof typeof METRICS;

/**
 * Which metrics the Lambda publishes. Each custom metric costs $0.30 a month at list price, so by
 * default only what an alarm reads is published (`essential`); the dashboard draws the checks'
 * history from the JSON logs instead. `full` publishes the whole catalog for graphs and your own alarms.
 */
export const METRIC_SETS = ['essential', 'full'] as const;
export type MetricSet = (typeof METRIC_SETS)[number];

/** The metrics of the `essential` set: the heartbeat alarm's and the delivery-failure alarm's. */
export const ESSENTIAL_METRICS: readonly MetricSpec[] = [
  METRICS.auditCompleted,
  METRICS.alertDeliveryFailures,
];

/** The specs a metric set publishes. */
export function metricsOf(set: MetricSet): readonly MetricSpec[] {
  return set === 'full' ? Object.values(METRICS) : ESSENTIAL_METRICS;
}

/** The numeric value published as `CheckStatus`; skip publishes nothing. */
export const CHECK_STATUS_VALUE: Readonly<Record<Exclude<CheckStatus, 'skip'>, number>> = {
  pass: 0,
  warn: 1,
  fail: 2,
  error: 3,
};
