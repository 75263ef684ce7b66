import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../lambda/http/retry-after';
import type { ApiErrorInfo } from '../../lambda/openrouter/api-error';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import {
  type AttemptOutcome,
  backoffDelayMs,
  DEFAULT_RETRY,
  deadlineError,
  isRetryableFailure,
  judgeStatus,
  planWait,
  type RequestSafety,
  type ResponseHeaders,
  resolveRetrySettings,
  runWithRetries,
  type StatusFacts,
} from '../../lambda/openrouter/retry-policy';

const NOW = Date.parse('2026-10-03T12:00:00Z');

function facts(overrides: Partial<StatusFacts> & { status: number }): StatusFacts {
  return {
    headers: {},
    apiError: null,
    safety: 'idempotent',
    nowMs: NOW,
    deadlineAtMs: null,
    settings: DEFAULT_RETRY,
    ...overrides,
  };
}

const apiError = (overrides: Partial<ApiErrorInfo>): ApiErrorInfo => ({
  message: null,
  code: null,
  errorType: null,
  limitSource: null,
  rateLimitResetAtMs: null,
  retryAfterMs: null,
  availabilityCode: null,
  fallbackModels: [],
  minimumTokens: null,
  ...overrides,
});

describe('which statuses are retried', () => {
  it.each([408, 429, 500, 502, 503, 504, 524, 529])('retries a GET on %i', (status) => {
    expect(judgeStatus(facts({ status })).kind).toBe('retry');
  });

  it.each([400, 401, 402, 403, 404, 409, 413, 422, 501])('never retries a GET on %i', (status) => {
    expect(judgeStatus(facts({ status }))).toEqual({ kind: 'final', resetAt: null });
  });

  it.each([429, 503])('retries a completion on %i (nothing was processed)', (status) => {
    expect(judgeStatus(facts({ status, safety: 'billable' })).kind).toBe('retry');
  });

  it.each([400, 401, 402, 403, 408, 500, 502, 504, 524, 529])(
    'never retries a completion on %i',
    (status) => {
      expect(judgeStatus(facts({ status, safety: 'billable' })).kind).toBe('final');
    },
  );
});

describe('rate limits', () => {
  it.each([
    ['limit_source', apiError({ limitSource: 'openrouter_free_tier_daily' })],
    ['message', apiError({ message: 'Rate limit exceeded: free-models-per-day. Add 10 credits' })],
  ])('never retries the free-tier daily cap (recognised by %s)', (_how, error) => {
    const resetMs = NOW + 3_600_000;
    const verdict = judgeStatus(
      facts({ status: 429, apiError: error, headers: { 'x-ratelimit-reset': String(resetMs) } }),
    );
    expect(verdict).toEqual({ kind: 'rate-limited-daily', resetAt: new Date(resetMs) });
  });

  it('takes the reset time from the body when the header is missing', () => {
    const verdict = judgeStatus(
      facts({
        status: 429,
        apiError: apiError({ limitSource: 'openrouter_free_tier_daily', rateLimitResetAtMs: NOW + 5 }),
      }),
    );
    expect(verdict).toEqual({ kind: 'rate-limited-daily', resetAt: new Date(NOW + 5) });
  });

  it('gives up on a per-minute 429 whose reset lies beyond the deadline, keeping it a plain 429', () => {
    const headers = { 'x-ratelimit-reset': String(NOW + 60_000), 'retry-after': '1' };
    expect(judgeStatus(facts({ status: 429, headers, deadlineAtMs: NOW + 20_000 }))).toEqual({
      kind: 'final',
      resetAt: new Date(NOW + 60_000),
    });
  });

  it('takes a 429 whose reset is hours away for the daily cap, even without a body', () => {
    const headers = { 'x-ratelimit-reset': String(NOW + 5 * 3_600_000) };
    expect(judgeStatus(facts({ status: 429, headers, deadlineAtMs: NOW + 20_000 }))).toEqual({
      kind: 'rate-limited-daily',
      resetAt: new Date(NOW + 5 * 3_600_000),
    });
  });

  it('without a deadline, gives up on a reset beyond maxRetryAfterMs', () => {
    const headers = { 'x-ratelimit-reset': String(NOW + 45_000) };
    expect(judgeStatus(facts({ status: 429, headers })).kind).toBe('final');
  });

  it('waits for a 429 reset that comes before the deadline', () => {
    const headers = { 'x-ratelimit-reset': String(NOW + 1500) };
    expect(judgeStatus(facts({ status: 429, headers, deadlineAtMs: NOW + 20_000 }))).toEqual({
      kind: 'retry',
      hintMs: 1500,
    });
  });
});

