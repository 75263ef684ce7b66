import { describe, expect, it } from 'vitest';
import { DAY_MS, daysFromNow, keyBody, listedKey, NOW, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
const HALF = 0.5;

/** The API key, created `ageDays` ago according to the account's key list. */
const createdDaysAgo = (ageDays: number, extra: Record<string, unknown> = {}) => ({
  key: keyBody(),
  keys: [listedKey({ created_at: daysFromNow(-ageDays), ...extra })],
});

const expectedAge = (iso: string) => Math.round(((NOW.getTime() - Date.parse(iso)) / DAY_MS) * 10) / 10;

describe('key-age: rotation age (maxKeyAgeDays 90, keyAgeWarnDays 75)', () => {
  it.each([
    { age: 75 - HALF, expected: 'pass' },
    { age: 75, expected: 'pass' },
    { age: 75 + HALF, expected: 'warn' },
    { age: 90 - HALF, expected: 'warn' },
    { age: 90, expected: 'warn' },
    { age: 90 + HALF, expected: 'fail' },
  ])('a key $age days old → $expected', async ({ age, expected }) => {
    const account = createdDaysAgo(age);
    const check = await runCheck('key-age', account);
    expect(check.status, check.summary).toBe(expected);
    const createdAt = String(account.keys[0]?.created_at);
    expect(check.values).toMatchObject({
      keyAgeDays: expectedAge(createdAt),
      createdAt,
      createdAtSource: 'the account key list',
      daysToExpiry: null,
    });
    const days = Math.floor(age);
    const text = {
      pass: `is ${days} days old (from the account key list); no expiry set`,
      warn: `is ${days} days old; rotation is due by day 90`,
      fail: `is ${days} days old, over the 90-day rotation limit`,
    }[expected];
    expect(check.summary).toContain(text);
  });

  it.each([
    { age: 30, warn: 30, max: 31, expected: 'pass' },
    { age: 31, warn: 30, max: 31, expected: 'warn' },
    { age: 30, warn: 29, max: 30, expected: 'warn' },
  ])(
    'configured limits: $age days with warn $warn / max $max → $expected',
    async ({ age, warn, max, expected }) => {
      const check = await runCheck('key-age', {
        ...createdDaysAgo(age),
        config: { keyAgeWarnDays: warn, maxKeyAgeDays: max },
      });
      expect(check.status, check.summary).toBe(expected);
    },
  );
});

describe('key-age: expiry (keyExpiryWarnDays 14)', () => {
  it.each([
    { left: -HALF, expected: 'fail' },
    { left: 0, expected: 'fail' },
    { left: HALF, expected: 'warn' },
    { left: 14 - HALF, expected: 'warn' },
    { left: 14, expected: 'warn' },
    { left: 14 + HALF, expected: 'pass' },
  ])('expires in $left days → $expected', async ({ left, expected }) => {
    const expiresAt = daysFromNow(left);
    const check = await runCheck('key-age', createdDaysAgo(10, { expires_at: expiresAt }));
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({
      expiresAt,
      daysToExpiry: Math.round(((Date.parse(expiresAt) - NOW.getTime()) / DAY_MS) * 10) / 10,
    });
    const text = {
      fail: `expired on ${expiresAt}`,
      warn: `expires in ${Math.ceil(left)} days (${expiresAt})`,
      pass: `expires in ${Math.ceil(left)} days`,
    }[expected];
    expect(check.summary).toContain(text);
    if (expected === 'pass') expect(check.remedy).toBeUndefined();
    else expect(check.remedy).toMatch(/^Rotate the key/);
  });

  it.each([
    { window: 20, left: 20, expected: 'warn' },
    { window: 20, left: 20 + HALF, expected: 'pass' },
    { window: 0, left: HALF, expected: 'pass' },
  ])('a $window-day window with $left days left → $expected', async ({ window, left, expected }) => {
    const check = await runCheck('key-age', {
      ...createdDaysAgo(10, { expires_at: daysFromNow(left) }),
      config: { keyExpiryWarnDays: window },
    });
    expect(check.status, check.summary).toBe(expected);
  });

  it("the list's expiry is read when GET /key has none", async () => {
    const check = await runCheck('key-age', {
      key: keyBody({ expires_at: null }),
      keys: [listedKey({ created_at: daysFromNow(-10), expires_at: daysFromNow(3) })],
    });
    expect(check).toMatchObject({ status: 'warn', values: { daysToExpiry: 3 } });
  });

  it("GET /key's expiry counts when the list has none", async () => {
    const check = await runCheck('key-age', {
      key: keyBody({ expires_at: daysFromNow(3) }),
      keys: [listedKey({ created_at: daysFromNow(-10), expires_at: null })],
    });
    expect(check).toMatchObject({ status: 'warn', values: { daysToExpiry: 3 } });
  });

  it('an expired key fails even when young; an old key fails even when expiring later', async () => {
    const expired = await runCheck('key-age', createdDaysAgo(1, { expires_at: daysFromNow(-1) }));
    expect(expired.summary).toMatch(/expired on/);
    const old = await runCheck('key-age', createdDaysAgo(100, { expires_at: daysFromNow(5) }));
    expect(old).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/100 days old, over the 90-day/),
    });
  });
});

describe('key-age: where the creation date comes from', () => {
  it('without a management key, the date the caller supplies', async () => {
    const date = new Date(NOW.getTime() - 80 * DAY_MS);
    const check = await runCheck('key-age', {
      key: keyBody(),
      withoutManagementKey: true,
      deps: { keyCreatedAt: { date, source: 'the secret version' } },
    });
    expect(check).toMatchObject({
      status: 'warn',
      values: { keyAgeDays: 80, createdAtSource: 'the secret version', createdAt: date.toISOString() },
    });
  });

  it('without any date it skips, and still names the expiry', async () => {
    const check = await runCheck('key-age', {
      key: keyBody({ expires_at: daysFromNow(20 - HALF) }),
      withoutManagementKey: true,
    });
    expect(check).toMatchObject({ status: 'skip', values: { keyAgeDays: null, daysToExpiry: 19.5 } });
    expect(check.summary).toBe(
      'Key age unknown: no management key to read the creation date, and none supplied; expires in 20 days',
    );
  });

  it('a key missing from the list is said so', async () => {
    const check = await runCheck('key-age', {
      key: keyBody(),
      keys: [listedKey({ label: 'sk-or-v1-zzz...zzz' })],
    });
    expect(check.status).toBe('skip');
    expect(check.summary).toMatch(/was not found in the account's key list/);
  });
});
