import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { METRIC_SETS, type MetricSet } from '../lambda/aws/metric-catalog';
import { ENV } from '../lambda/settings-names';
import { OpenRouterAuditorStack } from '../lib/auditor-stack';
import { auditorAppFromContext } from '../lib/context-props';
import { parseSchedule } from '../lib/schedule-expression';

/**
 * What the default deployment is made of, counted from the template of the stack `cdk synth`
 * would deploy with no context given (bin/app.ts with every default). Bundling is skipped
 * (`aws:cdk:bundling-stacks` empty): it does not change the resources, only the asset.
 */
export interface StackInventory {
  readonly stackName: string;
  readonly alarms: number;
  /** Metrics watched by the alarms: one per single-metric alarm, one per metric of a math alarm. */
  readonly alarmMetrics: number;
  readonly compositeAlarms: number;
  readonly dashboards: number;
  readonly scheduleExpression: string;
  readonly schedulePeriodMinutes: number;
  /** Secret ids the function reads (its *_SECRET_ID settings). */
  readonly secretsRead: number;
  readonly emailSubscriptions: number;
  readonly lambdaMemoryMb: number;
  readonly lambdaTimeoutSeconds: number;
  /** The function's AUDIT_CONFIG and METRIC_NAMESPACE settings. */
  readonly auditConfigJson: string;
  readonly metricNamespace: string;
  /** The function's METRIC_SET setting (the handler's default when absent). */
  readonly metricSet: MetricSet;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resourcesOf(template: JsonObject, type: string): JsonObject[] {
  const resources = template.Resources;
  if (!isObject(resources)) return [];
  return Object.values(resources)
    .filter((r): r is JsonObject => isObject(r) && r.Type === type)
    .map((r) => (isObject(r.Properties) ? r.Properties : {}));
}

const asNumber = (value: Json | undefined, what: string): number => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  throw new Error(`stack inventory: ${what} is not a number in the template`);
};

export function synthesizeDefaultStack(): StackInventory {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  try {
    const { stackName, stackProps } = auditorAppFromContext((key) => app.node.tryGetContext(key));
    const stack = new OpenRouterAuditorStack(app, stackName, stackProps);
    // toJSON() is typed as a plain object of unknowns; a CloudFormation template is JSON.
    const template = Template.fromStack(stack).toJSON() as JsonObject;
    return inventoryOf(stackName, template);
  } finally {
    CloudAssembly.cleanupTemporaryDirectories();
  }
}

/** Counts what the cost model needs from a synthesized template. */
export function inventoryOf(stackName: string, template: JsonObject): StackInventory {
  const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
  const alarmMetrics = alarms.reduce((sum, alarm) => {
    const metrics = alarm.Metrics;
    return (
      sum + (Array.isArray(metrics) ? metrics.filter((m) => isObject(m) && isObject(m.MetricStat)).length : 1)
    );
  }, 0);

  const functions = resourcesOf(template, 'AWS::Lambda::Function').filter((fn) => {
    const variables = isObject(fn.Environment) ? fn.Environment.Variables : undefined;
    return isObject(variables) && variables[ENV.apiKeySecretId] !== undefined;
  });
  const [auditor] = functions;
  if (functions.length !== 1 || auditor === undefined) {
    throw new Error(`stack inventory: expected one auditor function, found ${functions.length}`);
  }
  const variables =
    isObject(auditor.Environment) && isObject(auditor.Environment.Variables)
      ? auditor.Environment.Variables
      : {};
  const secretSettings = [ENV.apiKeySecretId, ENV.managementKeySecretId, ENV.slackWebhookSecretId];

  const schedules = [
    ...resourcesOf(template, 'AWS::Scheduler::Schedule'),
    ...resourcesOf(template, 'AWS::Events::Rule').filter((rule) => rule.ScheduleExpression !== undefined),
  ];
  const [schedule] = schedules;
  if (schedules.length !== 1 || schedule === undefined || typeof schedule.ScheduleExpression !== 'string') {
    throw new Error(`stack inventory: expected one schedule, found ${schedules.length}`);
  }
  const periodSetting = variables[ENV.schedulePeriodMinutes];
  const parsed = parseSchedule(
    schedule.ScheduleExpression,
    periodSetting === undefined ? undefined : asNumber(periodSetting, ENV.schedulePeriodMinutes),
  );

  const emailProtocols = new Set(['email', 'email-json']);
  const standalone = resourcesOf(template, 'AWS::SNS::Subscription').filter(
    (s) => typeof s.Protocol === 'string' && emailProtocols.has(s.Protocol),
  ).length;
  const inline = resourcesOf(template, 'AWS::SNS::Topic').reduce((sum, topic) => {
    const subs = topic.Subscription;
    return (
      sum +
      (Array.isArray(subs)
        ? subs.filter((s) => isObject(s) && typeof s.Protocol === 'string' && emailProtocols.has(s.Protocol))
            .length
        : 0)
    );
  }, 0);

  const config = variables[ENV.auditConfig];
  const namespace = variables[ENV.metricNamespace];
  const metricSet = METRIC_SETS.find((set) => set === variables[ENV.metricSet]) ?? 'full';
  return {
    stackName,
    alarms: alarms.length,
    alarmMetrics,
    compositeAlarms: resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm').length,
    dashboards: resourcesOf(template, 'AWS::CloudWatch::Dashboard').length,
    scheduleExpression: schedule.ScheduleExpression,
    schedulePeriodMinutes: parsed.periodMinutes,
    secretsRead: secretSettings.filter((name) => variables[name] !== undefined).length,
    emailSubscriptions: standalone + inline,
    lambdaMemoryMb: asNumber(auditor.MemorySize, 'MemorySize'),
    lambdaTimeoutSeconds: asNumber(auditor.Timeout, 'Timeout'),
    auditConfigJson: typeof config === 'string' ? config : '{}',
    metricNamespace: typeof namespace === 'string' ? namespace : '',
    metricSet,
  };
}