describe('server wait hints', () => {
  it.each([
    ['2', 2000],
    ['0', 0],
    ['1.5', 1500],
    [new Date(NOW + 3000).toUTCString(), 3000],
    [new Date(NOW - 3000).toUTCString(), 0],
    ['soon', null],
    [null, null],
  ])('parses Retry-After %s as %s ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each<[string, ResponseHeaders, number | null]>([
    ['retry-after seconds', { 'retry-after': '3' }, 3000],
    ['retry-after-ms over retry-after', { 'retry-after-ms': '1200', 'retry-after': '3' }, 1200],
    ['nothing', {}, null],
  ])('uses %s', (_case, headers, hintMs) => {
    expect(judgeStatus(facts({ status: 503, headers }))).toEqual({ kind: 'retry', hintMs });
  });

  it('falls back to availability.retry_after from the body', () => {
    expect(judgeStatus(facts({ status: 503, apiError: apiError({ retryAfterMs: 2000 }) }))).toEqual({
      kind: 'retry',
      hintMs: 2000,
    });
  });
});

describe('X-RateLimit-Reset readings', () => {
  // 2026-10-03T12:00:00Z in whole seconds: a 10-digit number.
  const nowSeconds = NOW / 1000;

  it('reads a 10-digit reset as epoch seconds', () => {
    const headers = { 'x-ratelimit-reset': String(nowSeconds + 20) };
    expect(judgeStatus(facts({ status: 429, headers }))).toEqual({ kind: 'retry', hintMs: 20_000 });
  });

  it('reads an 11-digit reset as epoch milliseconds (a moment in 1970, long past: wait nothing)', () => {
    const headers = { 'x-ratelimit-reset': '10000000000' };
    expect(judgeStatus(facts({ status: 429, headers }))).toEqual({ kind: 'retry', hintMs: 0 });
  });

  it('ignores white space around the value', () => {
    const headers = { 'x-ratelimit-reset': `  ${NOW + 1500}  ` };
    expect(judgeStatus(facts({ status: 429, headers }))).toEqual({ kind: 'retry', hintMs: 1500 });
  });

  it.each([
    ['trailing garbage', `${NOW + 1500}s`],
    ['leading garbage', `t=${NOW + 1500}`],
    ['no number', 'soon'],
  ])('falls back to the body when the header has %s', (_case, value) => {
    const headers = { 'x-ratelimit-reset': value };
    const body = apiError({ rateLimitResetAtMs: NOW + 2500 });
    expect(judgeStatus(facts({ status: 429, headers, apiError: body }))).toEqual({
      kind: 'retry',
      hintMs: 2500,
    });
  });

  it('treats an unreadable header without a body as no reset at all', () => {
    const headers = { 'x-ratelimit-reset': 'soon' };
    expect(judgeStatus(facts({ status: 429, headers }))).toEqual({ kind: 'retry', hintMs: null });
  });

  it('reads the reset only on a 429', () => {
    const headers = { 'x-ratelimit-reset': String(NOW + 1500) };
    expect(judgeStatus(facts({ status: 503, headers }))).toEqual({ kind: 'retry', hintMs: null });
    const daily = apiError({ limitSource: 'openrouter_free_tier_daily' });
    expect(judgeStatus(facts({ status: 503, apiError: daily }))).toEqual({ kind: 'retry', hintMs: null });
  });
});

describe('retry-after-ms readings', () => {
  it.each<[string, string, number]>([
    ['surrounded by white space', ' 1200 ', 1200],
    ['with two decimals', '1.25', 1.25],
    ['with one decimal', '1.5', 1.5],
    ['followed by garbage (Retry-After wins)', '1200ms', 3000],
    ['preceded by garbage (Retry-After wins)', '~1200', 3000],
    ['not a number (Retry-After wins)', 'soon', 3000],
    ['with a dot and no decimals (Retry-After wins)', '12.', 3000],
  ])('reads a value %s', (_case, value, hintMs) => {
    const headers = { 'retry-after-ms': value, 'retry-after': '3' };
    expect(judgeStatus(facts({ status: 503, headers }))).toEqual({ kind: 'retry', hintMs });
  });
});

