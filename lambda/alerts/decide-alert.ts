import { type AuditResult, type CheckId, type CheckStatus, isProblem } from '../engine/result';
import { muteNote } from '../render/mute-note';
import type { AlertDeliveryChannel, AlertState, CheckAlertState, StoredAlertKind } from './alert-state';

/**
 * - `started`: first run, a new deployment, or (with nothing failing) an unreadable state; shows
 *   the current state and proves the alert path works.
 * - `problem`: at least one check entered fail/error (recoveries in the same run ride along).
 * - `resolved`: at least one check left fail/error and none entered it.
 * - `reminder`: checks are still failing and the last alert about them is `reminderHours` old.
 */
export type AlertKind = StoredAlertKind;

/** Why the alert is sent; the renderer words the opening line from it. */
export type AlertReason =
  | 'first-run'
  | 'deployment-changed'
  | 'state-unreadable'
  | 'changed'
  | 'reminder-due'
  /** The first run after a gap longer than the heartbeat alarm allows: the auditor is back. */
  | 'resumed'
  /** Nothing new, but the last alert missed a channel: sent again to that channel only. */
  | 'redelivery';

/**
 * Where one check stands relative to the previous run.
 * - `new-problem`: entered fail/error from pass/warn/skip. A check the state does not know is
 *   `unchanged`: a first run or a new deployment reports it in its "started" alert, and in a known
 *   deployment a failing one is reminded at once (it has never been covered by an alert).
 * - `resolved`: left fail/error.
 * - `still-failing`: fail/error in both runs (fail ↔ error included: still a problem, no new alert).
 * - `changed`: any other status change (pass ↔ warn ↔ skip): never alerts by itself.
 * - `unchanged`: same status, or no previous state to compare with.
 */
export type CheckChangeKind = 'new-problem' | 'resolved' | 'still-failing' | 'changed' | 'unchanged';

export interface PlannedCheck {
  readonly id: CheckId;
  readonly status: CheckStatus;
  /** Status in the previous run; null when unknown (first run, unreadable state, new check). */
  readonly previous: CheckStatus | null;
  readonly change: CheckChangeKind;
  /** ISO-8601: since when the check has had `status`. */
  readonly since: string;
  readonly summary: string;
  readonly remedy?: string;
  /** A muted check keeps its status but never raises, resolves or reminds. */
  readonly muted?: true;
}

/** One alert to send: everything the renderer needs, nothing about how it is worded. */
export interface AlertPlan {
  readonly kind: AlertKind;
  readonly reason: AlertReason;
  readonly deploymentId: string;
  /** Every check of the run, in the result's order. */
  readonly checks: readonly PlannedCheck[];
  /** `resumed`: ISO-8601 time of the last run before the gap. */
  readonly lastRunAt?: string;
  /** `redelivery`: ISO-8601 time of the run whose alert was missed. */
  readonly undeliveredAt?: string;
}

export interface DecideAlertInput {
  /** The stored state; null when there is none; 'unreadable' when it exists but could not be used. */
  readonly previous: AlertState | null | 'unreadable';
  readonly result: AuditResult;
  readonly now: Date;
  /** Hours between reminders while a check stays failing; not finite or ≤ 0 disables reminders. */
  readonly reminderHours: number;
  readonly deploymentId: string;
  /**
   * Minutes between scheduled runs. When given, a run more than two periods (plus 15 minutes)
   * after the stored one announces that monitoring resumed: the heartbeat alarm has no OK action
   * (it would fire after every deploy), so this is how a recovery is heard.
   */
  readonly schedulePeriodMinutes?: number;
}

export interface AlertDecision {
  /** The alert to send this run, or null (at most one per run). */
  readonly alert: AlertPlan | null;
  /** The channels to send it to; absent: every channel. Set for a redelivery. */
  readonly channels?: readonly AlertDeliveryChannel[];
  /** The state to store once the alert (if any) is delivered. */
  readonly next: AlertState;
}

const HOUR_MS = 3_600_000;
/** Slack beyond two schedule periods before a gap counts: the heartbeat alarm's own allowance. */
const GAP_GRACE_MS = 15 * 60_000;

/**
 * Whether the last run is more than two periods (plus the grace) ago. No period, a period ≤ 0 and
 * NaN never detect a gap; neither do an infinite period and an unparsable `updatedAt`, because no
 * gap exceeds Infinity and every comparison with NaN is false.
 */
function resumedAfterGap(stored: AlertState, now: Date, periodMinutes = 0): boolean {
  return (
    periodMinutes > 0 &&
    now.getTime() - Date.parse(stored.updatedAt) > 2 * periodMinutes * 60_000 + GAP_GRACE_MS
  );
}

/** A status as alerts see it: a muted fail/error is not a problem while the mute lasts. */
const alerting = (status: CheckStatus, muted: boolean | undefined): boolean =>
  isProblem(status) && muted !== true;

function changeOf(
  previous: CheckStatus | null,
  previousMuted: boolean | undefined,
  status: CheckStatus,
  muted: boolean | undefined,
): CheckChangeKind {
  if (previous === null) return 'unchanged';
  const was = alerting(previous, previousMuted);
  const is = alerting(status, muted);
  if (was && is) return 'still-failing';
  if (!was && is) return 'new-problem';
  if (was && !is) return 'resolved';
  return previous === status ? 'unchanged' : 'changed';
}

