/**
 * Data checked, not trusted: an implausible figure in /key is a named problem (the checks that
 * read it report `error`), and one in a page of /keys makes the page unreadable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCurrentKeyBody, parseKeysPageBody } from '../../lambda/openrouter/response-parsers';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as Record<string, unknown>;
const keyData = (fixture('key.json').data ?? {}) as Record<string, unknown>;
const listed = ((fixture('keys-page.json').data as unknown[])[0] ?? {}) as Record<string, unknown>;

const currentKeyWith = (changes: Record<string, unknown>) =>
  parseCurrentKeyBody(JSON.stringify({ data: { ...keyData, ...changes } }));

describe('GET /key figures are checked', () => {
  it.each([
    [{ limit: 'lots' }, 'GET /key: limit is "lots", expected a number or null'],
    [{ limit: -5 }, 'GET /key: limit is -5, expected an amount of 0 or more or null'],
    [{ limit: 1e308, limit_remaining: 1 }, 'GET /key: limit is 1e+308, expected an amount under $1e9'],
    [{ limit: 10, limit_remaining: 50 }, 'GET /key: limit_remaining is 50, expected at most limit (10)'],
    [{ usage: -1 }, 'GET /key: usage is -1, expected an amount of 0 or more'],
    [{ usage_daily: undefined }, 'GET /key: usage_daily is missing, expected an amount of 0 or more'],
    [
      { expires_at: 'next tuesday' },
      'GET /key: expires_at is "next tuesday", expected an ISO-8601 date or null',
    ],
    [
      { limit_reset: 'hourly' },
      'GET /key: limit_reset is "hourly", expected one of daily, weekly, monthly or null',
    ],
    [
      { budgets: [{ scope: 'api_key', limit_usd: 'x', spend_usd: 1, remaining_usd: 1 }] },
      'GET /key: budgets[0].limit_usd is "x", expected a number',
    ],
  ])('%o reads as a problem: %s', (changes, message) => {
    const key = currentKeyWith(changes);
    expect(key.problems.map((p) => p.message)).toContain(message);
  });

  it('reads the documented example without a problem and keeps unknown fields accepted', () => {
    expect(currentKeyWith({ something_new: { nested: true } }).problems).toEqual([]);
  });

  it('a bad figure reads as null, never as "no limit" by accident of a fallback', () => {
    const key = currentKeyWith({ limit: 'lots' });
    expect(key.limit).toBeNull();
    expect(key.problems[0]?.field).toBe('limit');
  });

  it('reads budgets and effective_budget (newer API)', () => {
    const budget = {
      scope: 'api_key',
      limit_usd: 50,
      spend_usd: 20,
      remaining_usd: 30,
      reset_interval: 'monthly',
      resets_at: '2026-12-01T00:00:00.000Z',
      include_byok: false,
      guardrail_id: 'g-1',
      budget_id: null,
    };
    const key = currentKeyWith({
      limit: null,
      limit_remaining: null,
      budgets: [budget],
      effective_budget: budget,
    });
    expect(key.problems).toEqual([]);
    expect(key.effectiveBudget).toMatchObject({ scope: 'api_key', limitUsd: 50, remainingUsd: 30 });
    expect(key.budgets).toHaveLength(1);
  });
});

describe('GET /keys pages are checked whole', () => {
  const page = (changes: Record<string, unknown>) => JSON.stringify({ data: [{ ...listed, ...changes }] });

  it.each([
    [{ created_at: 'yesterday' }, 'GET /keys: data[0].created_at is "yesterday", expected an ISO-8601 date'],
    [{ limit: 'lots' }, 'GET /keys: data[0].limit is "lots", expected a number or null'],
    [{ usage: 1e12 }, 'GET /keys: data[0].usage is 1000000000000, expected an amount under $1e9'],
  ])('%o makes the page unreadable: %s', (changes, message) => {
    expect(() => parseKeysPageBody(page(changes))).toThrow(message);
  });
});
