import { buildMetricData } from '../lambda/aws/metrics';
import { parseAuditConfig } from '../lambda/engine/config';
import type { Simulator } from '../simulator/types';
import { assertHealthy, timeAudit } from './audit-run';
import {
  type CostEstimate,
  type DeploymentUsage,
  estimateMonthlyCost,
  invocationsPerMonth,
  type OptionCost,
  optionCosts,
} from './cost-model';
import type { StackInventory } from './stack-inventory';

/** The cost of the default deployment and the facts it rests on. */
export interface DeploymentCost {
  readonly inventory: StackInventory;
  readonly models: readonly string[];
  /** Distinct name + dimension sets one healthy run publishes. */
  readonly metricNames: readonly string[];
  readonly putMetricDataCallsPerRun: number;
  readonly estimate: CostEstimate;
  /** What each option adds to (or saves from) the default's bill. */
  readonly options: readonly OptionCost[];
}

/**
 * Publishes nothing: runs the function's own audit config (AUDIT_CONFIG from the template) against
 * the healthy simulator with the keys the default deployment has (the API key secret only, whose
 * version date feeds `key-age`, as the Lambda does), and counts what buildMetricData would send.
 */
export async function estimateDeploymentCost(
  inventory: StackInventory,
  sim: Simulator,
): Promise<DeploymentCost> {
  const config = parseAuditConfig(JSON.parse(inventory.auditConfigJson), 'the stack AUDIT_CONFIG');
  const { result } = await timeAudit({ baseUrl: sim.baseUrl, apiKey: sim.apiKey }, config, {
    keyCreatedAt: { date: new Date(Date.now() - 30 * 86_400_000), source: 'the API key secret' },
  });
  assertHealthy(result, 'cost model audit');
  const published = (metricSet: typeof inventory.metricSet) => {
    const inputs = buildMetricData(result, {
      namespace: inventory.metricNamespace,
      timestamp: new Date(result.startedAt),
      probeModels: config.models,
      metricSet,
    });
    const names = new Set<string>();
    for (const input of inputs) {
      for (const datum of input.MetricData ?? []) {
        const dims = (datum.Dimensions ?? [])
          .map((d) => `${d.Name}=${d.Value}`)
          .sort()
          .join(',');
        names.add(dims === '' ? `${datum.MetricName}` : `${datum.MetricName}{${dims}}`);
      }
    }
    return { inputs, names };
  };
  const { inputs, names } = published(inventory.metricSet);
  const usage: DeploymentUsage = {
    schedulePeriodMinutes: inventory.schedulePeriodMinutes,
    customMetrics: names.size,
    putMetricDataCallsPerRun: inputs.length,
    alarmMetrics: inventory.alarmMetrics,
    dashboards: inventory.dashboards,
    lambdaMemoryMb: inventory.lambdaMemoryMb,
    // An upper bound: every run billed for the whole timeout.
    lambdaSecondsPerRun: inventory.lambdaTimeoutSeconds,
    secrets: inventory.secretsRead,
    // The secret cache (5 minutes) is shorter than any schedule period: every run reads each secret.
    secretReadsPerRun: inventory.secretsRead,
    // Worst case: an alert to every subscription on every run (a flapping check).
    alertEmailsPerMonth: inventory.emailSubscriptions * invocationsPerMonth(inventory.schedulePeriodMinutes),
  };
  const estimate = estimateMonthlyCost(usage);
  return {
    inventory,
    models: config.models,
    metricNames: [...names].sort(),
    putMetricDataCallsPerRun: inputs.length,
    estimate,
    options: optionCosts(usage, { fullMetricSetMetrics: published('full').names.size }),
  };
}