describe('429 verdicts at their boundaries', () => {
  it('retries a 429 with no reset and no hint, without inventing a wait', () => {
    expect(judgeStatus(facts({ status: 429 }))).toEqual({ kind: 'retry', hintMs: null });
  });

  it('reports the daily cap without a reset time when none was given', () => {
    const daily = apiError({ limitSource: 'openrouter_free_tier_daily' });
    expect(judgeStatus(facts({ status: 429, apiError: daily }))).toEqual({
      kind: 'rate-limited-daily',
      resetAt: null,
    });
  });

  it('recognises the daily cap by its message even when the reset is seconds away', () => {
    const daily = apiError({ message: 'Rate limit exceeded: free-models-per-day. Add 10 credits' });
    const headers = { 'x-ratelimit-reset': String(NOW + 1500) };
    expect(judgeStatus(facts({ status: 429, headers, apiError: daily }))).toEqual({
      kind: 'rate-limited-daily',
      resetAt: new Date(NOW + 1500),
    });
  });

  it.each([
    ['another limit in the message', apiError({ message: 'Rate limit exceeded: 20 requests per minute' })],
    ['no message', apiError({ limitSource: 'upstream_provider_shared_pool' })],
  ])('does not take a 429 body with %s for the daily cap', (_case, body) => {
    const headers = { 'x-ratelimit-reset': String(NOW + 1500) };
    expect(judgeStatus(facts({ status: 429, headers, apiError: body }))).toEqual({
      kind: 'retry',
      hintMs: 1500,
    });
  });

  it('without a deadline, waits for a reset exactly maxRetryAfterMs away, not one ms more', () => {
    const at = (resetMs: number) =>
      judgeStatus(facts({ status: 429, headers: { 'x-ratelimit-reset': String(resetMs) } }));
    expect(at(NOW + 30_000)).toEqual({ kind: 'retry', hintMs: 30_000 });
    expect(at(NOW + 30_001)).toEqual({ kind: 'final', resetAt: new Date(NOW + 30_001) });
    expect(at(NOW + 20_000)).toEqual({ kind: 'retry', hintMs: 20_000 });
  });

  it('with a deadline, waits for a reset before the deadline even past maxRetryAfterMs, and reports one at the deadline', () => {
    const at = (resetMs: number) =>
      judgeStatus(
        facts({ status: 429, headers: { 'x-ratelimit-reset': String(resetMs) }, deadlineAtMs: NOW + 60_000 }),
      );
    expect(at(NOW + 45_000)).toEqual({ kind: 'retry', hintMs: 45_000 });
    expect(at(NOW + 59_999)).toEqual({ kind: 'retry', hintMs: 59_999 });
    // planWait refuses a wait that ends at the deadline: the verdict agrees, and keeps the reset time.
    expect(at(NOW + 60_000)).toEqual({ kind: 'final', resetAt: new Date(NOW + 60_000) });
    expect(at(NOW + 60_001)).toEqual({ kind: 'final', resetAt: new Date(NOW + 60_001) });
  });

  it('a 429 whose reset is at the deadline ends with its reset time, not a deadline error', () => {
    const resetMs = NOW + 60_000;
    expect(
      judgeStatus(
        facts({ status: 429, headers: { 'x-ratelimit-reset': String(resetMs) }, deadlineAtMs: resetMs }),
      ),
    ).toEqual({ kind: 'final', resetAt: new Date(resetMs) });
    // The wait the verdict would have asked for is one planWait refuses, whatever the backoff.
    expect(planWait(1, resetMs - NOW, resolveRetrySettings(), NOW, resetMs, () => 0)).toBeNull();
  });

  it('takes a reset beyond the deadline for the daily cap only when more than LONG_RESET_MS away', () => {
    const at = (resetMs: number) =>
      judgeStatus(
        facts({ status: 429, headers: { 'x-ratelimit-reset': String(resetMs) }, deadlineAtMs: NOW + 20_000 }),
      );
    expect(at(NOW + 600_000)).toEqual({ kind: 'final', resetAt: new Date(NOW + 600_000) });
    expect(at(NOW + 600_001)).toEqual({ kind: 'rate-limited-daily', resetAt: new Date(NOW + 600_001) });
  });
});

