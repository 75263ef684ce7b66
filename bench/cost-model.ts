/**
 * The monthly AWS bill of one auditor deployment, from counts read off the synthesized stack and
 * the metrics a run publishes. Pure: no AWS call, no clock.
 *
 * Prices are us-east-1 list prices before any free tier. From /work/shared/aws-facts.md: §3 for
 * CloudWatch (custom metric $0.30/metric-month, alarm $0.10/alarm metric-month, PutMetricData $0.01
 * per 1,000 requests) and §5 for EventBridge Scheduler (14 M invocations free, then about $1 per
 * million). Not in aws-facts.md, taken from the bench's brief (AWS pricing pages): dashboard
 * $3.00/month, Lambda arm64 $0.0000133334/GB-s + $0.20/1M requests, Secrets Manager $0.40/secret-month
 * + $0.05/10,000 calls, SSM standard parameter free, SNS e-mail $2/100,000.
 */

/** AWS bills a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

export interface Prices {
  readonly customMetricMonth: number;
  readonly alarmMetricMonth: number;
  readonly dashboardMonth: number;
  readonly putMetricDataPerThousand: number;
  /** Lambda arm64 compute. */
  readonly lambdaGbSecond: number;
  readonly lambdaPerMillionRequests: number;
  readonly secretMonth: number;
  readonly secretsApiPerTenThousand: number;
  readonly snsEmailPerHundredThousand: number;
  readonly schedulerPerMillion: number;
}

export const US_EAST_1_PRICES: Prices = {
  customMetricMonth: 0.3,
  alarmMetricMonth: 0.1,
  dashboardMonth: 3.0,
  putMetricDataPerThousand: 0.01,
  lambdaGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  secretMonth: 0.4,
  secretsApiPerTenThousand: 0.05,
  snsEmailPerHundredThousand: 2.0,
  schedulerPerMillion: 1.0,
};

/** What one deployment uses, per month or per run. */
export interface DeploymentUsage {
  /** Minutes between scheduled runs. */
  readonly schedulePeriodMinutes: number;
  /** Distinct namespace + name + dimension sets published in a month. */
  readonly customMetrics: number;
  /** PutMetricData calls per run. */
  readonly putMetricDataCallsPerRun: number;
  /** Metrics watched by alarms (one per single-metric alarm). */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly lambdaMemoryMb: number;
  /** Billed seconds per run (the bench passes the function timeout: an upper bound). */
  readonly lambdaSecondsPerRun: number;
  /** Secrets the function reads. */
  readonly secrets: number;
  /** GetSecretValue calls per run. */
  readonly secretReadsPerRun: number;
  /** Alert e-mails per month over all subscriptions. */
  readonly alertEmailsPerMonth: number;
}

export interface CostLine {
  readonly item: string;
  /** How the amount was reached, e.g. `15 × $0.30`. */
  readonly basis: string;
  readonly usd: number;
}

export interface CostEstimate {
  readonly invocationsPerMonth: number;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
}

/** Scheduled runs in a month at one run every `periodMinutes`. */
export function invocationsPerMonth(periodMinutes: number): number {
  if (!Number.isFinite(periodMinutes) || periodMinutes <= 0) {
    throw new RangeError(`schedule period must be a positive number of minutes, got ${periodMinutes}`);
  }
  return (HOURS_PER_MONTH * 60) / periodMinutes;
}

const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const price = (usd: number) => `$${usd}`;

