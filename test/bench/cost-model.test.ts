import { describe, expect, it } from 'vitest';
import {
  costDrivers,
  type DeploymentUsage,
  estimateMonthlyCost,
  invocationsPerMonth,
  optionCosts,
  type Prices,
  US_EAST_1_PRICES,
} from '../../bench/cost-model';

/**
 * The default deployment as the bench counts it: hourly, one model, the essential metric set (one
 * metric: AuditCompleted), 6 single-metric alarms, 1 dashboard.
 */
const DEFAULT_USAGE: DeploymentUsage = {
  schedulePeriodMinutes: 60,
  customMetrics: 1,
  putMetricDataCallsPerRun: 1,
  alarmMetrics: 6,
  dashboards: 1,
  lambdaMemoryMb: 256,
  lambdaSecondsPerRun: 60,
  secrets: 1,
  secretReadsPerRun: 1,
  alertEmailsPerMonth: 0,
};

const line = (usage: DeploymentUsage, item: string, prices?: Prices) =>
  estimateMonthlyCost(usage, prices).lines.find((l) => l.item === item)?.usd;

describe('invocationsPerMonth', () => {
  it.each([
    [60, 730],
    [30, 1460],
    [5, 8760],
    [1440, 730 / 24],
  ])('runs every %i minutes %d times in a 730-hour month', (period, runs) => {
    expect(invocationsPerMonth(period)).toBeCloseTo(runs, 9);
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a period of %d minutes', (period) => {
    expect(() => invocationsPerMonth(period)).toThrow(RangeError);
  });
});

describe('estimateMonthlyCost', () => {
  it.each([
    ['CloudWatch custom metrics', 1 * 0.3],
    ['CloudWatch dashboards', 3],
    ['CloudWatch alarms', 6 * 0.1],
    ['CloudWatch PutMetricData', (730 / 1000) * 0.01],
    ['Lambda compute (arm64)', 730 * 0.25 * 60 * 0.0000133334],
    ['Lambda requests', (730 / 1e6) * 0.2],
    ['Secrets Manager secrets', 0.4],
    ['Secrets Manager API calls', (730 / 10_000) * 0.05],
    ['EventBridge Scheduler', (730 / 1e6) * 1],
    ['SNS e-mail', 0],
    ['SSM parameter (alert state)', 0],
  ])('prices %s of the default deployment at $%f', (item, usd) => {
    expect(line(DEFAULT_USAGE, item)).toBeCloseTo(usd, 9);
  });

  it('totals the line items', () => {
    const estimate = estimateMonthlyCost(DEFAULT_USAGE);
    expect(estimate.totalUsd).toBeCloseTo(
      estimate.lines.reduce((sum, l) => sum + l.usd, 0),
      12,
    );
    expect(estimate.totalUsd).toBeCloseTo(4.46, 2);
    expect(estimate.totalUsd).toBeLessThanOrEqual(5);
    expect(estimate.invocationsPerMonth).toBe(730);
  });

  it('scales the per-run items with the schedule and leaves the monthly ones alone', () => {
    const every5 = { ...DEFAULT_USAGE, schedulePeriodMinutes: 5 };
    expect(line(every5, 'CloudWatch PutMetricData')).toBeCloseTo(
      12 * (line(DEFAULT_USAGE, 'CloudWatch PutMetricData') ?? 0),
      9,
    );
    expect(line(every5, 'Lambda compute (arm64)')).toBeCloseTo(
      12 * (line(DEFAULT_USAGE, 'Lambda compute (arm64)') ?? 0),
      9,
    );
    expect(line(every5, 'CloudWatch custom metrics')).toBe(line(DEFAULT_USAGE, 'CloudWatch custom metrics'));
    expect(line(every5, 'Secrets Manager secrets')).toBe(line(DEFAULT_USAGE, 'Secrets Manager secrets'));
  });

  it('charges SNS e-mail per 100,000 messages', () => {
    expect(line({ ...DEFAULT_USAGE, alertEmailsPerMonth: 50_000 }, 'SNS e-mail')).toBeCloseTo(1, 9);
  });

  it('uses the prices it is given', () => {
    const prices: Prices = { ...US_EAST_1_PRICES, dashboardMonth: 10 };
    expect(line(DEFAULT_USAGE, 'CloudWatch dashboards', prices)).toBe(10);
    expect(estimateMonthlyCost(DEFAULT_USAGE, prices).totalUsd).toBeCloseTo(
      estimateMonthlyCost(DEFAULT_USAGE).totalUsd + 7,
      9,
    );
  });

  it('costs nothing for nothing but the schedule', () => {
    const idle: DeploymentUsage = {
      ...DEFAULT_USAGE,
      customMetrics: 0,
      putMetricDataCallsPerRun: 0,
      alarmMetrics: 0,
      dashboards: 0,
      lambdaSecondsPerRun: 0,
      secrets: 0,
      secretReadsPerRun: 0,
    };
    // Only the requests to Lambda and Scheduler remain: fractions of a cent.
    expect(estimateMonthlyCost(idle).totalUsd).toBeLessThan(0.001);
  });

  it.each([
    ['customMetrics', -1],
    ['dashboards', Number.NaN],
    ['lambdaMemoryMb', Number.POSITIVE_INFINITY],
  ] as const)('refuses %s = %d', (field, value) => {
    expect(() => estimateMonthlyCost({ ...DEFAULT_USAGE, [field]: value })).toThrow(RangeError);
  });
});

describe('costDrivers', () => {
  it('names the largest items that make up most of the bill, largest first', () => {
    const drivers = costDrivers(estimateMonthlyCost(DEFAULT_USAGE));
    expect(drivers.map((d) => d.item)).toEqual([
      'CloudWatch dashboards',
      'CloudWatch alarms',
      'Secrets Manager secrets',
      'CloudWatch custom metrics',
    ]);
  });

  it('names nothing for a free bill', () => {
    expect(costDrivers({ invocationsPerMonth: 0, lines: [], totalUsd: 0 })).toEqual([]);
  });
});

describe('optionCosts', () => {
  const options = optionCosts(DEFAULT_USAGE, { fullMetricSetMetrics: 15 });
  const find = (prefix: string) => options.find((o) => o.option.startsWith(prefix));

  it('prices the default first, at the estimate of the default', () => {
    expect(options[0]?.deltaUsd).toBe(0);
    expect(options[0]?.totalUsd).toBeCloseTo(estimateMonthlyCost(DEFAULT_USAGE).totalUsd, 9);
  });

  it('adds $0.30 per metric for the full metric set, and $0.40 a month per extra secret', () => {
    expect(find('Full metric set')?.deltaUsd).toBeCloseTo(14 * 0.3, 9);
    expect(find('Full metric set')?.totalUsd).toBeCloseTo(8.66, 2);
    expect(find('Slack webhook')?.deltaUsd).toBeCloseTo(0.4 + (730 / 10_000) * 0.05, 9);
    expect(find('Slack through AWS Chatbot')?.deltaUsd).toBe(0);
  });

  it('makes a faster schedule cost more per run', () => {
    expect(find('Every 15 minutes')?.deltaUsd).toBeGreaterThan(0);
  });
});
