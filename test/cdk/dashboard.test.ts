import type { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_METRIC_NAMESPACE,
  ESSENTIAL_METRICS,
  METRICS,
  type MetricSpec,
} from '../../lambda/aws/metric-catalog';
import { CHECK_IDS } from '../../lambda/engine/result';
import { ENV } from '../../lambda/settings-names';
import {
  buildAuditor,
  type DashboardMetric,
  type DashboardWidget,
  dashboardBody,
  dashboardMetrics,
  renderCfn,
  templateOf,
} from './support';

// A cron schedule every 15 minutes, three models and non-default thresholds: one synth.
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku', 'google/gemini-2.0-flash-001'];
const CONFIG = {
  models: MODELS,
  dailyBudgetUsd: 50,
  minCreditsUsd: 20,
  minRunwayDays: 5,
  maxKeyAgeDays: 60,
  keyAgeWarnDays: 45,
  keyExpiryWarnDays: 10,
  maxLatencyMs: 8000,
};

let template: Template;
let widgets: DashboardWidget[];
let metrics: DashboardMetric[];
let ours: DashboardMetric[];

beforeAll(() => {
  template = templateOf(
    buildAuditor({
      apiKeySecret: 'openrouter-auditor/api-key',
      schedule: 'cron(0/15 * * * ? *)',
      auditConfig: CONFIG,
      metricSet: 'full',
    }),
  );
  const body = dashboardBody(template);
  widgets = body.widgets;
  metrics = dashboardMetrics(body);
  ours = metrics.filter((m) => m.namespace === DEFAULT_METRIC_NAMESPACE);
});

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

const annotationsOf = (titlePart: string) =>
  widgets
    .filter((w) => (w.properties.title ?? '').includes(titlePart))
    .flatMap((w) => w.properties.annotations?.horizontal ?? [])
    .map((a) => a.value);

describe('AuditorDashboard with the full metric set', () => {
  it('shows exactly the metrics the handler publishes, by their catalog names', () => {
    const published = Object.values(METRICS).map((spec) => spec.name);
    expect([...new Set(ours.map((m) => m.name))].sort()).toEqual([...published].sort());
  });

  it('queries each metric with exactly the dimensions it is published with', () => {
    const specs = new Map<string, MetricSpec>(Object.values(METRICS).map((spec) => [spec.name, spec]));
    for (const metric of ours) {
      expect(Object.keys(metric.dimensions).sort(), metric.name).toEqual(
        [...(specs.get(metric.name)?.dimensions ?? [])].sort(),
      );
    }
  });

  it('reads one datapoint per scheduled run (period = the 15-minute schedule)', () => {
    expect(ours.length).toBeGreaterThan(0);
    for (const metric of ours) expect(metric.options.period, metric.name).toBe(900);
  });

  it('has a status for every check, as single values and over time', () => {
    const statusChecks = (widgetType: string) =>
      ours
        .filter((m) => m.name === METRICS.checkStatus.name && m.widget.startsWith(widgetType))
        .map((m) => m.dimensions.Check);
    expect(statusChecks('Check status now')).toEqual([...CHECK_IDS]);
    expect(statusChecks('Check status over time')).toEqual([...CHECK_IDS]);
  });

  it('plots latency p50 and p95 and cost for every configured model', () => {
    for (const model of MODELS) {
      const latencyStats = ours
        .filter((m) => m.name === METRICS.probeLatency.name && m.dimensions.Model === model)
        .map((m) => m.options.stat);
      expect(latencyStats, model).toEqual(['p50', 'p95']);
      expect(
        ours.filter((m) => m.name === METRICS.probeCost.name && m.dimensions.Model === model),
      ).toHaveLength(1);
    }
  });

  it('draws the config thresholds as horizontal annotations', () => {
    expect(annotationsOf('Spend today vs budget')).toEqual([50]);
    expect(annotationsOf('Credits remaining')).toEqual([20, 5]);
    expect(annotationsOf('Key age')).toEqual([45, 60, 10]);
    expect(annotationsOf('latency')).toEqual([8000]);
  });

  it('shows each check at its worst status in the period (Maximum), never averaged into a status that is none', () => {
    const status = ours.filter((m) => m.name === METRICS.checkStatus.name);
    expect(status).toHaveLength(2 * CHECK_IDS.length);
    for (const metric of status) expect(metric.options.stat, metric.dimensions.Check).toBe('Maximum');
  });

  it("sums the function's invocations, errors and throttles over 5 minutes, as the alarms do", () => {
    const lambda = metrics.filter((m) => m.namespace === 'AWS/Lambda');
    expect(lambda.length).toBeGreaterThan(0);
    for (const metric of lambda) {
      // A dashboard series without a period is read at 300 s, the dashboard default.
      expect(metric.options.period ?? 300, metric.name).toBe(300);
      expect(metric.options.stat ?? 'Average', metric.name).toBe('Sum');
    }
  });

  it('shows the state of every alarm', () => {
    const alarmWidgets = widgets.filter((w) => w.type === 'alarm');
    expect(alarmWidgets).toHaveLength(1);
    expect(alarmWidgets[0]?.properties.alarms).toEqual([
      expect.stringMatching(/^<GetAtt:AuditorAlarmsHeartbeat[0-9A-F]+\.Arn>$/),
      expect.stringMatching(/^<GetAtt:AuditorAlarmsErrors[0-9A-F]+\.Arn>$/),
      expect.stringMatching(/^<GetAtt:AuditorAlarmsThrottles[0-9A-F]+\.Arn>$/),
      expect.stringMatching(/^<GetAtt:AuditorAlarmsSnsDeliveryFailures[0-9A-F]+\.Arn>$/),
      expect.stringMatching(/^<GetAtt:AuditorAlarmsSlackWebhookDeliveryFailures[0-9A-F]+\.Arn>$/),
      expect.stringMatching(/^<GetAtt:AuditorAlarmsScheduleNotDelivered[0-9A-F]+\.Arn>$/),
    ]);
  });

  it("shows the function's invocations, errors and throttles", () => {
    const lambda = metrics.filter((m) => m.namespace === 'AWS/Lambda');
    expect(lambda.map((m) => m.name)).toEqual(['Invocations', 'Errors', 'Throttles']);
    for (const metric of lambda)
      expect(metric.dimensions.FunctionName).toMatch(/^<Ref:AuditorFunction[0-9A-F]+>$/);
  });

  it('explains how to read it in a text widget', () => {
    const text = widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown ?? '');
    expect(text).toHaveLength(1);
    expect(text[0]).toContain('0 pass, 1 warn, 2 fail, 3 error');
    expect(text[0]).toContain('every 15 minutes');
  });

  it('is the dashboard the alerts link to', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    // The name carries the region (dashboard names are global to the account).
    const name = renderCfn(dashboards[0]?.Properties.DashboardName);
    expect(name).toBe('TestStack-<Ref:AWS::Region>');
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    const url = renderCfn(functions[0]?.Properties.Environment.Variables[ENV.dashboardUrl]);
    expect(url.endsWith(`#dashboards/dashboard/${name}`)).toBe(true);
  });
});

