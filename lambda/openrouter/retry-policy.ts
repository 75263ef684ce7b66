/**
 * The client's one retry policy: what is retried, how long to wait, and the loop that does it.
 *
 * Why not undici's RetryHandler / retry interceptor (the house style prefers it): it decides at
 * response start, before the body is read, so it cannot see OpenRouter's free-tier daily cap
 * (`error.metadata.limit_source` in the body); when it gives up it throws RequestRetryError
 * without the body, so the API's message is lost; its waits know nothing of the caller's deadline
 * (it would start a 4 s backoff with 1 s left), and it exposes no per-request attempt count for
 * errors. A small loop over single attempts expresses all of that directly and is tested alone.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { parseRetryAfter } from '../http/retry-after';
import type { ApiErrorInfo } from './api-error';
import { OpenRouterError, withErrorDetails } from './errors';

/** Retry settings of a client. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 3 */
  readonly maxRetries?: number;
  /** First backoff step, before jitter. @default 250 */
  readonly minDelayMs?: number;
  /** Cap on a backoff step (a server's Retry-After may ask for longer). @default 4000 */
  readonly maxDelayMs?: number;
  /**
   * The longest server-requested wait (`Retry-After`, `X-RateLimit-Reset`) honoured when the caller
   * set no deadline; a longer one ends the call instead. @default 30000
   */
  readonly maxRetryAfterMs?: number;
}

export type RetrySettings = Required<RetryOptions>;

export const DEFAULT_RETRY: RetrySettings = {
  maxRetries: 3,
  minDelayMs: 250,
  maxDelayMs: 4000,
  maxRetryAfterMs: 30_000,
};

export function resolveRetrySettings(options: RetryOptions = {}): RetrySettings {
  const pick = (value: number | undefined, fallback: number) => {
    // An absent setting reads as NaN so that one finiteness test rejects it with NaN and Infinity.
    const candidate = value ?? Number.NaN;
    return Number.isFinite(candidate) && candidate >= 0 ? candidate : fallback;
  };
  const minDelayMs = pick(options.minDelayMs, DEFAULT_RETRY.minDelayMs);
  return {
    maxRetries: Math.floor(pick(options.maxRetries, DEFAULT_RETRY.maxRetries)),
    minDelayMs,
    maxDelayMs: Math.max(minDelayMs, pick(options.maxDelayMs, DEFAULT_RETRY.maxDelayMs)),
    maxRetryAfterMs: pick(options.maxRetryAfterMs, DEFAULT_RETRY.maxRetryAfterMs),
  };
}

/**
 * `idempotent`: GETs, safe to repeat whatever happened. `billable`: POST /chat/completions, which
 * may only be repeated when the server surely did not process it.
 */
export type RequestSafety = 'idempotent' | 'billable';

/** Statuses worth another try for a GET. 408 is "Request timed out, try again" in OpenRouter's spec. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504, 524, 529]);
/** For a completion only "not processed" answers: rate limited, or no provider available. */
export const RETRYABLE_STATUSES_BILLABLE: ReadonlySet<number> = new Set([429, 503]);

/** How an attempt failed when no complete HTTP response came back. */
export type TransportFailureKind =
  /** Nothing was sent: ECONNREFUSED. */
  | 'connect-refused'
  /** Nothing was sent: the TCP/TLS connect timed out. */
  | 'connect-timeout'
  /** The connection dropped (ECONNRESET, socket closed) before response headers. */
  | 'reset-before-response'
  /** The request was sent; no headers came back in time. */
  | 'headers-timeout'
  /** The connection dropped while the body was arriving. */
  | 'reset-mid-body'
  /** The body stalled. */
  | 'body-timeout'
  /** The body exceeded the size cap. */
  | 'too-large'
  /** The caller's signal fired (the audit deadline). */
  | 'aborted'
  /** DNS, TLS and anything else. */
  | 'network-other';

/**
 * True when a failed attempt may be repeated. A completion is repeated only when the request
 * cannot have been processed (and billed): refused or timed-out connects, and connections that
 * dropped before any response (the brief's "connection errors before a response").
 */
export function isRetryableFailure(kind: TransportFailureKind, safety: RequestSafety): boolean {
  switch (kind) {
    case 'connect-refused':
    case 'connect-timeout':
    case 'reset-before-response':
      return true;
    case 'headers-timeout':
    case 'reset-mid-body':
      return safety === 'idempotent';
    case 'body-timeout':
    case 'too-large':
    case 'aborted':
    case 'network-other':
      return false;
  }
}

