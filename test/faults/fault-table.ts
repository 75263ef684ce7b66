/**
 * The fault matrix as data: every endpoint the audit calls × every way it can misbehave, with the
 * outcome the audit must reach. fault-matrix.test.ts plays each cell against the simulator, and
 * render-fault-matrix.ts prints the same table for the README, so the two cannot drift apart.
 */
import type { CheckId, CheckStatus, JsonValue } from '../../lambda/engine/result';
import type { Fault } from '../../simulator/types';

/** The audit's deadline in the matrix: short, so hanging rows stay quick. */
export const MATRIX_TIMEOUT_MS = 3500;
/** A body far larger than the client's 16 MiB cap. */
export const HUGE_BODY_BYTES = 256 * 1024 * 1024;
/** Seconds a 429 asks to wait: longer than half the deadline, so exactly one wait fits. */
const RETRY_AFTER_S = 2;

/** The simulator routes the audit calls, in the order the checks appear. */
export const MATRIX_ROUTES = ['key', 'credits', 'keys', 'models', 'chat'] as const;
export type MatrixRoute = (typeof MATRIX_ROUTES)[number];

/** The check that reports a route's failure. */
export const ROUTE_CHECK: Readonly<Record<MatrixRoute, CheckId>> = {
  key: 'auth',
  credits: 'credits',
  keys: 'keys',
  models: 'models',
  chat: 'test-request',
};

/** The endpoint as errors and summaries name it. */
export const ENDPOINT: Readonly<Record<MatrixRoute, string>> = {
  key: '/key',
  credits: '/credits',
  keys: '/keys',
  models: '/models',
  chat: '/chat/completions',
};

/** A check's expected status, what its summary must say and values it must have measured. */
export interface Outcome {
  readonly status: CheckStatus;
  readonly summary?: RegExp;
  readonly values?: Readonly<Record<string, JsonValue>>;
}

/** What the audit must report for one cell of the matrix. */
export interface Expectation {
  /** The route's own check (ROUTE_CHECK). */
  readonly outcome: Outcome & { readonly summary: RegExp };
  /** Requests the faulted call sent, retries included. */
  readonly attempts: number;
  /** Whether the faulted call ended up with data (a tolerated shape, or a retry that succeeded). */
  readonly recovers: boolean;
  /** Other checks that leave the healthy `pass`; every check not named here must still pass. */
  readonly others: Readonly<Partial<Record<CheckId, Outcome>>>;
  /** A lower bound on the route check's duration: the wait the server asked for was honoured. */
  readonly minDurationMs?: number;
}

/** A route's healthy answer (parsed JSON), for faults that reshape it. */
export type Healthy = unknown;

export interface FaultCase {
  /** The row's name in the printed matrix. */
  readonly name: string;
  /** The route's healthy answer is fetched first and passed to `fault`. */
  readonly reshapes?: boolean;
  /** Played separately, one at a time, with memory measured around it. */
  readonly measuresMemory?: boolean;
  fault(route: MatrixRoute, healthy: Healthy): Fault;
  expect(route: MatrixRoute): Expectation;
}

/**
 * How many requests the route receives in the whole audit. GET /key is sent twice at once, with the
 * API key (the one faulted: `key: 'api'`) and with the management key, which answers normally.
 */
