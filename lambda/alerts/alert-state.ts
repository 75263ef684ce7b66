import * as z from 'zod/mini';
import { CHECK_IDS, CHECK_STATUSES, type CheckId, type CheckStatus } from '../engine/result';
import { AlertError } from './errors';

/** The kinds of alert (see decide-alert.ts); stored with an undelivered alert. */
export const ALERT_KINDS = ['started', 'problem', 'resolved', 'reminder'] as const;
export type StoredAlertKind = (typeof ALERT_KINDS)[number];

/** The channels an alert goes to; the `Channel` values of AlertDeliveryFailures. */
export const ALERT_DELIVERY_CHANNELS = ['sns', 'slack-webhook'] as const;
export type AlertDeliveryChannel = (typeof ALERT_DELIVERY_CHANNELS)[number];

/** An alert that did not reach every channel: the next run sends it again to those that missed it. */
export interface UndeliveredAlert {
  readonly channels: readonly AlertDeliveryChannel[];
  /** The kind of the alert that was missed. */
  readonly kind: StoredAlertKind;
  /** ISO-8601: the run whose alert did not get through. */
  readonly at: string;
}

/** What the auditor remembers about one check between runs. */
export interface CheckAlertState {
  readonly status: CheckStatus;
  /** ISO-8601: when the check entered `status`. */
  readonly since: string;
  /** ISO-8601: when an alert last covered this check; null when none has. */
  readonly lastAlertAt: string | null;
  /** Set while a mute covered the check, so that the run after the mute ends alerts on a still-failing check. */
  readonly muted?: true;
}

/**
 * The alert state kept between scheduled runs, so that an alert goes out on a change (and as a
 * reminder) instead of on every run. Small by design: it must fit a free standard SSM parameter.
 */
export interface AlertState {
  readonly version: 1;
  /** The deployment that wrote this state; a different one triggers "monitoring started". */
  readonly deploymentId: string;
  /** ISO-8601: the run that wrote this state. */
  readonly updatedAt: string;
  readonly checks: { readonly [id in CheckId]?: CheckAlertState };
  /** Channels that missed the last alert; absent when every channel got it. */
  readonly undelivered?: UndeliveredAlert;
  /** The last daily digest (digest.ts): kept here so that a day's digest is never sent twice. */
  readonly digest?: DigestMemory;
}

/** What the daily digest remembers: the day it claimed, and the figures "since yesterday" compares to. */
export interface DigestMemory {
  /** `YYYY-MM-DD` (UTC) of the last digest claimed. */
  readonly day: string;
  readonly statuses: { readonly [id in CheckId]?: CheckStatus };
  readonly creditsUsd: number | null;
}

export interface StateStoreCallOptions {
  /** Ends the call (the invocation's deadline): it then fails as an unreadable or unwritten state. */
  readonly signal?: AbortSignal;
}

/** Where the alert state lives between runs. */
export interface StateStore {
  /**
   * The stored state, or null when the store holds nothing yet (no value, or `{}`).
   * @throws AlertError `STATE_UNREADABLE` or `STATE_CORRUPT` when a state exists but cannot be used.
   */
  load(options?: StateStoreCallOptions): Promise<AlertState | null>;
  /** @throws AlertError `STATE_WRITE_FAILED` or `STATE_TOO_LARGE`. */
  save(state: AlertState, options?: StateStoreCallOptions): Promise<void>;
}

/** Standard SSM parameters hold at most 4 KB; the state stays within it (it is about 1 KB). */
export const MAX_STATE_BYTES = 4096;

const isoInstant = z.iso.datetime();

const checkStateSchema = z.object({
  status: z.enum(CHECK_STATUSES),
  since: isoInstant,
  lastAlertAt: z.nullable(isoInstant),
  muted: z.optional(z.literal(true)),
});

const stateSchema = z.object({
  version: z.literal(1),
  deploymentId: z.string().check(z.maxLength(512)),
  updatedAt: isoInstant,
  // Keys are checked below rather than with an enum, so that a state written by a newer version
  // with an extra check id still loads after a rollback (the unknown id is dropped).
  checks: z.record(z.string(), checkStateSchema),
  undelivered: z.optional(
    z.object({
      channels: z.array(z.enum(ALERT_DELIVERY_CHANNELS)).check(z.maxLength(ALERT_DELIVERY_CHANNELS.length)),
      kind: z.enum(ALERT_KINDS),
      at: isoInstant,
    }),
  ),
  digest: z.optional(
    z.object({
      day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
      statuses: z.record(z.string(), z.enum(CHECK_STATUSES)),
      creditsUsd: z.nullable(z.number()),
    }),
  ),
});

// Widening the tuple to string[] only lets `includes` take any string; nothing is narrowed.
const isCheckId = (id: string): id is CheckId => (CHECK_IDS as readonly string[]).includes(id);

/**
 * Parses a stored state. Returns null for an empty store (empty string or `{}`).
 * @throws AlertError `STATE_CORRUPT` when the text is not a state this version can use.
 */
export function parseAlertState(text: string): AlertState | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (cause) {
    throw new AlertError('STATE_CORRUPT', 'The stored alert state is not JSON.', { cause });
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && Object.keys(json).length === 0) {
    return null;
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
    const where = fields.join(', ').slice(0, 200);
    throw new AlertError('STATE_CORRUPT', `The stored alert state is malformed at: ${where}.`);
  }
  const checks: { [id in CheckId]?: CheckAlertState } = {};
  for (const [id, state] of Object.entries(parsed.data.checks)) {
    if (isCheckId(id)) checks[id] = state;
  }
  const { undelivered } = parsed.data;
  const digest = parsed.data.digest;
  const statuses: { [id in CheckId]?: CheckStatus } = {};
  for (const [id, status] of Object.entries(digest?.statuses ?? {})) {
    if (isCheckId(id)) statuses[id] = status;
  }
  return {
    version: 1,
    deploymentId: parsed.data.deploymentId,
    updatedAt: parsed.data.updatedAt,
    checks,
    ...(undelivered === undefined || undelivered.channels.length === 0
      ? {}
      : { undelivered: { ...undelivered, channels: [...new Set(undelivered.channels)] } }),
    ...(digest === undefined ? {} : { digest: { day: digest.day, statuses, creditsUsd: digest.creditsUsd } }),
  };
}

/**
 * The stored form of a state: compact JSON.
 * @throws AlertError `STATE_TOO_LARGE` when it would not fit a standard SSM parameter.
 */
export function serializeAlertState(state: AlertState): string {
  const text = JSON.stringify(state);
  if (Buffer.byteLength(text, 'utf8') > MAX_STATE_BYTES) {
    throw new AlertError('STATE_TOO_LARGE', `The alert state exceeds ${MAX_STATE_BYTES} bytes.`);
  }
  return text;
}
