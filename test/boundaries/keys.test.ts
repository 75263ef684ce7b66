import { describe, expect, it } from 'vitest';
import { daysFromNow, listedKey, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
const HALF = 0.5;
const STEP = 2 ** -7;

const reviewOne = async (key: Record<string, unknown>, config = {}) =>
  runCheck('keys', { keys: [listedKey({ name: 'prod', ...key })], config });

describe('keys: near the limit (over 90% used)', () => {
  // (10 − 1) / 10 is exactly the double nearest 0.9, the same as the constant.
  it.each([
    { remaining: 1 + STEP, expected: 'pass' },
    { remaining: 1, expected: 'pass' },
    { remaining: 1 - STEP, expected: 'warn' },
  ])('$remaining left of 10 → $expected', async ({ remaining, expected }) => {
    const check = await reviewOne({ limit: 10, limit_remaining: remaining });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({ keysNearLimit: expected === 'warn' ? 1 : 0 });
    if (expected === 'warn') {
      expect(check.summary).toBe(
        '1 key over 90% of their limit of 1 key in 1 workspace (e.g. prod: near-limit)',
      );
    }
  });

  it('a zero limit is no ratio (not near a limit, not dividing by zero)', async () => {
    const check = await reviewOne({ limit: 0, limit_remaining: 0 });
    expect(check).toMatchObject({ status: 'pass', values: { keysNearLimit: 0, keysWithoutLimit: 0 } });
  });
});

describe('keys: age (maxKeyAgeDays 90)', () => {
  it.each([
    { age: 90 - HALF, expected: 'pass' },
    { age: 90, expected: 'pass' },
    { age: 90 + HALF, expected: 'fail' },
  ])('a key $age days old → $expected', async ({ age, expected }) => {
    const check = await reviewOne({ created_at: daysFromNow(-age) });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({ keysPastMaxAge: expected === 'fail' ? 1 : 0 });
    if (expected === 'fail') {
      expect(check.summary).toBe('1 key older than 90 days of 1 key in 1 workspace (e.g. prod: too-old)');
    }
  });
});

describe('keys: expiry (keyExpiryWarnDays 14)', () => {
  it.each([
    { left: -HALF, expected: 'fail', problem: 'expired' },
    { left: 0, expected: 'fail', problem: 'expired' },
    { left: HALF, expected: 'warn', problem: 'expiring' },
    { left: 14, expected: 'warn', problem: 'expiring' },
    { left: 14 + HALF, expected: 'pass', problem: null },
  ])('expires in $left days → $expected', async ({ left, expected, problem }) => {
    const check = await reviewOne({ expires_at: daysFromNow(left) });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({
      keysExpired: problem === 'expired' ? 1 : 0,
      keysExpiringSoon: problem === 'expiring' ? 1 : 0,
      findings: problem ? [{ name: 'prod', problems: [problem] }] : [],
    });
    if (problem === 'expiring') {
      expect(check.summary).toBe(
        '1 key expiring within 14 days of 1 key in 1 workspace (e.g. prod: expiring)',
      );
    }
  });

  it('a window equal to the days left warns', async () => {
    const check = await reviewOne({ expires_at: daysFromNow(20) }, { keyExpiryWarnDays: 20 });
    expect(check.status).toBe('warn');
  });
});

describe('keys: limits and disabled keys', () => {
  it.each([
    { requireKeyLimit: true, expected: 'fail' },
    { requireKeyLimit: false, expected: 'warn' },
  ])(
    'a key without a limit with requireKeyLimit $requireKeyLimit → $expected',
    async ({ requireKeyLimit, expected }) => {
      const check = await reviewOne({ limit: null, limit_remaining: null }, { requireKeyLimit });
      expect(check).toMatchObject({
        status: expected,
        summary: '1 key without a limit of 1 key in 1 workspace (e.g. prod: no-limit)',
        values: { keysWithoutLimit: 1 },
      });
      expect(check.remedy).toMatch(/^Give every key a limit/);
    },
  );

  it('a disabled key is only "to delete", whatever else it is', async () => {
    const check = await reviewOne({ disabled: true, limit: null, created_at: daysFromNow(-500) });
    expect(check).toMatchObject({
      status: 'warn',
      summary: '1 disabled key to delete of 1 key in 1 workspace',
      values: {
        totalKeys: 1,
        enabledKeys: 0,
        keysDisabled: 1,
        keysWithoutLimit: 0,
        keysPastMaxAge: 0,
        findings: [{ name: 'prod', problems: ['disabled'] }],
      },
    });
  });

  it('counts every key and lists failures before warnings', async () => {
    const check = await runCheck('keys', {
      keys: [
        listedKey({ name: 'a', limit: null, limit_remaining: null }),
        listedKey({ name: 'b', limit: null, limit_remaining: null }),
        listedKey({ name: 'c', expires_at: daysFromNow(1) }),
        listedKey({ name: 'd' }),
      ],
    });
    expect(check.status).toBe('fail');
    expect(check.summary).toBe(
      '2 keys without a limit, 1 key expiring within 14 days of 4 keys in 1 workspace (e.g. a: no-limit; b: no-limit; c: expiring)',
    );
    expect(check.values).toMatchObject({
      totalKeys: 4,
      enabledKeys: 4,
      keysWithoutLimit: 2,
      keysExpiringSoon: 1,
    });
  });

  it('a clean account passes and says how many keys', async () => {
    const check = await runCheck('keys', { keys: [listedKey(), listedKey()] });
    expect(check).toMatchObject({
      status: 'pass',
      summary: 'All 2 enabled keys have a limit, are recent and not expiring (2 keys in 1 workspace)',
    });
    expect(check.remedy).toBeUndefined();
  });

  it('skips without a management key', async () => {
    const check = await runCheck('keys', { withoutManagementKey: true });
    expect(check.status).toBe('skip');
  });
});
