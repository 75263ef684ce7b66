import { describe, expect, it } from 'vitest';
import { keyBody, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
/** A step that is exact in binary floating point. */
const STEP = 2 ** -7;

describe('key-limit at its boundaries', () => {
  it.each([
    { remaining: 0, expected: 'fail' },
    { remaining: -STEP, expected: 'fail' },
    { remaining: STEP, expected: 'pass' },
  ])('limit_remaining $remaining → $expected', async ({ remaining, expected }) => {
    const check = await runCheck('key-limit', { key: keyBody({ limit: 10, limit_remaining: remaining }) });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({ limitUsd: 10, limitRemainingUsd: remaining });
    if (expected === 'fail') {
      expect(check.summary).toMatch(/limit of \$10\.00 is used up/);
      expect(check.remedy).toMatch(/Raise the key's limit/);
    } else {
      expect(check.remedy).toBeUndefined();
    }
  });

  it('a limit with no remaining figure is a limit (pass), not a used-up one', async () => {
    const check = await runCheck('key-limit', { key: keyBody({ limit: 10, limit_remaining: null }) });
    expect(check.status).toBe('pass');
    expect(check.summary).toBe('API key limit $10.00');
  });

  it.each([
    { reset: 'daily', text: 'API key limit $10.00 per day, $2.50 left' },
    { reset: 'weekly', text: 'API key limit $10.00 per week, $2.50 left' },
    { reset: 'monthly', text: 'API key limit $10.00 per month, $2.50 left' },
    // Not one of the documented periods: the figure is unreadable, never guessed at.
    {
      reset: 'hourly',
      text: 'Could not read GET /key: limit_reset is "hourly", expected one of daily, weekly, monthly or null',
    },
    { reset: null, text: 'API key limit $10.00, $2.50 left' },
  ])('names the reset period $reset', async ({ reset, text }) => {
    const check = await runCheck('key-limit', {
      key: keyBody({ limit: 10, limit_remaining: 2.5, limit_reset: reset }),
    });
    expect(check.summary).toBe(text);
  });

  it('a used-up daily limit says so with its period', async () => {
    const check = await runCheck('key-limit', {
      key: keyBody({ limit: 10, limit_remaining: 0, limit_reset: 'daily' }),
    });
    expect(check.summary).toBe(
      'API key limit of $10.00 per day is used up: requests fail with 403 "Key limit exceeded"',
    );
  });

  it.each([
    { requireKeyLimit: true, expected: 'fail' },
    { requireKeyLimit: false, expected: 'warn' },
  ])('no limit with requireKeyLimit $requireKeyLimit → $expected', async ({ requireKeyLimit, expected }) => {
    const check = await runCheck('key-limit', {
      key: keyBody({ limit: null, limit_remaining: null }),
      config: { requireKeyLimit },
    });
    expect(check.status).toBe(expected);
    expect(check.summary).toMatch(/has no credit limit/);
    expect(check.remedy).toMatch(/Set a credit limit/);
  });
});