/** Response headers as undici gives them (lower-case names). */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: ResponseHeaders, name: string): string | null {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.trim();
}

function parseEpochMs(value: string | null): number | null {
  const digits = value?.match(/^\d{10,16}$/);
  if (!digits) return null;
  const n = Number(digits[0]);
  // Seconds are not what OpenRouter documents, but a 10-digit value can only be seconds.
  return digits[0].length <= 10 ? n * 1000 : n;
}

/** The wait the server asked for: `retry-after-ms`, else `Retry-After`, else `availability.retry_after`. */
export function retryHintMs(
  headers: ResponseHeaders,
  apiError: ApiErrorInfo | null,
  nowMs: number,
): number | null {
  const ms = header(headers, 'retry-after-ms')?.match(/^\d+(\.\d+)?$/);
  if (ms) return Number(ms[0]);
  return parseRetryAfter(header(headers, 'retry-after'), nowMs) ?? apiError?.retryAfterMs ?? null;
}

/** When OpenRouter's own rate limit resets (`X-RateLimit-Reset`, epoch ms; also mirrored in the body). */
export function rateLimitResetAtMs(headers: ResponseHeaders, apiError: ApiErrorInfo | null): number | null {
  return parseEpochMs(header(headers, 'x-ratelimit-reset')) ?? apiError?.rateLimitResetAtMs ?? null;
}

/** The free-tier daily cap, as the body names it (`limit_source` or the `free-models-per-day` message). */
export function isFreeTierDailyCap(apiError: ApiErrorInfo | null): boolean {
  if (apiError === null) return false;
  return (
    apiError.limitSource === 'openrouter_free_tier_daily' ||
    (apiError.message?.includes('free-models-per-day') ?? false)
  );
}

/**
 * A reset further away than this is no per-minute window: with no body to say so, such a 429 is
 * taken for the daily cap.
 */
export const LONG_RESET_MS = 10 * 60_000;

/** What to do after a non-2xx answer. */
export type StatusVerdict =
  /** Not retried; `resetAt` is set for a 429 that will not lift within this call. */
  | { readonly kind: 'final'; readonly resetAt: Date | null }
  | { readonly kind: 'retry'; readonly hintMs: number | null }
  /** The free-tier daily cap (or a limit hours away): RATE_LIMITED_DAILY. */
  | { readonly kind: 'rate-limited-daily'; readonly resetAt: Date | null };

export interface StatusFacts {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly apiError: ApiErrorInfo | null;
  readonly safety: RequestSafety;
  readonly nowMs: number;
  /** The caller's deadline (epoch ms), when known. */
  readonly deadlineAtMs: number | null;
  readonly settings: RetrySettings;
}

/**
 * Judges a non-2xx answer. The free-tier daily cap is never retried, nor is any 429 whose
 * `X-RateLimit-Reset` lies beyond what this call can wait (the deadline, or `maxRetryAfterMs`
 * without one): retrying before the reset only earns more 429s, and OpenRouter counts failed
 * attempts against free-model limits. Such a 429 is reported as RATE_LIMITED_DAILY when the body
 * names the daily cap or the reset is more than LONG_RESET_MS away, else as the plain 429 with
 * `resetAt` (a per-minute limit is not a daily cap). Other retryable 429s wait for the reset when
 * the server gave no Retry-After.
 */
export function judgeStatus(facts: StatusFacts): StatusVerdict {
  const { status, headers, apiError, safety, nowMs } = facts;
  const allowed = safety === 'idempotent' ? RETRYABLE_STATUSES : RETRYABLE_STATUSES_BILLABLE;
  let hintMs = retryHintMs(headers, apiError, nowMs);
  if (status === 429) {
    const resetAtMs = rateLimitResetAtMs(headers, apiError);
    const resetAt = resetAtMs === null ? null : new Date(resetAtMs);
    if (isFreeTierDailyCap(apiError)) return { kind: 'rate-limited-daily', resetAt };
    if (resetAtMs !== null) {
      // As planWait judges the wait: a wait must end before the deadline, and may last exactly
      // maxRetryAfterMs without one. A reset at the deadline is reported with its time, never
      // retried into a deadline error that has lost it.
      const beyondReach =
        facts.deadlineAtMs !== null
          ? resetAtMs >= facts.deadlineAtMs
          : resetAtMs > nowMs + facts.settings.maxRetryAfterMs;
      if (beyondReach) {
        return resetAtMs - nowMs > LONG_RESET_MS
          ? { kind: 'rate-limited-daily', resetAt }
          : { kind: 'final', resetAt };
      }
      hintMs ??= Math.max(0, resetAtMs - nowMs);
    }
  }
  if (status === 402 && isTransientPaymentRequired(apiError, hintMs)) return { kind: 'retry', hintMs };
  return allowed.has(status) ? { kind: 'retry', hintMs } : { kind: 'final', resetAt: null };
}