function reminderDue(entry: CheckAlertState | undefined, now: Date, reminderHours: number): boolean {
  if (!Number.isFinite(reminderHours) || reminderHours <= 0) return false;
  if (entry?.lastAlertAt == null) return true;
  // An unparsable (NaN) or future timestamp (clock skew, hand edit) never reaches the positive
  // interval, so it counts as "reminded just now".
  return now.getTime() - Date.parse(entry.lastAlertAt) >= reminderHours * HOUR_MS;
}

/**
 * Decides whether this run sends an alert, and which, from the previous state and the result.
 * Pure: the clock is `now`; the same input always gives the same output.
 *
 * Rules (alert fatigue is the enemy; silence when something is wrong is worse):
 * - first run or new deployment → `started` with the current state;
 * - unreadable state → an alert anyway: `problem` if anything fails, else `started`;
 * - a check entering fail/error → `problem`; one leaving it → `resolved` (combined in one alert);
 * - checks still failing past `reminderHours` since their last alert → `reminder`;
 * - warn/skip transitions and fail ↔ error never alert alone; the body shows them when an alert goes;
 * - otherwise no alert.
 * A sent alert lists every failing check, so it "covers" (resets the reminder clock of) every
 * check it reports as failing or resolved; the others keep their `lastAlertAt`. A check missing
 * from the result keeps its stored entry unchanged.
 */
export function decideAlert(input: DecideAlertInput): AlertDecision {
  const { previous, result, now, reminderHours, deploymentId } = input;
  const nowIso = now.toISOString();
  const stored = previous === 'unreadable' ? null : previous;
  const sameDeployment = stored !== null && stored.deploymentId === deploymentId;

  const checks: PlannedCheck[] = result.checks.map((check) => {
    const before = stored?.checks[check.id];
    const previousStatus = before?.status ?? null;
    const change = changeOf(previousStatus, before?.muted, check.status, check.muted);
    const since = before?.status === check.status ? before.since : nowIso;
    return {
      id: check.id,
      status: check.status,
      previous: previousStatus,
      change,
      since,
      summary: check.summary + muteNote(check),
      ...(check.remedy === undefined ? {} : { remedy: check.remedy }),
      ...(check.muted === true ? { muted: true as const } : {}),
    };
  });

  const anyProblem = checks.some((c) => alerting(c.status, c.muted));
  const plan = (kind: AlertKind, reason: AlertReason): AlertPlan => ({ kind, reason, deploymentId, checks });

  let alert: AlertPlan | null;
  let channels: readonly AlertDeliveryChannel[] | undefined;
  if (previous === 'unreadable') {
    alert = plan(anyProblem ? 'problem' : 'started', 'state-unreadable');
  } else if (stored === null) {
    alert = plan('started', 'first-run');
  } else if (!sameDeployment) {
    alert = plan('started', 'deployment-changed');
  } else if (resumedAfterGap(stored, now, input.schedulePeriodMinutes)) {
    alert = {
      ...plan(anyProblem ? 'problem' : 'resolved', 'resumed'),
      lastRunAt: stored.updatedAt,
    };
  } else if (checks.some((c) => c.change === 'new-problem')) {
    alert = plan('problem', 'changed');
  } else if (checks.some((c) => c.change === 'resolved')) {
    alert = plan('resolved', 'changed');
  } else if (
    checks.some((c) => alerting(c.status, c.muted) && reminderDue(stored.checks[c.id], now, reminderHours))
  ) {
    alert = plan('reminder', 'reminder-due');
  } else if (stored.undelivered !== undefined && stored.undelivered.channels.length > 0) {
    alert = { ...plan(stored.undelivered.kind, 'redelivery'), undeliveredAt: stored.undelivered.at };
    channels = stored.undelivered.channels;
  } else {
    alert = null;
  }

  const covers = (c: PlannedCheck): boolean => {
    if (alert === null || alert.reason === 'redelivery') return false;
    if (alert.kind === 'started' || alert.reason === 'state-unreadable' || alert.reason === 'resumed')
      return true;
    return alerting(c.status, c.muted) || c.change === 'resolved';
  };

  const nextChecks: { [id in CheckId]?: CheckAlertState } = {};
  if (stored !== null) {
    // Entries for checks this result does not carry are kept as they were.
    Object.assign(nextChecks, stored.checks);
  }
  for (const c of checks) {
    nextChecks[c.id] = {
      status: c.status,
      since: c.since,
      // nextChecks[c.id] is still the stored entry here: each check is written once.
      lastAlertAt: covers(c) ? nowIso : (nextChecks[c.id]?.lastAlertAt ?? null),
      ...(c.muted === true ? { muted: true as const } : {}),
    };
  }

  return {
    alert,
    ...(channels === undefined ? {} : { channels }),
    // The daily digest's memory rides along untouched: alerting must not make a digest repeat.
    next: {
      version: 1,
      deploymentId,
      updatedAt: nowIso,
      checks: nextChecks,
      ...(stored?.digest === undefined ? {} : { digest: stored.digest }),
    },
  };
}
