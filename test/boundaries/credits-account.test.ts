/**
 * credits with a management key: what the account balance rests on when `/credits` or the key list
 * do not answer as they should.
 */
import { describe, expect, it } from 'vitest';
import type { RouteName } from '../../simulator/types';
import { auditSimulator, checkOf } from '../support/audit-harness';
import { keyBody, listedKey, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();

/** A key without a limit of its own: the account balance is the only figure. */
const noLimitKey = (data: Record<string, unknown> = {}) =>
  keyBody({ limit: null, limit_remaining: null, ...data });

/** runCheck with one route answering an HTTP error status besides the injected account. */
async function withFailing(route: RouteName, status: number, account: Parameters<typeof runCheck>[1]) {
  const s = runCheck.sim.current;
  s.clearFaults();
  if (account?.key !== undefined) s.injectFault('key', { kind: 'json', body: account.key, key: 'api' });
  if (account?.keys !== undefined) s.injectFault('keys', { kind: 'json', body: { data: account.keys } });
  if (account?.credits !== undefined)
    s.injectFault('credits', { kind: 'json', body: { data: account.credits } });
  s.injectFault(route, { kind: 'status', status });
  return checkOf(await auditSimulator(s, { config: { probe: false, ...account?.config } }), 'credits');
}

describe('credits: a /credits answer of zeros', () => {
  it('next to real usage on the key it is ignored, said so, and the key limit stands alone', async () => {
    const check = await runCheck('credits', {
      key: keyBody({ limit: 100, limit_remaining: 40, usage: 60 }),
      keys: [listedKey()],
      credits: { total_credits: 0, total_usage: 0 },
      config: { minCreditsUsd: 10 },
    });
    expect(check).toMatchObject({
      status: 'pass',
      summary: '$40.00 left (key limit remaining) (ignored /credits: it reported zeros next to real usage)',
      values: { accountBalanceUsd: null, creditsRemainingUsd: 40 },
    });
  });

  it('on an account that never spent anything it is an empty account: a fail', async () => {
    const check = await runCheck('credits', {
      key: keyBody({ limit: 100, limit_remaining: 100, usage: 0 }),
      keys: [listedKey()],
      credits: { total_credits: 0, total_usage: 0 },
      config: { minCreditsUsd: 10 },
    });
    expect(check).toMatchObject({
      status: 'fail',
      values: { accountBalanceUsd: 0, creditsRemainingUsd: 0 },
    });
    expect(check.summary).toMatch(/^Credits low: \$0\.00 left \(account balance\)/);
    expect(check.remedy).toMatch(/^Buy credits or turn on auto top-up/);
  });
});

describe('credits: a management key whose answers fail', () => {
  it('an unreadable /credits is an error, never a pass on the key limit alone', async () => {
    const check = await withFailing('credits', 500, {
      key: keyBody({ limit: 100, limit_remaining: 80 }),
      keys: [listedKey()],
      config: { minCreditsUsd: 10 },
    });
    expect(check.status, check.summary).toBe('error');
    expect(check.summary).toMatch(
      /^Could not read the account balance: OpenRouter answered HTTP 500.*; the key limit has \$80\.00 left$/,
    );
    expect(check.values).toMatchObject({ accountBalanceUsd: null, keyLimitRemainingUsd: 80 });
  });

  it("without the key list, the account's daily spend is the API key's own", async () => {
    const balance = 30;
    const daily = 5;
    const check = await withFailing('keys', 500, {
      key: noLimitKey({ usage: 1, usage_daily: daily, usage_weekly: 0 }),
      credits: { total_credits: balance, total_usage: 0 },
      config: { minCreditsUsd: 0, minRunwayDays: 7 },
    });
    expect(check.values).toMatchObject({
      accountBalanceUsd: balance,
      dailySpendUsd: daily,
      runwayDays: balance / daily,
    });
    expect(check.status, check.summary).toBe('warn');
  });
});