/**
 * A 402 that will lift by itself: the in-flight spending budget (requests still settling), which
 * OpenRouter sends with `Retry-After` (openrouter-api-more.md §8; openrouter.ai/docs/use-cases/limits).
 * Any 402 with a retry hint is taken the same way. The request was refused before any provider saw
 * it, so even a completion may be repeated. Every other 402 needs credits and is final.
 */
export function isTransientPaymentRequired(apiError: ApiErrorInfo | null, hintMs: number | null): boolean {
  return apiError?.limitSource === 'openrouter_in_flight_budget' || hintMs !== null;
}

/** Capped exponential backoff with "equal jitter": half the step is fixed, half random. */
export function backoffDelayMs(retryNumber: number, settings: RetrySettings, random: () => number): number {
  const step = Math.min(settings.maxDelayMs, settings.minDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * The wait before retry number `retryNumber` (1-based), or null when the call should end now: the
 * server asked for a longer wait than allowed, or the wait would end after the caller's deadline.
 */
export function planWait(
  retryNumber: number,
  hintMs: number | null,
  settings: RetrySettings,
  nowMs: number,
  deadlineAtMs: number | null,
  random: () => number,
): number | null {
  if (deadlineAtMs === null && (hintMs ?? 0) > settings.maxRetryAfterMs) return null;
  const waitMs = Math.max(backoffDelayMs(retryNumber, settings, random), hintMs ?? 0);
  if (deadlineAtMs !== null && nowMs + waitMs >= deadlineAtMs) return null;
  return waitMs;
}

/** The result of one attempt, as the loop sees it. */
export type AttemptOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly error: OpenRouterError;
      readonly retryable: boolean;
      readonly hintMs: number | null;
    };

export interface RetryEvent {
  readonly endpoint: string;
  /** The attempt that just failed (1-based). */
  readonly attempt: number;
  readonly waitMs: number;
  readonly code: string;
  readonly status: number | undefined;
}

export interface RetryLoopContext {
  readonly endpoint: string;
  readonly settings: RetrySettings;
  /** The caller's signal: ends a wait (or the loop) with TIMEOUT. */
  readonly signal: AbortSignal | undefined;
  readonly deadlineAtMs: number | null;
  readonly now: () => number;
  readonly random: () => number;
  readonly onRetry?: (event: RetryEvent) => void;
}

/** The error for a call the caller's signal ended. */
export function deadlineError(endpoint: string, attempts: number): OpenRouterError {
  return new OpenRouterError('TIMEOUT', `OpenRouter request to ${endpoint} stopped at the deadline`, {
    endpoint,
    attempts,
  });
}

/**
 * Runs `attempt` until it succeeds, fails for good, runs out of retries or of time. Every error
 * it throws is an OpenRouterError whose `attempts` says how many requests were sent.
 */
export async function runWithRetries<T>(
  attempt: (attemptNumber: number) => Promise<AttemptOutcome<T>>,
  ctx: RetryLoopContext,
): Promise<T> {
  // Checked once: any later abort is met by the wait, whose timer rejects at once on an aborted
  // signal, and the catch below ends the call.
  if (ctx.signal?.aborted) throw deadlineError(ctx.endpoint, 0);
  for (let attemptNumber = 1; ; attemptNumber++) {
    const outcome = await attempt(attemptNumber);
    if (outcome.ok) return outcome.value;
    const failed = withErrorDetails(outcome.error, { attempts: attemptNumber });
    if (!outcome.retryable || attemptNumber > ctx.settings.maxRetries) throw failed;
    const waitMs = planWait(
      attemptNumber,
      outcome.hintMs,
      ctx.settings,
      ctx.now(),
      ctx.deadlineAtMs,
      ctx.random,
    );
    if (waitMs === null) throw failed;
    ctx.onRetry?.({
      endpoint: ctx.endpoint,
      attempt: attemptNumber,
      waitMs,
      code: failed.code,
      status: failed.status,
    });
    try {
      await delay(waitMs, undefined, ctx.signal ? { signal: ctx.signal } : undefined);
    } catch {
      // The only rejection of this timer is the caller's abort.
      throw deadlineError(ctx.endpoint, attemptNumber);
    }
  }
}
