/**
 * What an audit produces. Check ids, statuses and the JSON shape built from these types
 * (`ok`, `startedAt`, `durationMs`, `checks[]`) are a public contract: add fields, never rename.
 */
export const CHECK_IDS = [
  'auth',
  'key-limit',
  'credits',
  'key-age',
  'models',
  'test-request',
  'spend',
  'keys',
  'providers',
  'spend-trend',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'error', 'skip'] as const;
/**
 * - `pass`: healthy.  - `warn`: needs attention soon.  - `fail`: needs attention now.
 * - `error`: the check could not decide (timeout, malformed answer, …): treated like `fail` for exit codes and alerts.
 * - `skip`: not applicable with the given keys or config; `summary` says why.
 */
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

/** Outcome of one probe request (the `test-request` check), one per configured model. */
export interface ProbeOutcome {
  readonly [k: string]: JsonValue;
  /** The model that was asked for. */
  readonly model: string;
  readonly role: 'primary' | 'fallback';
  readonly ok: boolean;
  /** Wall time of the request, including retries. */
  readonly latencyMs: number | null;
  /** `usage.cost` in USD, when the API reported it. */
  readonly costUsd: number | null;
  /** The model OpenRouter says answered (`model` in the response). */
  readonly servedModel: string | null;
  /** Short human reason when `ok` is false. */
  readonly error: string | null;
  /**
   * What the probe had to adjust to get an answer, e.g. a provider's `max_tokens` minimum it was
   * retried at; null when it answered as asked.
   */
  readonly note: string | null;
}

export interface CheckResult {
  readonly id: CheckId;
  readonly status: CheckStatus;
  /** One line a human understands. Never contains a key. */
  readonly summary: string;
  /** What to do, in a sentence; present for warn, fail and error. */
  readonly remedy?: string;
  /** The measured values behind the verdict (documented per check in the README). */
  readonly values: { readonly [name: string]: JsonValue };
  /** Wall time the check took. */
  readonly durationMs: number;
  /** Present (true) while a `mute` entry covers the check: its status stays real but counts toward nothing. */
  readonly muted?: true;
  /** ISO-8601: when the mute ends. */
  readonly mutedUntil?: string;
  readonly muteReason?: string;
}

export interface AuditResult {
  /** True when no check that is not muted is `fail` or `error`. */
  readonly ok: boolean;
  /** ISO-8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** One result per check id, in CHECK_IDS order. */
  readonly checks: readonly CheckResult[];
}

export const isProblem = (status: CheckStatus): boolean => status === 'fail' || status === 'error';

/** A fail/error that counts: toward the verdict, the exit code and alerts. A muted check never does. */
export const countsAsProblem = (check: Pick<CheckResult, 'status' | 'muted'>): boolean =>
  isProblem(check.status) && check.muted !== true;
