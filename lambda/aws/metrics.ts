import type { CloudWatchClient, MetricDatum, PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import type { Logger } from '../engine/logger';
import type { AuditResult, CheckId, CheckResult, JsonValue } from '../engine/result';
import {
  CHECK_STATUS_VALUE,
  DIMENSION,
  METRICS,
  type MetricSet,
  type MetricSpec,
  metricsOf,
} from './metric-catalog';
import { abortOptions, untilAborted } from './until-aborted';

/**
 * Turns an audit result into CloudWatch PutMetricData input, using only the specs of
 * metric-catalog.ts (the dashboard and alarms read the same table). Pure: the caller sends it.
 * Dimension values are check ids, configured model ids and channel names only: never a key,
 * a key label or anything else taken from an API answer.
 */

/** PutMetricData limits: 1000 datums and 1 MB per call (we stay well under the byte limit). */
export const MAX_DATUMS_PER_CALL = 1000;
/** The bytes of datum JSON (each with its separating comma) one call may carry. */
export const MAX_BYTES_PER_CALL = 900_000;

export interface MetricDataOptions {
  readonly namespace: string;
  /** The timestamp of every datum (the run's time). */
  readonly timestamp: Date;
  /** The configured models: the only values the `Model` dimension may take. */
  readonly probeModels: readonly string[];
  /** Which metrics to publish. @default 'full' (the whole catalog) */
  readonly metricSet?: MetricSet;
}

type DimensionName = (typeof DIMENSION)[keyof typeof DIMENSION];

/** The channels the alerting reports on, as the `Channel` dimension values. */
export type DeliveryChannel = 'sns' | 'slack-webhook';

/** Check values published as a plain metric (no dimension), per check id. */
const VALUE_METRICS: readonly {
  readonly check: CheckId;
  readonly value: string;
  readonly spec: MetricSpec;
}[] = [
  { check: 'credits', value: 'creditsRemainingUsd', spec: METRICS.creditsRemaining },
  { check: 'credits', value: 'runwayDays', spec: METRICS.runwayDays },
  { check: 'credits', value: 'keyLimitRemainingUsd', spec: METRICS.keyLimitRemaining },
  { check: 'key-age', value: 'keyAgeDays', spec: METRICS.keyAgeDays },
  { check: 'key-age', value: 'daysToExpiry', spec: METRICS.daysToKeyExpiry },
  { check: 'spend', value: 'spendTodayUsd', spec: METRICS.spendToday },
  { check: 'models', value: 'modelsUnavailable', spec: METRICS.modelsUnavailable },
  { check: 'keys', value: 'keysWithoutLimit', spec: METRICS.keysWithoutLimit },
  { check: 'providers', value: 'bestUptimePercent', spec: METRICS.bestUptimePercent },
  { check: 'spend-trend', value: 'spikeFactor', spec: METRICS.spendSpikeFactor },
];

/** Every datum of one run's result (not AlertDeliveryFailures, which is known only after alerting). */
export function buildResultDatums(
  result: AuditResult,
  options: Omit<MetricDataOptions, 'namespace'>,
): MetricDatum[] {
  const at = options.timestamp;
  const datums: MetricDatum[] = [];
  const published = new Set(metricsOf(options.metricSet ?? 'full').map((spec) => spec.name));
  const add = (spec: MetricSpec, value: number, dimensions?: Parameters<typeof datum>[3]): void => {
    if (published.has(spec.name)) datums.push(datum(spec, value, at, dimensions));
  };
  const byId = new Map<CheckId, CheckResult>(result.checks.map((c) => [c.id, c]));

  for (const check of result.checks) {
    if (check.status === 'skip') continue;
    add(METRICS.checkStatus, CHECK_STATUS_VALUE[check.status], { [DIMENSION.check]: check.id });
  }
  for (const { check, value, spec } of VALUE_METRICS) {
    const number = finite(byId.get(check)?.values[value]);
    if (number !== undefined) add(spec, number);
  }

  const allowedModels = new Set(options.probeModels);
  const seen = new Set<string>();
  for (const probe of probesOf(byId.get('test-request'))) {
    // Only configured model ids become dimension values, once each: low cardinality by construction.
    if (!allowedModels.has(probe.model) || seen.has(probe.model)) continue;
    seen.add(probe.model);
    const dims = { [DIMENSION.model]: probe.model };
    // The latency of a failed request measures the failure (often the timeout), not the model.
    if (probe.ok && probe.latencyMs !== undefined) add(METRICS.probeLatency, probe.latencyMs, dims);
    if (probe.costUsd !== undefined) add(METRICS.probeCost, probe.costUsd, dims);
  }

  const duration = finite(result.durationMs);
  if (duration !== undefined) add(METRICS.auditDuration, duration);
  add(METRICS.auditCompleted, 1);
  return datums;
}

/** `AlertDeliveryFailures` datums, one per channel that failed (none when every channel delivered). */
export function buildAlertFailureDatums(
  failures: Readonly<Partial<Record<DeliveryChannel, number>>>,
  timestamp: Date,
): MetricDatum[] {
  const datums: MetricDatum[] = [];
  for (const channel of ['sns', 'slack-webhook'] as const) {
    const count = failures[channel] ?? 0;
    if (count > 0) {
      datums.push(datum(METRICS.alertDeliveryFailures, count, timestamp, { [DIMENSION.channel]: channel }));
    }
  }
  return datums;
}

/** The PutMetricData inputs for a run's result: one call in practice, chunked if ever over the limits. */
export function buildMetricData(
  result: AuditResult,
  options: MetricDataOptions,
): PutMetricDataCommandInput[] {
  return toPutMetricDataInputs(options.namespace, buildResultDatums(result, options));
}

/** Splits datums into PutMetricData inputs within the per-call limits. */
export function toPutMetricDataInputs(
  namespace: string,
  datums: readonly MetricDatum[],
): PutMetricDataCommandInput[] {
  const inputs: PutMetricDataCommandInput[] = [];
  let batch: MetricDatum[] = [];
  let bytes = 0;
  for (const d of datums) {
    const size = JSON.stringify(d).length + 1;
    if (batch.length > 0 && (batch.length >= MAX_DATUMS_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
      inputs.push({ Namespace: namespace, MetricData: batch });
      batch = [];
      bytes = 0;
    }
    batch.push(d);
    bytes += size;
  }
  if (batch.length > 0) inputs.push({ Namespace: namespace, MetricData: batch });
  return inputs;
}

function datum(
  spec: MetricSpec,
  value: number,
  timestamp: Date,
  dimensions: Readonly<Partial<Record<DimensionName, string>>> = {},
): MetricDatum {
  // Every datum carries exactly the spec's dimensions, in the spec's order, so a dashboard or alarm
  // built from the same spec matches it; a missing one is a bug in this file.
  const dims = spec.dimensions.map((name) => {
    const dimensionValue = dimensions[name];
    if (dimensionValue === undefined) throw new Error(`metric ${spec.name} needs dimension ${name}`);
    return { Name: name, Value: dimensionValue };
  });
  return {
    MetricName: spec.name,
    Unit: spec.unit,
    Value: value,
    Timestamp: timestamp,
    ...(dims.length > 0 ? { Dimensions: dims } : {}),
  };
}

// Number.isFinite does not coerce: it is true for a finite number only, never for '4.25' or null.
const isFiniteNumber = (value: unknown): value is number => Number.isFinite(value);

function finite(value: JsonValue | undefined): number | undefined {
  return isFiniteNumber(value) ? value : undefined;
}

interface ProbeValues {
  readonly model: string;
  readonly ok: boolean;
  readonly latencyMs: number | undefined;
  readonly costUsd: number | undefined;
}

/** Reads `values.probes` defensively: a malformed entry is skipped, never published. */
function* probesOf(check: CheckResult | undefined): Generator<ProbeValues> {
  const probes = check?.values.probes;
  if (!Array.isArray(probes)) return;
  // Array.isArray narrows to any[]; pin the element type back to JsonValue.
  const entries: readonly JsonValue[] = probes;
  for (const entry of entries) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
    const fields = new Map<string, JsonValue>(Object.entries(entry));
    const model = fields.get('model');
    if (typeof model !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(model)) continue;
    yield {
      model,
      ok: fields.get('ok') === true,
      latencyMs: finite(fields.get('latencyMs')),
      costUsd: finite(fields.get('costUsd')),
    };
  }
}

// ---------------------------------------------------------------------------------------------

/** A PutMetricData call failed. `sdkErrorName` is the SDK error's name; its message is not kept. */
export class MetricsPublishError extends Error {
  readonly code = 'METRICS_PUBLISH_FAILED';
  override readonly name = 'MetricsPublishError';
  constructor(
    readonly sdkErrorName: string,
    /** Datums CloudWatch accepted before the failure. */
    readonly datumsPublished: number,
  ) {
    super(`CloudWatch PutMetricData failed (${sdkErrorName})`);
  }
}

export interface PublishOptions {
  readonly signal?: AbortSignal;
  /** Told about each datum dropped for a value CloudWatch would refuse. */
  readonly logger?: Pick<Logger, 'warn'>;
}

/**
 * The magnitudes CloudWatch accepts in `Value` besides 0: 2^-360 to 2^359 in the older wording of
 * the MetricDatum reference (8.515920e-109 to 1.174271e+108); the current one says ±2^360. The
 * narrower reading is kept. One value outside it fails the whole PutMetricData call
 * (InvalidParameterValue), heartbeat included, so such a datum is dropped instead.
 */
export const CLOUDWATCH_MIN_MAGNITUDE = 8.51592e-109;
export const CLOUDWATCH_MAX_MAGNITUDE = 1.174271e108;

/** Whether CloudWatch accepts `value` as a datum's Value. */
export function isAcceptedMetricValue(value: number): boolean {
  // NaN fails every comparison and ±Infinity exceeds the maximum: neither needs its own test.
  const magnitude = Math.abs(value);
  return magnitude === 0 || (magnitude >= CLOUDWATCH_MIN_MAGNITUDE && magnitude <= CLOUDWATCH_MAX_MAGNITUDE);
}

/** The datums CloudWatch would accept, and those it would refuse (they would fail the whole call). */
export function splitByAcceptedValue(datums: readonly MetricDatum[]): {
  readonly accepted: MetricDatum[];
  readonly refused: MetricDatum[];
} {
  const accepted: MetricDatum[] = [];
  const refused: MetricDatum[] = [];
  for (const d of datums) {
    if (d.Value === undefined || isAcceptedMetricValue(d.Value)) accepted.push(d);
    else refused.push(d);
  }
  return { accepted, refused };
}

/** Sends the inputs in order; resolves with the number of datums sent, rejects only with MetricsPublishError. */
export async function publishMetrics(
  client: CloudWatchClient,
  inputs: readonly PutMetricDataCommandInput[],
  options: PublishOptions = {},
): Promise<number> {
  let published = 0;
  for (const whole of inputs) {
    const { accepted, refused } = splitByAcceptedValue(whole.MetricData ?? []);
    for (const d of refused) {
      options.logger?.warn('metric value outside the range CloudWatch accepts; datum dropped', {
        metric: d.MetricName ?? '',
        dimensions: Object.fromEntries((d.Dimensions ?? []).map((dim) => [dim.Name ?? '', dim.Value ?? ''])),
        value: String(d.Value),
      });
    }
    if (accepted.length === 0) continue;
    const input: PutMetricDataCommandInput = { ...whole, MetricData: accepted };
    try {
      // Imported here, not at the top: the SDK package then loads while the Lambda audits, not at its
      // cold start (lambda/handler.ts). A failed load fails this call like a failed request.
      const { PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
      await untilAborted(
        client.send(new PutMetricDataCommand(input), abortOptions(options.signal)),
        options.signal,
      );
    } catch (error) {
      const name =
        error instanceof Error && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(error.name)
          ? error.name
          : 'UnknownError';
      throw new MetricsPublishError(name, published);
    }
    published += accepted.length;
  }
  return published;
}
