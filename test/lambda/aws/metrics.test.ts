import {
  CloudWatchClient,
  CloudWatchServiceException,
  type MetricDatum,
  PutMetricDataCommand,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
// Types only: the matchers are registered below.
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { METRICS } from '../../../lambda/aws/metric-catalog';
import {
  buildAlertFailureDatums,
  buildMetricData,
  isAcceptedMetricValue,
  MAX_BYTES_PER_CALL,
  MAX_DATUMS_PER_CALL,
  MetricsPublishError,
  publishMetrics,
  toPutMetricDataInputs,
} from '../../../lambda/aws/metrics';
import type { AuditResult, CheckResult } from '../../../lambda/engine/result';

expect.extend(allCustomMatcher);

const CANARY_KEY = `sk-or-v1-${'ab'.repeat(32)}`;
const LABEL = 'sk-or-v1-aba...bab';
const AT = new Date('2026-11-25T12:00:00.000Z');
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'];

const check = (partial: Pick<CheckResult, 'id' | 'status'> & Partial<CheckResult>): CheckResult => ({
  summary: `${partial.id} summary`,
  values: {},
  durationMs: 10,
  ...partial,
});

/** A result carrying every value the metrics read, plus things that must never be published. */
function fullResult(): AuditResult {
  return {
    ok: false,
    startedAt: AT.toISOString(),
    durationMs: 1834,
    checks: [
      check({
        id: 'auth',
        status: 'pass',
        values: { label: LABEL, isFreeTier: false, isManagementKey: false },
      }),
      check({
        id: 'key-limit',
        status: 'warn',
        values: { limitUsd: 50, limitRemainingUsd: 12.5, limitReset: null },
      }),
      check({
        id: 'credits',
        status: 'fail',
        values: {
          creditsRemainingUsd: 4.25,
          runwayDays: 1.5,
          keyLimitRemainingUsd: 12.5,
          accountBalanceUsd: 4.25,
        },
      }),
      check({
        id: 'key-age',
        status: 'pass',
        values: {
          keyAgeDays: 12.3,
          daysToExpiry: -2,
          createdAt: '2026-11-13T05:00:00.000Z',
          createdAtSource: 'x',
        },
      }),
      check({
        id: 'models',
        status: 'error',
        values: { configured: MODELS, missing: [], modelsUnavailable: 1, modelsListed: 300 },
      }),
      check({
        id: 'test-request',
        status: 'pass',
        values: {
          probes: [
            {
              model: MODELS[0] ?? '',
              role: 'primary',
              ok: true,
              latencyMs: 420,
              costUsd: 0.00002,
              servedModel: 'x',
              error: null,
            },
            {
              model: MODELS[1] ?? '',
              role: 'fallback',
              ok: false,
              latencyMs: 10000,
              costUsd: null,
              servedModel: null,
              error: 'HTTP 503',
            },
            // Not a configured model (e.g. what the API said it served): never a dimension value.
            {
              model: LABEL,
              role: 'fallback',
              ok: true,
              latencyMs: 1,
              costUsd: 1,
              servedModel: null,
              error: null,
            },
            {
              model: CANARY_KEY,
              role: 'fallback',
              ok: true,
              latencyMs: 1,
              costUsd: 1,
              servedModel: null,
              error: null,
            },
          ],
          probesFailed: 1,
        },
      }),
      check({ id: 'spend', status: 'skip', values: {} }),
      check({
        id: 'keys',
        status: 'warn',
        values: {
          keysWithoutLimit: 2,
          findings: [{ label: LABEL, name: CANARY_KEY, problems: ['no limit'] }],
        },
      }),
    ],
  };
}

const plain = (name: string, unit: StandardUnit, value: number): MetricDatum => ({
  MetricName: name,
  Unit: unit,
  Value: value,
  Timestamp: AT,
});
const withDim = (
  name: string,
  unit: StandardUnit,
  value: number,
  dim: string,
  dimValue: string,
): MetricDatum => ({
  ...plain(name, unit, value),
  Dimensions: [{ Name: dim, Value: dimValue }],
});

describe('buildMetricData', () => {
  it('builds the exact PutMetricData payload of a run from the catalog', () => {
    const inputs = buildMetricData(fullResult(), {
      namespace: 'OpenRouter/Audit',
      timestamp: AT,
      probeModels: MODELS,
    });
    expect(inputs).toEqual([
      {
        Namespace: 'OpenRouter/Audit',
        MetricData: [
          withDim('CheckStatus', 'None', 0, 'Check', 'auth'),
          withDim('CheckStatus', 'None', 1, 'Check', 'key-limit'),
          withDim('CheckStatus', 'None', 2, 'Check', 'credits'),
          withDim('CheckStatus', 'None', 0, 'Check', 'key-age'),
          withDim('CheckStatus', 'None', 3, 'Check', 'models'),
          withDim('CheckStatus', 'None', 0, 'Check', 'test-request'),
          // spend is skipped: no CheckStatus.
          withDim('CheckStatus', 'None', 1, 'Check', 'keys'),
          plain('CreditsRemaining', 'None', 4.25),
          plain('RunwayDays', 'None', 1.5),
          plain('KeyLimitRemaining', 'None', 12.5),
          plain('KeyAgeDays', 'None', 12.3),
          plain('DaysToKeyExpiry', 'None', -2),
          plain('ModelsUnavailable', 'Count', 1),
          plain('KeysWithoutLimit', 'Count', 2),
          withDim('ProbeLatency', 'Milliseconds', 420, 'Model', 'openai/gpt-4o-mini'),
          withDim('ProbeCost', 'None', 0.00002, 'Model', 'openai/gpt-4o-mini'),
          // The failed probe publishes no latency (it measured the failure) and had no cost.
          plain('AuditDuration', 'Milliseconds', 1834),
          plain('AuditCompleted', 'Count', 1),
        ],
      },
    ]);
  });

  it('publishes only names, units and dimensions from the metric catalog', () => {
    const [input] = buildMetricData(fullResult(), { namespace: 'N', timestamp: AT, probeModels: MODELS });
    const catalog = Object.values(METRICS);
    for (const datum of input?.MetricData ?? []) {
      const spec = catalog.find((s) => s.name === datum.MetricName);
      expect(spec, datum.MetricName).toBeDefined();
      expect(datum.Unit).toBe(spec?.unit);
      expect((datum.Dimensions ?? []).map((d) => d.Name)).toEqual(spec?.dimensions);
    }
  });

  it('never carries a key or a key label, anywhere in the payload', () => {
    const text = JSON.stringify(
      buildMetricData(fullResult(), { namespace: 'N', timestamp: AT, probeModels: MODELS }),
    );
    expect(text).not.toContain(CANARY_KEY);
    expect(text).not.toContain('sk-or-v1');
    expect(text).not.toContain(LABEL);
  });

  it.each([
    ['null', null],
    ['a string', '4.25'],
    ['absent', undefined],
  ])('skips a metric whose value is %s', (_label, value) => {
    const result: AuditResult = {
      ok: true,
      startedAt: AT.toISOString(),
      durationMs: 5,
      checks: [
        check({
          id: 'credits',
          status: 'pass',
          values: value === undefined ? { runwayDays: 3 } : { creditsRemainingUsd: value, runwayDays: 3 },
        }),
      ],
    };
    const names = buildMetricData(result, {
      namespace: 'N',
      timestamp: AT,
      probeModels: [],
    })[0]?.MetricData?.map((d) => d.MetricName);
    expect(names).toEqual(['CheckStatus', 'RunwayDays', 'AuditDuration', 'AuditCompleted']);
  });

  it('skips non-finite numbers, which CloudWatch rejects', () => {
    const result: AuditResult = {
      ok: true,
      startedAt: AT.toISOString(),
      durationMs: Number.NaN,
      checks: [check({ id: 'credits', status: 'pass', values: { runwayDays: Number.POSITIVE_INFINITY } })],
    };
    const names = buildMetricData(result, {
      namespace: 'N',
      timestamp: AT,
      probeModels: [],
    })[0]?.MetricData?.map((d) => d.MetricName);
    expect(names).toEqual(['CheckStatus', 'AuditCompleted']);
  });

  it('ignores malformed probe entries', () => {
    const result: AuditResult = {
      ok: true,
      startedAt: AT.toISOString(),
      durationMs: 5,
      checks: [
        check({
          id: 'test-request',
          status: 'pass',
          values: {
            probes: [null, 'x', { model: 42 }, { model: MODELS[0] ?? '', ok: true, latencyMs: 'fast' }],
          },
        }),
      ],
    };
    const datums = buildMetricData(result, { namespace: 'N', timestamp: AT, probeModels: MODELS })[0]
      ?.MetricData;
    expect(datums?.map((d) => d.MetricName)).toEqual(['CheckStatus', 'AuditDuration', 'AuditCompleted']);
  });

  it('always sends the AuditCompleted heartbeat, even when every check errored', () => {
    const result: AuditResult = {
      ok: false,
      startedAt: AT.toISOString(),
      durationMs: 25_000,
      checks: [check({ id: 'auth', status: 'error' })],
    };
    const datums = buildMetricData(result, { namespace: 'N', timestamp: AT, probeModels: [] })[0]?.MetricData;
    expect(datums).toContainEqual(plain('AuditCompleted', 'Count', 1));
  });

  it('publishes only the heartbeat from a result with the essential metric set', () => {
    const inputs = buildMetricData(fullResult(), {
      namespace: 'N',
      timestamp: AT,
      probeModels: MODELS,
      metricSet: 'essential',
    });
    expect(inputs).toEqual([{ Namespace: 'N', MetricData: [plain('AuditCompleted', 'Count', 1)] }]);
  });

  it('never makes a dimension value of a configured model id CloudWatch would refuse', () => {
    // Printable ASCII without spaces, 1 to 255 characters: the longest accepted id is published.
    const longest = `m/${'x'.repeat(253)}`;
    const refused = [`m/${'x'.repeat(254)}`, 'open ai/gpt', 'openai/gpt-4o mini', 'modèle/x'];
    const result: AuditResult = {
      ok: true,
      startedAt: AT.toISOString(),
      durationMs: 5,
      checks: [
        check({
          id: 'test-request',
          status: 'pass',
          values: {
            probes: [...refused, longest].map((model) => ({ model, ok: true, latencyMs: 7 })),
          },
        }),
      ],
    };
    const datums = buildMetricData(result, {
      namespace: 'N',
      timestamp: AT,
      probeModels: [...refused, longest],
    })[0]?.MetricData;
    expect(datums?.filter((d) => d.MetricName === 'ProbeLatency')).toEqual([
      withDim('ProbeLatency', 'Milliseconds', 7, 'Model', longest),
    ]);
  });

  it('fails loudly when the catalog gives a metric a dimension the code does not fill', async () => {
    // A datum without one of its spec's dimensions would match no alarm or dashboard built from the spec.
    vi.resetModules();
    vi.doMock('../../../lambda/aws/metric-catalog', async (importOriginal) => {
      const real = await importOriginal<typeof import('../../../lambda/aws/metric-catalog')>();
      const auditCompleted = { ...real.METRICS.auditCompleted, dimensions: ['Check'] };
      return { ...real, METRICS: { ...real.METRICS, auditCompleted } };
    });
    try {
      const drifted = await import('../../../lambda/aws/metrics');
      expect(() =>
        drifted.buildMetricData(fullResult(), { namespace: 'N', timestamp: AT, probeModels: MODELS }),
      ).toThrow(new Error('metric AuditCompleted needs dimension Check'));
    } finally {
      vi.doUnmock('../../../lambda/aws/metric-catalog');
      vi.resetModules();
    }
  });
});

describe('buildAlertFailureDatums', () => {
  it('publishes one datum per failed channel and nothing for a channel that delivered', () => {
    expect(buildAlertFailureDatums({ sns: 1, 'slack-webhook': 0 }, AT)).toEqual([
      withDim('AlertDeliveryFailures', 'Count', 1, 'Channel', 'sns'),
    ]);
    expect(buildAlertFailureDatums({ sns: 0 }, AT)).toEqual([]);
    expect(
      buildAlertFailureDatums({ sns: 1, 'slack-webhook': 1 }, AT).map((d) => d.Dimensions?.[0]?.Value),
    ).toEqual(['sns', 'slack-webhook']);
  });
});

describe('toPutMetricDataInputs', () => {
  it('splits into calls of at most 1000 datums', () => {
    const datums = Array.from({ length: 2 * MAX_DATUMS_PER_CALL + 5 }, (_, i) =>
      plain('AuditDuration', 'Milliseconds', i),
    );
    const inputs = toPutMetricDataInputs('N', datums);
    expect(inputs.map((i) => i.MetricData?.length)).toEqual([1000, 1000, 5]);
    expect(inputs.flatMap((i) => i.MetricData)).toEqual(datums);
    expect(inputs.every((i) => i.Namespace === 'N')).toBe(true);
  });

  it('keeps each call under 1 MB', () => {
    const big = (i: number): MetricDatum =>
      withDim('ProbeCost', 'None', i, 'Model', `m/${'x'.repeat(1000)}${i}`);
    const inputs = toPutMetricDataInputs(
      'N',
      Array.from({ length: 950 }, (_, i) => big(i)),
    );
    expect(inputs.length).toBeGreaterThan(1);
    for (const input of inputs) expect(JSON.stringify(input).length).toBeLessThan(1_000_000);
  });

  it('returns no call for no datums', () => {
    expect(toPutMetricDataInputs('N', [])).toEqual([]);
  });

  describe('at the byte budget', () => {
    // What a datum costs against the budget: its JSON and the comma that separates it from the next.
    const cost = (d: MetricDatum): number => JSON.stringify(d).length + 1;
    const sized = (bytes: number, tag: string): MetricDatum => {
      const bare = withDim('ProbeCost', 'None', 1, 'Model', tag);
      return withDim('ProbeCost', 'None', 1, 'Model', tag + 'x'.repeat(bytes - cost(bare)));
    };

    it('builds datums of the exact cost the tests need', () => {
      expect(cost(sized(500_000, 'a'))).toBe(500_000);
    });

    it('keeps two datums costing exactly the budget in one call', () => {
      const datums = [sized(500_000, 'a'), sized(MAX_BYTES_PER_CALL - 500_000, 'b')];
      expect(toPutMetricDataInputs('N', datums)).toEqual([{ Namespace: 'N', MetricData: datums }]);
    });

    it('starts a new call when the next datum would pass the budget by one byte', () => {
      const [a, b] = [sized(500_000, 'a'), sized(MAX_BYTES_PER_CALL - 500_000 + 1, 'b')];
      expect(toPutMetricDataInputs('N', [a, b])).toEqual([
        { Namespace: 'N', MetricData: [a] },
        { Namespace: 'N', MetricData: [b] },
      ]);
    });

    it('sends a datum bigger than the budget alone, with no empty call before it', () => {
      const huge = sized(MAX_BYTES_PER_CALL + 1, 'a');
      const small = plain('AuditCompleted', 'Count', 1);
      expect(toPutMetricDataInputs('N', [huge, small])).toEqual([
        { Namespace: 'N', MetricData: [huge] },
        { Namespace: 'N', MetricData: [small] },
      ]);
    });
  });
});

describe('publishMetrics', () => {
  const cw = mockClient(CloudWatchClient);
  const client = new CloudWatchClient({ region: 'us-east-1' });
  beforeEach(() => cw.reset());

  it('sends each input as one PutMetricData call and returns the datums sent', async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const inputs = buildMetricData(fullResult(), {
      namespace: 'OpenRouter/Audit',
      timestamp: AT,
      probeModels: MODELS,
    });
    const [input] = inputs;
    if (!input) throw new Error('no PutMetricData input built');
    await expect(publishMetrics(client, inputs)).resolves.toBe(18);
    expect(cw).toHaveReceivedCommandExactlyOnceWith(PutMetricDataCommand, { ...input });
  });

  it('wraps an SDK error once, keeping only its name', async () => {
    cw.on(PutMetricDataCommand).rejects(
      new CloudWatchServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: {},
        message: `User is not authorized; canary ${CANARY_KEY}`,
      }),
    );
    const error = await publishMetrics(client, [
      { Namespace: 'N', MetricData: [plain('AuditCompleted', 'Count', 1)] },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricsPublishError);
    expect(error).toMatchObject({
      code: 'METRICS_PUBLISH_FAILED',
      sdkErrorName: 'AccessDenied',
      datumsPublished: 0,
      message: 'CloudWatch PutMetricData failed (AccessDenied)',
    });
    expect(JSON.stringify(error)).not.toContain('canary');
    expect((error as Error).name).toBe('MetricsPublishError');
  });

  it.each([
    ['a name with a space', 'Access Denied'],
    ['a name with markup', 'Denied<b>'],
    ['a name starting with a digit', '9Denied'],
    ['a name of 65 characters', `A${'b'.repeat(64)}`],
  ])('reports an SDK error with %s as UnknownError', async (_case, name) => {
    const failure = new Error('refused');
    failure.name = name;
    cw.on(PutMetricDataCommand).rejects(failure);
    const error = await publishMetrics(client, [
      { Namespace: 'N', MetricData: [plain('AuditCompleted', 'Count', 1)] },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ sdkErrorName: 'UnknownError', datumsPublished: 0 });
  });

  it('keeps an SDK error name of 64 characters', async () => {
    const name = `A${'b'.repeat(61)}.c`;
    const failure = new Error('refused');
    failure.name = name;
    cw.on(PutMetricDataCommand).rejects(failure);
    const error = await publishMetrics(client, [
      { Namespace: 'N', MetricData: [plain('AuditCompleted', 'Count', 1)] },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ sdkErrorName: name });
  });

  it('reports a rejection that is not an Error as UnknownError', async () => {
    cw.on(PutMetricDataCommand).callsFake(() => Promise.reject({ name: 'AccessDenied' }));
    const error = await publishMetrics(client, [
      { Namespace: 'N', MetricData: [plain('AuditCompleted', 'Count', 1)] },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ sdkErrorName: 'UnknownError' });
  });

  it('counts the datums of the calls that succeeded before one failed', async () => {
    cw.on(PutMetricDataCommand)
      .resolvesOnce({})
      .rejectsOnce(new CloudWatchServiceException({ name: 'Throttling', $fault: 'client', $metadata: {} }));
    const error = await publishMetrics(client, [
      { Namespace: 'N', MetricData: [plain('RunwayDays', 'None', 1), plain('AuditCompleted', 'Count', 1)] },
      { Namespace: 'N', MetricData: [plain('AuditDuration', 'Milliseconds', 3)] },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ sdkErrorName: 'Throttling', datumsPublished: 2 });
  });

  it('makes no call for an input without datums', async () => {
    cw.on(PutMetricDataCommand).resolves({});
    await expect(
      publishMetrics(client, [{ Namespace: 'N' }, { Namespace: 'N', MetricData: [] }]),
    ).resolves.toBe(0);
    expect(cw).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('makes no call when every datum of an input is refused, and sends the next input', async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const heartbeat = plain('AuditCompleted', 'Count', 1);
    await expect(
      publishMetrics(client, [
        { Namespace: 'N', MetricData: [plain('ProbeCost', 'None', 1e200)] },
        { Namespace: 'N', MetricData: [heartbeat] },
      ]),
    ).resolves.toBe(1);
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(cw).toHaveReceivedCommandWith(PutMetricDataCommand, { Namespace: 'N', MetricData: [heartbeat] });
  });

  it('drops a refused datum without a logger', async () => {
    cw.on(PutMetricDataCommand).resolves({});
    await expect(
      publishMetrics(client, [
        {
          Namespace: 'N',
          MetricData: [plain('ProbeCost', 'None', 1e200), plain('AuditCompleted', 'Count', 1)],
        },
      ]),
    ).resolves.toBe(1);
  });

  it('sends a datum that carries statistic values instead of a Value', async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const stats: MetricDatum = {
      MetricName: 'ProbeLatency',
      Unit: 'Milliseconds',
      StatisticValues: { SampleCount: 2, Sum: 30, Minimum: 10, Maximum: 20 },
      Timestamp: AT,
    };
    await expect(publishMetrics(client, [{ Namespace: 'N', MetricData: [stats] }])).resolves.toBe(1);
    expect(cw).toHaveReceivedCommandWith(PutMetricDataCommand, { Namespace: 'N', MetricData: [stats] });
  });

  it('logs the dimensions of a dropped datum, and an empty name for a missing one', async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const warnings: unknown[] = [];
    const logger = { warn: (_message: string, fields?: Record<string, unknown>) => warnings.push(fields) };
    await publishMetrics(
      client,
      [
        {
          Namespace: 'N',
          MetricData: [
            withDim('ProbeCost', 'None', 1e200, 'Model', 'openai/gpt-4o-mini'),
            { MetricName: undefined, Value: -1e200, Dimensions: [{ Name: undefined, Value: undefined }] },
          ],
        },
      ],
      { logger },
    );
    expect(warnings).toEqual([
      { metric: 'ProbeCost', dimensions: { Model: 'openai/gpt-4o-mini' }, value: '1e+200' },
      { metric: '', dimensions: { '': '' }, value: '-1e+200' },
    ]);
  });

  it.each([
    ['a finite but huge cost', 1e200],
    ['a huge negative balance', -1e200],
    ['a value too small to store', 1e-200],
    ['a value just past 2^359', 1.2e108],
  ])('drops %s and logs it, and still sends the other datums (the heartbeat too)', async (_case, value) => {
    cw.on(PutMetricDataCommand).callsFake((input: { MetricData?: MetricDatum[] }) => {
      // CloudWatch's own rule: one value out of range rejects the whole call.
      if (
        (input.MetricData ?? []).some(
          (d) =>
            Math.abs(d.Value ?? 0) > 1.174271e108 || (d.Value !== 0 && Math.abs(d.Value ?? 0) < 8.51592e-109),
        )
      )
        throw new CloudWatchServiceException({
          name: 'InvalidParameterValue',
          $fault: 'client',
          $metadata: {},
        });
      return {};
    });
    const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger = {
      warn: (message: string, fields?: Record<string, unknown>) =>
        warnings.push({ message, ...(fields === undefined ? {} : { fields }) }),
    };
    const sent = await publishMetrics(
      client,
      [
        {
          Namespace: 'N',
          MetricData: [
            plain('ProbeCost', 'None', value),
            plain('CreditsRemaining', 'None', 0),
            plain('RunwayDays', 'None', -3.5),
            plain('AuditCompleted', 'Count', 1),
          ],
        },
      ],
      { logger },
    );
    expect(sent).toBe(3);
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    const names = cw
      .commandCalls(PutMetricDataCommand)[0]
      ?.args[0].input.MetricData?.map((d) => d.MetricName);
    expect(names).toEqual(['CreditsRemaining', 'RunwayDays', 'AuditCompleted']);
    expect(warnings).toEqual([
      {
        message: 'metric value outside the range CloudWatch accepts; datum dropped',
        fields: { metric: 'ProbeCost', dimensions: {}, value: String(value) },
      },
    ]);
  });

  it.each([0, 8.51592e-109, -8.51592e-109, 1.174271e108, -1.174271e108, 0.5, 123456])(
    'accepts %s',
    (value) => {
      expect(isAcceptedMetricValue(value)).toBe(true);
    },
  );

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 1e-109, 1e109, -Number.MAX_VALUE])('refuses %s', (value) => {
    expect(isAcceptedMetricValue(value)).toBe(false);
  });
});