export function requestsOnRoute(route: MatrixRoute, expectation: Expectation): number {
  return expectation.attempts + (route === 'key' ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// Building blocks

/** What a check says when the audit's deadline ended it. */
export const DEADLINE = new RegExp(`did not finish within the audit's deadline of ${MATRIX_TIMEOUT_MS} ms`);

/**
 * The checks that read the failed route's answer besides its own check. A failed GET /key makes its
 * readers skip ("see the auth check": one cause, one alert); a failed key list leaves key-age
 * without a date. When the failure lasts until the deadline, every reader ends there as an error.
 */
function readersOf(route: MatrixRoute, untilDeadline: boolean): Partial<Record<CheckId, Outcome>> {
  if (route === 'key') {
    const reader: Outcome = untilDeadline
      ? { status: 'error', summary: DEADLINE }
      : { status: 'skip', summary: /skipped because GET \/key failed/ };
    return {
      'key-limit': reader,
      'key-age': reader,
      'test-request': reader,
      spend: reader,
      // credits reads /key for the key's own limit; it has the account balance without it.
      ...(untilDeadline ? { credits: reader } : {}),
    };
  }
  if (route === 'keys') {
    return untilDeadline
      ? {
          'key-age': { status: 'error', summary: DEADLINE },
          credits: { status: 'error', summary: DEADLINE },
          'spend-trend': { status: 'error', summary: DEADLINE },
        }
      : {
          'key-age': { status: 'skip', summary: /key list could not be read/ },
          'spend-trend': { status: 'skip', summary: /key list could not be read/ },
        };
  }
  return {};
}

interface FailureOptions {
  /** Requests a GET makes (retries included) and a completion makes. */
  readonly get: number;
  readonly chat: number;
  /** A 401/403 on GET /key means the key was rejected: `auth` fails instead of erroring. */
  readonly rejectsKey?: boolean;
  readonly minDurationMs?: number;
}

/** A fault the audit cannot get past: the route's check fails (or errors) saying why. */
function failure(summary: (endpoint: string) => string, options: FailureOptions) {
  return (route: MatrixRoute): Expectation => {
    const attempts = route === 'chat' ? options.chat : options.get;
    const status: CheckStatus =
      route === 'chat' ? 'fail' : route === 'key' && options.rejectsKey ? 'fail' : 'error';
    return {
      outcome: { status, summary: new RegExp(summary(ENDPOINT[route])) },
      attempts,
      recovers: false,
      others: readersOf(route, false),
      ...(options.minDurationMs === undefined ? {} : { minDurationMs: options.minDurationMs }),
    };
  };
}

/** A fault that keeps the route silent until the audit's deadline ends the check. */
function untilDeadline(route: MatrixRoute): Expectation {
  return {
    outcome: { status: 'error', summary: DEADLINE },
    attempts: 1,
    recovers: false,
    others: readersOf(route, true),
  };
}

/** A fault the audit gets past: the check keeps its healthy verdict. */
function tolerated(attempts: number, minDurationMs?: number) {
  return (): Expectation => ({
    outcome: { status: 'pass', summary: /./ },
    attempts,
    recovers: true,
    others: {},
    ...(minDurationMs === undefined ? {} : { minDurationMs }),
  });
}

/** OpenRouter's error envelope. */
const apiError = (code: number, message: string, metadata?: Record<string, unknown>) => ({
  error: { code, message, ...(metadata === undefined ? {} : { metadata }) },
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const recordOrEmpty = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

/** A copy of `value` with every number written as a decimal string. */
export function numbersAsStrings(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(numbersAsStrings);
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numbersAsStrings(v)]));
  return value;
}

/** `healthy.data` (an object or a list), for reshaping. */
function dataOf(healthy: Healthy): unknown {
  return isRecord(healthy) ? healthy.data : undefined;
}

function mapItems(
  healthy: Healthy,
  change: (key: Record<string, unknown>) => Record<string, unknown>,
): unknown {
  const data = dataOf(healthy);
  return { data: Array.isArray(data) ? data.map((item) => (isRecord(item) ? change(item) : item)) : data };
}

const DAILY_CAP_MESSAGE =
  'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day';
const AFFORD_MESSAGE =
  'This request requires more credits, or fewer max_tokens. You requested up to 65536 tokens, but can only afford 30104. To increase, visit https://openrouter.ai/settings/credits and add more credits';
const KEY_LIMIT_MESSAGE =
  'Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys';
const MANAGEMENT_ONLY_MESSAGE = 'Only management keys can perform this operation';

/** A GET retried three times (1 + maxRetries), all well inside the deadline. */
const RETRIED_GET = 4;

// ---------------------------------------------------------------------------------------------
// The rows

export const FAULT_CASES: readonly FaultCase[] = [
  {
    name: '400 Bad Request',
    fault: () => ({ kind: 'status', status: 400 }),
    expect: failure((ep) => `HTTP 400 on ${ep}: Bad Request`, { get: 1, chat: 1 }),
  },
  {
    name: '401 User not found',
    fault: () => ({ kind: 'status', status: 401 }),
    expect: failure((ep) => `HTTP 401 on ${ep}: User not found`, { get: 1, chat: 1, rejectsKey: true }),
  },
  {
    name: '402 Insufficient credits',
    fault: () => ({ kind: 'status', status: 402 }),
    expect: failure((ep) => `HTTP 402 on ${ep}: Insufficient credits`, { get: 1, chat: 1 }),
  },
  {
    name: '402 "can only afford N"',
    fault: () => ({ kind: 'status', status: 402, body: apiError(402, AFFORD_MESSAGE) }),
    expect: failure((ep) => `HTTP 402 on ${ep}: .*can only afford 30104`, { get: 1, chat: 1 }),
  },
  {
    name: '403 Key limit exceeded',
    fault: () => ({ kind: 'status', status: 403, body: apiError(403, KEY_LIMIT_MESSAGE) }),
    expect: failure((ep) => `HTTP 403 on ${ep}: Key limit exceeded`, { get: 1, chat: 1, rejectsKey: true }),
  },
  {
    name: '403 management key only',
    fault: () => ({ kind: 'status', status: 403, body: apiError(403, MANAGEMENT_ONLY_MESSAGE) }),
    expect: failure((ep) => `HTTP 403 on ${ep}: ${MANAGEMENT_ONLY_MESSAGE}`, {
      get: 1,
      chat: 1,
      rejectsKey: true,
    }),
  },
  {
    name: '404 Not Found',
    fault: () => ({ kind: 'status', status: 404 }),
    expect: failure((ep) => `HTTP 404 on ${ep}: Not Found`, { get: 1, chat: 1 }),
  },
  {
    name: '408 Request Timeout',
    fault: () => ({ kind: 'status', status: 408 }),
    // A completion may have been processed (and billed): never repeated.
    expect: failure((ep) => `HTTP 408 on ${ep}: Operation timed out`, { get: RETRIED_GET, chat: 1 }),
  },
  {
    name: `429 with Retry-After: ${RETRY_AFTER_S}`,
    fault: () => ({ kind: 'status', status: 429, headers: { 'Retry-After': String(RETRY_AFTER_S) } }),
    // One wait of 2 s fits in the 3.5 s deadline, a second does not: the client does not start it.
    expect: failure((ep) => `HTTP 429 on ${ep}: Rate limit exceeded after 2 attempts`, {
      get: 2,
      chat: 2,
      minDurationMs: RETRY_AFTER_S * 1000 - 50,
    }),
  },
  {
    name: '429 once, Retry-After: 1',
    fault: () => ({ kind: 'status', status: 429, headers: { 'Retry-After': '1' }, times: 1 }),
    expect: tolerated(2, 950),
  },
  {
    name: '429 free-tier daily cap (X-RateLimit-Reset)',
    fault: () => {
      const resetAt = String(Date.now() + 8 * 3_600_000);
      const headers = {
        'X-RateLimit-Limit': '50',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': resetAt,
      };
      return {
        kind: 'status',
        status: 429,
        headers,
        body: apiError(429, DAILY_CAP_MESSAGE, { headers, limit_source: 'openrouter_free_tier_daily' }),
      };
    },
    expect: failure((ep) => `free-model daily request cap reached on ${ep}; resets \\d{4}-`, {
      get: 1,
      chat: 1,
    }),
  },
  {
    name: '500 Internal Server Error',
    fault: () => ({ kind: 'status', status: 500 }),
    expect: failure((ep) => `HTTP 500 on ${ep}: Internal Server Error`, { get: RETRIED_GET, chat: 1 }),
  },
  {
    name: '502 Provider returned error',
    fault: () => ({ kind: 'status', status: 502 }),
    expect: failure((ep) => `HTTP 502 on ${ep}: Provider returned error`, { get: RETRIED_GET, chat: 1 }),
  },
  {
    name: '503 Service Unavailable',
    fault: () => ({ kind: 'status', status: 503 }),
    // 503 means no provider took the request: safe to repeat even for a completion.
    expect: failure((ep) => `HTTP 503 on ${ep}: Service Unavailable after 4 attempts`, {
      get: RETRIED_GET,
      chat: RETRIED_GET,
    }),
  },
  {
    name: '503 once',
    fault: () => ({ kind: 'status', status: 503, times: 1 }),
    expect: tolerated(2),
  },
  {
    name: '524 Cloudflare HTML page',
    fault: () => ({ kind: 'html', status: 524 }),
    expect: failure((ep) => `HTTP 524 on ${ep}: openrouter\\.ai \\| 524: A timeout occurred`, {
      get: RETRIED_GET,
      chat: 1,
    }),
  },
  {
    name: 'hang before headers',
    fault: () => ({ kind: 'hang' }),
    expect: untilDeadline,
  },
  {
    name: 'stall mid-body',
    fault: () => ({ kind: 'stall-mid-body' }),
    expect: untilDeadline,
  },
  {
    name: 'connection reset',
    fault: () => ({ kind: 'reset' }),
    // Dropped before any response: the request cannot have been processed, so even a completion is repeated.
    // The summary names the cause: the connection dropped, with the socket error's code.
    expect: failure((ep) => `the connection dropped on ${ep} \\([A-Z_]+\\) after 4 attempts`, {
      get: RETRIED_GET,
      chat: RETRIED_GET,
    }),
  },
  {
    name: 'empty body (200)',
    fault: () => ({ kind: 'empty-body' }),
    expect: failure((ep) => `malformed answer on ${ep}: .*an empty body`, { get: 1, chat: 1 }),
  },
  {
    name: 'malformed JSON (200)',
    fault: () => ({ kind: 'malformed-json' }),
    expect: failure((ep) => `malformed answer on ${ep}: .*not valid JSON`, { get: 1, chat: 1 }),
  },
  {
    name: 'JSON missing required fields',
    fault: (route) => ({ kind: 'json', body: MISSING_FIELDS[route] }),
    expect: (route) => failure(() => MISSING_FIELDS_SAY[route], { get: 1, chat: 1 })(route),
  },
  {
    name: 'JSON with nulls',
    reshapes: true,
    fault: (route, healthy) => ({ kind: 'json', body: withNulls(route, healthy) }),
    expect: (route) => failure(() => NULLS_SAY[route], { get: 1, chat: 1 })(route),
  },
  {
    name: 'numbers sent as strings',
    reshapes: true,
    // Once: the management key's own GET /key keeps its normal answer.
    fault: (_route, healthy) => ({ kind: 'json', body: numbersAsStrings(healthy), times: 1 }),
    expect: numbersReadOutcome,
  },
  {
    name: 'negative balances and prices',
    reshapes: true,
    fault: (route, healthy) => ({ kind: 'json', body: withNegatives(route, healthy), times: 1 }),
    expect: negativeOutcome,
  },
  {
    name: 'error inside HTTP 200',
    fault: () => ({ kind: 'error-in-200', code: 524, message: 'Provider returned error' }),
    expect: failure((ep) => `200 with an error inside on ${ep}: Provider returned error`, {
      get: 1,
      chat: 1,
    }),
  },
  {
    name: `${HUGE_BODY_BYTES / 1024 / 1024} MiB body (cap 16 MiB)`,
    measuresMemory: true,
    fault: () => ({ kind: 'huge-body', bytes: HUGE_BODY_BYTES }),
    expect: failure((ep) => `answer too large on ${ep}`, { get: 1, chat: 1 }),
  },
];

// ---------------------------------------------------------------------------------------------
// Wrong shapes, per route

const MISSING_FIELDS: Readonly<Record<MatrixRoute, unknown>> = {
  key: { data: { limit: 100, usage: 20 } },
  credits: { data: { total_credits: 500 } },
  keys: { data: [{ name: 'production-app', disabled: false }] },
  models: { data: [{ name: 'OpenAI: GPT-4o-mini' }] },
  chat: { id: 'gen-1', object: 'chat.completion', model: 'openai/gpt-4o-mini' },
};

const MISSING_FIELDS_SAY: Readonly<Record<MatrixRoute, string>> = {
  key: 'malformed answer on /key: .*field "data\\.label" is missing',
  credits: 'malformed answer on /credits: .*field "data\\.total_usage" is missing',
  keys: 'malformed answer on /keys: .*field "data\\[0\\]\\.hash" is missing',
  models: 'malformed answer on /models: .*field "data\\[0\\]\\.id" is missing',
  chat: 'OpenRouter answered HTTP 200 without choices on /chat/completions',
};

function withNulls(route: MatrixRoute, healthy: Healthy): unknown {
  switch (route) {
    case 'key':
      return { data: { ...recordOrEmpty(dataOf(healthy)), label: null, limit: null } };
    case 'credits':
      return { data: { total_credits: null, total_usage: null } };
    case 'keys':
      return mapItems(healthy, (key) => ({ ...key, hash: null, created_at: null }));
    case 'models':
      return { data: null };
    case 'chat':
      return { ...recordOrEmpty(healthy), choices: null };
  }
}

const NULLS_SAY: Readonly<Record<MatrixRoute, string>> = {
  key: 'malformed answer on /key: .*field "data\\.label" is missing or is not a string',
  credits: 'malformed answer on /credits: .*field "data\\.total_credits" is missing or is not a number',
  keys: 'malformed answer on /keys: .*field "data\\[0\\]\\.hash" is missing or is not a string',
  models: 'malformed answer on /models: .*field "data" is missing or is not an array',
  chat: 'OpenRouter answered HTTP 200 without choices on /chat/completions',
};

/** Numbers sent as strings are read as numbers: the same verdicts and figures as the healthy account. */
function numbersReadOutcome(route: MatrixRoute): Expectation {
  const base = { attempts: 1, recovers: true, others: {} };
  switch (route) {
    case 'key':
      return {
        ...base,
        outcome: { status: 'pass', summary: /authenticates/ },
        others: { 'key-limit': { status: 'pass', values: { limitUsd: 100, limitRemainingUsd: 80 } } },
      };
    case 'credits':
      return { ...base, outcome: { status: 'pass', summary: /left/, values: { accountBalanceUsd: 380 } } };
    case 'keys':
      return {
        ...base,
        outcome: { status: 'pass', summary: /All 5 enabled keys/, values: { totalKeys: 5 } },
      };
    case 'models':
      return { ...base, outcome: { status: 'pass', summary: /listed/, values: { modelsUnavailable: 0 } } };
    case 'chat':
      // "for $…" appears only when the cost was read as a number.
      return { ...base, outcome: { status: 'pass', summary: /answered in \d+ ms for \$0\.\d/ } };
  }
}

function withNegatives(route: MatrixRoute, healthy: Healthy): unknown {
  const data = dataOf(healthy);
  switch (route) {
    case 'key':
      return { data: { ...recordOrEmpty(data), limit_remaining: -5 } };
    case 'credits':
      return { data: { total_credits: 10, total_usage: 25 } };
    case 'keys':
      return mapItems(healthy, (key) => ({ ...key, limit_remaining: -5 }));
    case 'models':
      // OpenRouter prices router pseudo-models at "-1": variable, not an error.
      return mapItems(healthy, (model) => ({ ...model, pricing: { prompt: '-1', completion: '-1' } }));
    case 'chat': {
      const body = recordOrEmpty(healthy);
      return { ...body, usage: { ...recordOrEmpty(body.usage), cost: -0.5 } };
    }
  }
}

/** A negative figure is data, not a malformed answer: it reads, and the check judges it. */
function negativeOutcome(route: MatrixRoute): Expectation {
  const base = { attempts: 1, recovers: true, others: {} };
  switch (route) {
    case 'key':
      return {
        ...base,
        outcome: { status: 'pass', summary: /authenticates/ },
        others: {
          'key-limit': { status: 'fail', summary: /is used up/ },
          credits: { status: 'fail', summary: /Credits low: \$-5\.00 left \(key limit remaining\)/ },
        },
      };
    case 'credits':
      return {
        ...base,
        outcome: { status: 'fail', summary: /Credits low: \$-15\.00 left \(account balance\)/ },
      };
    case 'keys':
      return { ...base, outcome: { status: 'warn', summary: /5 keys over 90% of their limit/ } };
    case 'models':
      return { ...base, outcome: { status: 'pass', summary: /listed/, values: { modelsUnavailable: 0 } } };
    case 'chat':
      return { ...base, outcome: { status: 'pass', summary: /answered in \d+ ms for \$-0\.50/ } };
  }
}
