import { describe, expect, it } from 'vitest';
import { parseAuditConfig } from '../../lambda/engine/config';
import { silentLogger } from '../../lambda/engine/logger';
import { runAudit } from '../../lambda/engine/run-audit';
import { createOpenRouterClient } from '../../lambda/openrouter/client';
import { SCENARIO_SPECS } from '../../simulator/scenarios';
import { startSimulator } from '../../simulator/server';
import { at, call } from './support';

/**
 * Instants where period-based figures used to go wrong: just after the week starts, just before
 * it ends, the 1st of a month that falls mid-week, and a Tuesday noon. The healthy account must
 * give the same verdict at each (issue 15: CI failed every Monday morning).
 */
const INSTANTS = [
  '2026-11-30T00:10:00.000Z', // Monday, 10 minutes into the week
  '2026-11-30T00:00:00.000Z', // Monday, the first instant of the week
  '2026-12-01T12:00:00.000Z', // Tuesday noon and the 1st of a month (the week began last month)
  '2026-12-01T00:00:30.000Z', // the 1st, 30 seconds in
  '2026-12-06T23:59:00.000Z', // Sunday, a minute before the week ends
  '2026-11-01T00:05:00.000Z', // Sunday the 1st: the month is minutes old, the week six days
  '2027-01-01T00:00:00.000Z', // new year: day, month and year start together (a Friday)
];

const HEALTHY_RATE = SCENARIO_SPECS.healthy.apiKey.dailySpend;

describe.each(INSTANTS)('the healthy simulator at %s', (instant) => {
  const now = () => new Date(instant);

  it('passes every check, with the simulate config the CLI uses', async () => {
    const sim = await startSimulator({ now });
    try {
      const api = createOpenRouterClient({
        baseUrl: sim.baseUrl,
        apiKey: sim.apiKey,
        managementKey: sim.managementKey,
      });
      const result = await runAudit(
        parseAuditConfig({ dailyBudgetUsd: 50 }),
        { api, now, logger: silentLogger },
        { timeoutMs: 10_000 },
      );
      const notPassing = result.checks.filter((c) => c.status !== 'pass');
      expect(notPassing.map((c) => `${c.id}: ${c.status} ${c.summary}`)).toEqual([]);
      expect(result.ok).toBe(true);
    } finally {
      await sim.close();
    }
  });

  it('reports usage that follows the clock: today ≤ this week, today ≤ this month, each the rate over its elapsed part', async () => {
    const sim = await startSimulator({ now });
    try {
      const data = at((await call(sim, '/key', { key: sim.apiKey })).json(), 'data');
      const t = new Date(instant);
      const midnight = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
      const dayMs = 86_400_000;
      const mondayStart = midnight - ((t.getUTCDay() + 6) % 7) * dayMs;
      const monthStart = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1);
      // The healthy key is 30 days old, so it spent over the whole elapsed part of a week, and of a
      // month unless the month began over 30 days ago (never: a month is at most 31 days and the
      // 31st at 00:10 is 30 days and 10 minutes in; clamp as the account does).
      const createdAt = t.getTime() - 30 * dayMs;
      const spentSince = (start: number) =>
        (HEALTHY_RATE * (t.getTime() - Math.max(start, createdAt))) / dayMs;
      expect(at(data, 'usage_daily')).toBeCloseTo(spentSince(midnight), 5);
      expect(at(data, 'usage_weekly')).toBeCloseTo(spentSince(mondayStart), 5);
      expect(at(data, 'usage_monthly')).toBeCloseTo(Math.min(20, spentSince(monthStart)), 5);
      expect(Number(at(data, 'usage_daily'))).toBeLessThanOrEqual(Number(at(data, 'usage_weekly')));
      expect(Number(at(data, 'usage_daily'))).toBeLessThanOrEqual(Number(at(data, 'usage_monthly')));
    } finally {
      await sim.close();
    }
  });
});