describe('402 verdicts', () => {
  const inFlight = apiError({ limitSource: 'openrouter_in_flight_budget' });

  it.each<RequestSafety>(['idempotent', 'billable'])(
    'retries the in-flight budget 402 on a %s request, even without a hint',
    (safety) => {
      expect(judgeStatus(facts({ status: 402, apiError: inFlight, safety }))).toEqual({
        kind: 'retry',
        hintMs: null,
      });
    },
  );

  it('retries any 402 that carries a Retry-After, with that wait', () => {
    const headers = { 'retry-after': '2' };
    expect(judgeStatus(facts({ status: 402, headers, safety: 'billable' }))).toEqual({
      kind: 'retry',
      hintMs: 2000,
    });
  });

  it('keeps a 402 for credits final', () => {
    const credits = apiError({ limitSource: 'openrouter_credits' });
    expect(judgeStatus(facts({ status: 402, apiError: credits, safety: 'billable' }))).toEqual({
      kind: 'final',
      resetAt: null,
    });
  });

  it.each([400, 401, 403])('does not retry a %i for carrying a Retry-After', (status) => {
    const headers = { 'retry-after': '2' };
    expect(judgeStatus(facts({ status, headers, apiError: inFlight, safety: 'billable' }))).toEqual({
      kind: 'final',
      resetAt: null,
    });
  });
});

describe('backoff', () => {
  const settings = resolveRetrySettings({ minDelayMs: 100, maxDelayMs: 1000 });

  it.each([
    [1, 50, 100],
    [2, 100, 200],
    [3, 200, 400],
    [4, 400, 800],
    [5, 500, 1000],
    [9, 500, 1000],
  ])('retry %i waits between %i and %i ms (capped exponential with jitter)', (n, low, high) => {
    expect(backoffDelayMs(n, settings, () => 0)).toBe(low);
    expect(backoffDelayMs(n, settings, () => 1)).toBe(high);
  });

  it('waits at least what the server asked for, beyond the backoff cap', () => {
    expect(planWait(1, 2500, settings, NOW, null, () => 0)).toBe(2500);
  });

  it('does not start a wait that would end after the deadline', () => {
    expect(planWait(1, 2500, settings, NOW, NOW + 2000, () => 0)).toBeNull();
    expect(planWait(1, null, settings, NOW, NOW + 20, () => 0)).toBeNull();
    expect(planWait(1, null, settings, NOW, NOW + 2000, () => 0)).toBe(50);
  });

  it('without a deadline, refuses a server wait longer than maxRetryAfterMs', () => {
    expect(planWait(1, 31_000, DEFAULT_RETRY, NOW, null, () => 0)).toBeNull();
    expect(planWait(1, 29_000, DEFAULT_RETRY, NOW, null, () => 0)).toBe(29_000);
  });

  it('without a deadline, honours a server wait of exactly maxRetryAfterMs', () => {
    expect(planWait(1, 30_000, DEFAULT_RETRY, NOW, null, () => 0)).toBe(30_000);
  });

  it('with a deadline, honours a server wait longer than maxRetryAfterMs that ends before it', () => {
    expect(planWait(1, 40_000, DEFAULT_RETRY, NOW, NOW + 60_000, () => 0)).toBe(40_000);
  });

  it('ignores infinite settings', () => {
    expect(
      resolveRetrySettings({
        maxRetries: Number.POSITIVE_INFINITY,
        maxDelayMs: Number.POSITIVE_INFINITY,
        maxRetryAfterMs: Number.POSITIVE_INFINITY,
      }),
    ).toEqual(DEFAULT_RETRY);
  });

  it('uses the documented defaults and ignores nonsense values', () => {
    expect(resolveRetrySettings()).toEqual({
      maxRetries: 3,
      minDelayMs: 250,
      maxDelayMs: 4000,
      maxRetryAfterMs: 30_000,
    });
    expect(resolveRetrySettings({ maxRetries: -1, minDelayMs: Number.NaN }).maxRetries).toBe(3);
    expect(resolveRetrySettings({ maxRetries: 0 }).maxRetries).toBe(0);
  });
});

describe('network failures', () => {
  it.each<[Parameters<typeof isRetryableFailure>[0], RequestSafety, boolean]>([
    ['connect-refused', 'billable', true],
    ['connect-timeout', 'billable', true],
    ['reset-before-response', 'billable', true],
    ['headers-timeout', 'billable', false],
    ['reset-mid-body', 'billable', false],
    ['headers-timeout', 'idempotent', true],
    ['reset-mid-body', 'idempotent', true],
    ['body-timeout', 'idempotent', false],
    ['too-large', 'idempotent', false],
    ['aborted', 'idempotent', false],
    ['network-other', 'idempotent', false],
  ])('%s on a %s request: retried = %s', (kind, safety, expected) => {
    expect(isRetryableFailure(kind, safety)).toBe(expected);
  });
});