describe('AuditorDashboard with the essential metric set (the default)', () => {
  let essential: DashboardWidget[];
  let essentialMetrics: DashboardMetric[];

  beforeAll(() => {
    const body = dashboardBody(
      templateOf(buildAuditor({ apiKeySecret: 'openrouter-auditor/api-key', auditConfig: CONFIG })),
    );
    essential = body.widgets;
    essentialMetrics = dashboardMetrics(body).filter((m) => m.namespace === DEFAULT_METRIC_NAMESPACE);
  });

  it('graphs only the metrics the essential set publishes', () => {
    const published = ESSENTIAL_METRICS.map((spec) => spec.name).sort();
    expect([...new Set(essentialMetrics.map((m) => m.name))].sort()).toEqual(published);
  });

  it('lists warnings as well as failures and errors, and counts only failures and errors per hour', () => {
    const queryOf = (titlePart: string) =>
      String(essential.find((w) => (w.properties.title ?? '').includes(titlePart))?.properties.query);
    expect(queryOf('Warnings, failures and errors')).toContain('status in ["warn", "fail", "error"]');
    expect(queryOf('Checks failing per hour')).toContain('status in ["fail", "error"]');
  });

  it("reads every check's status and values from the function's JSON log with Logs Insights", () => {
    const queries = essential.filter((w) => w.type === 'log').map((w) => String(w.properties.query));
    expect(queries.length).toBeGreaterThanOrEqual(3);
    for (const query of queries) {
      expect(query).toMatch(/^SOURCE '<Ref:AuditorLogGroup[0-9A-F]+>' \|/);
      expect(query).toContain('message.msg = "check"');
    }
    expect(queries.some((q) => q.includes('latest(status)') && q.includes('by check'))).toBe(true);
    expect(queries.some((q) => q.includes('message.values.creditsRemainingUsd'))).toBe(true);
  });
});
