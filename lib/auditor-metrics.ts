import { Duration } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import type { MetricSpec } from '../lambda/aws/metric-catalog';

/** Where the auditor's metrics live and how finely to read them. */
export interface AuditorMetricContext {
  readonly namespace: string;
  /** Minutes between scheduled runs: one datapoint per period. */
  readonly periodMinutes: number;
}

/**
 * A CloudWatch metric of the catalog (lambda/aws/metric-catalog.ts), so the dashboard and alarms
 * read exactly what the handler publishes. The dimensions must be exactly the spec's: a metric
 * queried with other dimensions is a different metric with no data.
 */
export function auditorMetric(
  context: AuditorMetricContext,
  spec: MetricSpec,
  dimensions: Readonly<Record<string, string>> = {},
  options: Omit<MetricOptions, 'dimensionsMap'> = {},
): Metric {
  const given = Object.keys(dimensions).sort();
  const expected = [...spec.dimensions].sort();
  if (given.join(',') !== expected.join(',')) {
    throw new Error(
      `metric ${spec.name} is published with dimensions [${expected.join(', ')}], not [${given.join(', ')}]`,
    );
  }
  return new Metric({
    namespace: context.namespace,
    metricName: spec.name,
    period: Duration.minutes(context.periodMinutes),
    ...options,
    dimensionsMap: { ...dimensions },
  });
}