/** Line items and total of one month. Throws RangeError on a negative or non-finite count. */
export function estimateMonthlyCost(usage: DeploymentUsage, prices: Prices = US_EAST_1_PRICES): CostEstimate {
  for (const [name, value] of Object.entries(usage)) {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
  const runs = invocationsPerMonth(usage.schedulePeriodMinutes);
  const putCalls = runs * usage.putMetricDataCallsPerRun;
  const gbSeconds = runs * (usage.lambdaMemoryMb / 1024) * usage.lambdaSecondsPerRun;
  const secretCalls = runs * usage.secretReadsPerRun;
  const lines: CostLine[] = [
    {
      item: 'CloudWatch custom metrics',
      basis: `${usage.customMetrics} × ${price(prices.customMetricMonth)}`,
      usd: usage.customMetrics * prices.customMetricMonth,
    },
    {
      item: 'CloudWatch dashboards',
      basis: `${usage.dashboards} × ${price(prices.dashboardMonth)}`,
      usd: usage.dashboards * prices.dashboardMonth,
    },
    {
      item: 'CloudWatch alarms',
      basis: `${usage.alarmMetrics} alarm metrics × ${price(prices.alarmMetricMonth)}`,
      usd: usage.alarmMetrics * prices.alarmMetricMonth,
    },
    {
      item: 'CloudWatch PutMetricData',
      basis: `${count(putCalls)} calls × ${price(prices.putMetricDataPerThousand)}/1,000`,
      usd: (putCalls / 1000) * prices.putMetricDataPerThousand,
    },
    {
      item: 'Lambda compute (arm64)',
      basis: `${count(gbSeconds)} GB-s × ${price(prices.lambdaGbSecond)}`,
      usd: gbSeconds * prices.lambdaGbSecond,
    },
    {
      item: 'Lambda requests',
      basis: `${count(runs)} × ${price(prices.lambdaPerMillionRequests)}/1M`,
      usd: (runs / 1e6) * prices.lambdaPerMillionRequests,
    },
    {
      item: 'Secrets Manager secrets',
      basis: `${usage.secrets} × ${price(prices.secretMonth)}`,
      usd: usage.secrets * prices.secretMonth,
    },
    {
      item: 'Secrets Manager API calls',
      basis: `${count(secretCalls)} × ${price(prices.secretsApiPerTenThousand)}/10,000`,
      usd: (secretCalls / 10_000) * prices.secretsApiPerTenThousand,
    },
    {
      item: 'EventBridge Scheduler',
      basis: `${count(runs)} × ${price(prices.schedulerPerMillion)}/1M (14M/month free)`,
      usd: (runs / 1e6) * prices.schedulerPerMillion,
    },
    {
      item: 'SNS e-mail',
      basis: `${count(usage.alertEmailsPerMonth)} × ${price(prices.snsEmailPerHundredThousand)}/100,000`,
      usd: (usage.alertEmailsPerMonth / 100_000) * prices.snsEmailPerHundredThousand,
    },
    { item: 'SSM parameter (alert state)', basis: 'standard parameter and throughput: free', usd: 0 },
  ];
  return { invocationsPerMonth: runs, lines, totalUsd: lines.reduce((sum, line) => sum + line.usd, 0) };
}

/**
 * The line items that make up most of the bill, largest first: those that together reach
 * `share` of the total (at least one when the total is not zero).
 */
export function costDrivers(estimate: CostEstimate, share = 0.9): CostLine[] {
  const sorted = [...estimate.lines].filter((line) => line.usd > 0).sort((a, b) => b.usd - a.usd);
  const drivers: CostLine[] = [];
  let covered = 0;
  for (const line of sorted) {
    if (drivers.length > 0 && covered >= share * estimate.totalUsd) break;
    drivers.push(line);
    covered += line.usd;
  }
  return drivers;
}

/** One deployment option and what it does to the monthly bill. */
export interface OptionCost {
  readonly option: string;
  /** How to choose it (prop and context key). */
  readonly how: string;
  /** Change against the default deployment (negative: a saving). */
  readonly deltaUsd: number;
  readonly totalUsd: number;
}

/**
 * The price of each option of the construct, each alone against `usage` (the default deployment):
 * the full metric set, a management key and a webhook secret (a secret each), Chatbot (free),
 * e-mail (per message), a 15-minute schedule, and no dashboard.
 */
export function optionCosts(
  usage: DeploymentUsage,
  facts: { readonly fullMetricSetMetrics: number },
  prices: Prices = US_EAST_1_PRICES,
): OptionCost[] {
  const base = estimateMonthlyCost(usage, prices).totalUsd;
  const option = (name: string, how: string, changed: DeploymentUsage): OptionCost => {
    const totalUsd = estimateMonthlyCost(changed, prices).totalUsd;
    return { option: name, how, deltaUsd: totalUsd - base, totalUsd };
  };
  const secretMore = { secrets: usage.secrets + 1, secretReadsPerRun: usage.secretReadsPerRun + 1 };
  return [
    option('Default (essential metrics, dashboard, hourly)', '-', usage),
    option(
      `Full metric set (${facts.fullMetricSetMetrics} metrics)`,
      'metricSet: "full" / -c metricSet=full',
      { ...usage, customMetrics: facts.fullMetricSetMetrics },
    ),
    option('Management key in its own secret', 'managementKeySecret / -c managementKeySecret=NAME', {
      ...usage,
      ...secretMore,
    }),
    option('Slack webhook (its secret)', 'slackWebhookSecret / -c slackWebhookSecret=NAME', {
      ...usage,
      ...secretMore,
    }),
    option('Slack through AWS Chatbot', 'slack / -c slackWorkspaceId=... -c slackChannelId=...', usage),
    option('E-mail, one alert a day to one address', 'alertEmails / -c alertEmails=...', {
      ...usage,
      alertEmailsPerMonth: usage.alertEmailsPerMonth + 30,
    }),
    option('Every 15 minutes instead of hourly', 'schedule / -c schedule="rate(15 minutes)"', {
      ...usage,
      schedulePeriodMinutes: 15,
    }),
    option("Dashboard in the free tier (an account's first 3)", 'nothing to choose: AWS applies it', {
      ...usage,
      dashboards: Math.max(0, usage.dashboards - 1),
    }),
  ];
}
