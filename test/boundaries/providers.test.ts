import { afterEach, describe, expect, it } from 'vitest';
import { auditSimulator, checkOf, useSimulator } from '../support/audit-harness';
import { MODEL } from './support';

/**
 * providers at its thresholds: the endpoints of the primary model are injected verbatim, so the
 * uptime compared with minUptimePercent (a 0–100 percentage, openrouter-api-more.md §5), the
 * statuses and the providers counted are exactly the ones chosen here.
 */
const sim = useSimulator();
afterEach(() => sim.current.clearFaults());
/** A step that is exact in binary floating point. */
const STEP = 2 ** -7;

interface EndpointFigures {
  readonly provider: string;
  readonly uptime?: number | null;
  readonly status?: number | null;
  readonly p50?: number;
}

const endpoint = ({ provider, uptime = 99.5, status = 0, p50 = 400 }: EndpointFigures) => ({
  provider_name: provider,
  tag: provider.toLowerCase(),
  status,
  uptime_last_30m: uptime,
  latency_last_30m: { p50 },
});

async function providers(endpoints: readonly EndpointFigures[], config: Record<string, unknown> = {}) {
  sim.current.setScenario('healthy');
  sim.current.injectFault('endpoints', {
    kind: 'json',
    body: { data: { id: MODEL, endpoints: endpoints.map(endpoint) } },
  });
  return checkOf(
    await auditSimulator(sim.current, { config: { models: [MODEL], probe: false, ...config } }),
    'providers',
  );
}

describe('providers: best uptime against minUptimePercent (95 %)', () => {
  it.each([
    { uptime: 95 - STEP, expected: 'warn' },
    { uptime: 95, expected: 'pass' },
    { uptime: 95 + STEP, expected: 'pass' },
  ])('a best uptime of $uptime % → $expected', async ({ uptime, expected }) => {
    const check = await providers([
      { provider: 'OpenAI', uptime },
      { provider: 'Azure', uptime: 50 },
    ]);
    expect(check.status, check.summary).toBe(expected);
    const shown = Math.round(uptime * 100) / 100;
    expect(check.values).toMatchObject({ bestUptimePercent: shown, minUptimePercent: 95, providersUp: 2 });
    if (expected === 'warn') {
      expect(check.summary).toBe(`${MODEL}: best 30-minute uptime ${shown}% is under 95%`);
    } else {
      expect(check.summary).toBe(`${MODEL}: 2 providers up, best uptime ${shown}%`);
    }
  });

  it('takes the best endpoint, not the worst, and the fastest p50 of the endpoints up', async () => {
    const check = await providers([
      { provider: 'OpenAI', uptime: 90, p50: 300 },
      { provider: 'Azure', uptime: 97.25, p50: 500 },
    ]);
    expect(check.status, check.summary).toBe('pass');
    expect(check.values).toMatchObject({ bestUptimePercent: 97.25, p50LatencyMs: 300 });
  });

  it('a lower minUptimePercent is compared as a percentage too', async () => {
    const check = await providers(
      [
        { provider: 'OpenAI', uptime: 60 },
        { provider: 'Azure', uptime: 10 },
      ],
      { minUptimePercent: 60 },
    );
    expect(check.status, check.summary).toBe('pass');
  });
});

describe('providers: which endpoints are up', () => {
  it('a status of 0 is up; a negative status or 0 % uptime is down; a null uptime is no figure', async () => {
    const check = await providers([
      { provider: 'OpenAI', status: 0, uptime: 99 },
      { provider: 'Azure', status: -1, uptime: 99.75 },
      { provider: 'Together', status: null, uptime: 0 },
      { provider: 'Fireworks', status: null, uptime: null },
    ]);
    expect(check.status, check.summary).toBe('pass');
    // Up: OpenAI and Fireworks; the best uptime is OpenAI's, Azure's being down.
    expect(check.values).toMatchObject({ endpoints: 4, providersUp: 2, bestUptimePercent: 99 });
    expect(check.values.models).toEqual([expect.objectContaining({ endpointsUp: 2, providersUp: 2 })]);
  });

  it('every endpoint down fails, counting them', async () => {
    const check = await providers([
      { provider: 'OpenAI', status: -1 },
      { provider: 'Azure', uptime: 0 },
    ]);
    expect(check).toMatchObject({
      status: 'fail',
      summary: `${MODEL}: every endpoint is down (0 of 2 up)`,
      values: { endpoints: 2, providersUp: 0, bestUptimePercent: null, p50LatencyMs: null },
    });
  });
});

describe('providers: failover for the primary model', () => {
  it('two endpoints of one provider are one provider: no failover (warn)', async () => {
    const check = await providers([
      { provider: 'OpenAI', uptime: 99 },
      { provider: 'OpenAI', uptime: 98 },
    ]);
    expect(check).toMatchObject({
      status: 'warn',
      summary: `${MODEL}: a single provider serves it (2 endpoints up), so there is no provider failover`,
      values: { endpoints: 2, providersUp: 1 },
    });
  });

  it('a second provider that is down leaves a single provider (warn)', async () => {
    const check = await providers([
      { provider: 'OpenAI', uptime: 99 },
      { provider: 'Azure', status: -1 },
    ]);
    expect(check).toMatchObject({
      status: 'warn',
      summary: `${MODEL}: a single provider serves it (1 endpoint up), so there is no provider failover`,
      values: { providersUp: 1 },
    });
  });

  it('one endpoint each from two providers is failover (pass)', async () => {
    const check = await providers([
      { provider: 'OpenAI', uptime: 99 },
      { provider: 'Azure', uptime: 98 },
    ]);
    expect(check).toMatchObject({ status: 'pass', values: { providersUp: 2 } });
  });
});