describe('runWithRetries', () => {
  const fail = (retryable: boolean, hintMs: number | null = null): AttemptOutcome<string> => ({
    ok: false,
    error: new OpenRouterError('HTTP_STATUS', 'OpenRouter answered HTTP 503 on /key', {
      status: 503,
      endpoint: '/key',
    }),
    retryable,
    hintMs,
  });
  const ctx = (over: Partial<Parameters<typeof runWithRetries>[1]> = {}) => ({
    endpoint: '/key',
    settings: resolveRetrySettings({ minDelayMs: 1, maxDelayMs: 2 }),
    signal: undefined,
    deadlineAtMs: null,
    now: Date.now,
    random: () => 0,
    ...over,
  });

  it('returns the first success and counts attempts on failures', async () => {
    let calls = 0;
    const value = await runWithRetries(
      async () => (++calls < 3 ? fail(true) : { ok: true, value: 'done' }),
      ctx(),
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  it('stops after maxRetries with attempts = 1 + maxRetries', async () => {
    let calls = 0;
    const run = runWithRetries(async () => {
      calls++;
      return fail(true);
    }, ctx());
    await expect(run).rejects.toMatchObject({ code: 'HTTP_STATUS', attempts: 4 });
    expect(calls).toBe(4);
  });

  it('does not retry a final failure', async () => {
    await expect(runWithRetries(async () => fail(false), ctx())).rejects.toMatchObject({ attempts: 1 });
  });

  it('reports each retry', async () => {
    const events: unknown[] = [];
    await expect(
      runWithRetries(
        async () => fail(true),
        ctx({
          onRetry: (e) => events.push(e),
          settings: resolveRetrySettings({ maxRetries: 2, minDelayMs: 1 }),
        }),
      ),
    ).rejects.toMatchObject({ attempts: 3 });
    expect(events).toEqual([
      expect.objectContaining({ attempt: 1, code: 'HTTP_STATUS', status: 503 }),
      expect.objectContaining({ attempt: 2 }),
    ]);
  });

  it('ends a backoff wait promptly with TIMEOUT when the signal fires', async () => {
    // The signal fires once the loop has planned an hour's wait: only the abort can end that wait
    // before the test's timeout, whatever the machine's load.
    const controller = new AbortController();
    const waits: number[] = [];
    await expect(
      runWithRetries(
        async () => fail(true, 3_600_000),
        ctx({
          signal: controller.signal,
          settings: resolveRetrySettings({ minDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 7_200_000 }),
          onRetry: (event) => {
            waits.push(event.waitMs);
            setImmediate(() => controller.abort());
          },
        }),
      ),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
      attempts: 1,
    });
    expect(waits).toEqual([3_600_000]);
  });

  it('sends nothing when the signal has already fired', async () => {
    let calls = 0;
    const run = runWithRetries(
      async () => {
        calls++;
        return fail(true);
      },
      ctx({ signal: AbortSignal.abort() }),
    );
    await expect(run).rejects.toMatchObject({ code: 'TIMEOUT', attempts: 0 });
    expect(calls).toBe(0);
  });

  it('says in the deadline error which endpoint stopped', () => {
    expect(deadlineError('/credits', 2)).toMatchObject({
      code: 'TIMEOUT',
      message: 'OpenRouter request to /credits stopped at the deadline',
      endpoint: '/credits',
      attempts: 2,
    });
  });

  it('fails with the last error instead of waiting past the deadline', async () => {
    // A fixed clock: the 10 s hint ends after the deadline 5 s away, so no wait is even planned.
    const waits: number[] = [];
    const run = runWithRetries(
      async () => fail(true, 10_000),
      ctx({ now: () => 1_000_000, deadlineAtMs: 1_005_000, onRetry: (event) => waits.push(event.waitMs) }),
    );
    await expect(run).rejects.toMatchObject({ code: 'HTTP_STATUS', attempts: 1 });
    expect(waits).toEqual([]);
  });

  it('waits for a hint that ends just before the deadline', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await runWithRetries(
      async () => (++calls === 1 ? fail(true, 4) : { ok: true as const, value: 'done' }),
      ctx({ now: () => 1_000_000, deadlineAtMs: 1_000_005, onRetry: (event) => waits.push(event.waitMs) }),
    );
    expect(value).toBe('done');
    expect(waits).toEqual([4]);
  });

  it('does not wait for a hint that ends exactly at the deadline', async () => {
    const waits: number[] = [];
    const run = runWithRetries(
      async () => fail(true, 5),
      ctx({ now: () => 1_000_000, deadlineAtMs: 1_000_005, onRetry: (event) => waits.push(event.waitMs) }),
    );
    await expect(run).rejects.toMatchObject({ code: 'HTTP_STATUS', attempts: 1 });
    expect(waits).toEqual([]);
  });
});
