import { describe, expect, it } from 'vitest';
import type { AlertState, UndeliveredAlert } from '../../lambda/alerts/alert-state';
import { type AlertPlan, decideAlert, type PlannedCheck } from '../../lambda/alerts/decide-alert';
import { type AuditResult, CHECK_IDS, type CheckId } from '../../lambda/engine/result';
import { auditResult, DEPLOYMENT, hoursAfter, storedState, T0 } from './fixtures';

const NOW = hoursAfter(1);

function decide(
  previous: AlertState | null | 'unreadable',
  result: AuditResult,
  now = NOW,
  reminderHours = 24,
) {
  return decideAlert({ previous, result, now, reminderHours, deploymentId: DEPLOYMENT });
}

const planned = (plan: AlertPlan | null, id: CheckId): PlannedCheck | undefined =>
  plan?.checks.find((c) => c.id === id);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('decideAlert', () => {
  it('sends one "started" alert on the first run, with every check covered', () => {
    const { alert, next } = decide(null, auditResult());

    expect(alert).toMatchObject({ kind: 'started', reason: 'first-run', deploymentId: DEPLOYMENT });
    expect(alert?.checks).toHaveLength(CHECK_IDS.length);
    expect(next.deploymentId).toBe(DEPLOYMENT);
    expect(next.updatedAt).toBe(NOW.toISOString());
    expect(next.checks.credits).toEqual({
      status: 'pass',
      since: NOW.toISOString(),
      lastAlertAt: NOW.toISOString(),
    });
  });

  it('reports the failing checks in the first-run alert rather than a separate problem alert', () => {
    const { alert } = decide(null, auditResult({ credits: 'fail' }));

    expect(alert?.kind).toBe('started');
    expect(planned(alert, 'credits')).toMatchObject({ status: 'fail', previous: null, change: 'unchanged' });
  });

  it('stays silent when nothing changed, keeping since and lastAlertAt', () => {
    const previous = storedState();
    const { alert, next } = decide(previous, auditResult());

    expect(alert).toBeNull();
    expect(next.updatedAt).toBe(NOW.toISOString());
    expect(next.checks).toEqual(previous.checks);
  });

  it('sends a problem alert when a check enters fail, covering only the failing check', () => {
    const previous = storedState();
    const { alert, next } = decide(previous, auditResult({ credits: 'fail' }));

    expect(alert).toMatchObject({ kind: 'problem', reason: 'changed' });
    expect(planned(alert, 'credits')).toMatchObject({ previous: 'pass', change: 'new-problem' });
    expect(next.checks.credits).toEqual({
      status: 'fail',
      since: NOW.toISOString(),
      lastAlertAt: NOW.toISOString(),
    });
    expect(next.checks.auth).toEqual(previous.checks.auth);
  });

  it('sends a problem alert when a check enters error', () => {
    const { alert } = decide(storedState(), auditResult({ models: 'error' }));

    expect(alert?.kind).toBe('problem');
    expect(planned(alert, 'models')?.change).toBe('new-problem');
  });

  it('stays silent while a check keeps failing and its reminder is not due', () => {
    const previous = storedState({
      credits: { status: 'fail', since: T0.toISOString(), lastAlertAt: T0.toISOString() },
    });
    const { alert, next } = decide(previous, auditResult({ credits: 'fail' }), hoursAfter(23));

    expect(alert).toBeNull();
    expect(next.checks.credits).toEqual(previous.checks.credits);
  });

  it.each([
    { hoursSinceAlert: 23.9, reminderHours: 24, kind: null },
    { hoursSinceAlert: 24, reminderHours: 24, kind: 'reminder' },
    { hoursSinceAlert: 30, reminderHours: 24, kind: 'reminder' },
    { hoursSinceAlert: 6, reminderHours: 4, kind: 'reminder' },
    { hoursSinceAlert: 500, reminderHours: 0, kind: null },
    { hoursSinceAlert: 500, reminderHours: Number.NaN, kind: null },
    { hoursSinceAlert: 500, reminderHours: Number.POSITIVE_INFINITY, kind: null },
  ])(
    'sends $kind $hoursSinceAlert h after the last alert with reminderHours $reminderHours',
    ({ hoursSinceAlert, reminderHours, kind }) => {
      const previous = storedState({ credits: { status: 'fail', lastAlertAt: T0.toISOString() } });
      const { alert } = decide(
        previous,
        auditResult({ credits: 'fail' }),
        hoursAfter(hoursSinceAlert),
        reminderHours,
      );

      expect(alert?.kind ?? null).toBe(kind);
    },
  );

  it('folds every still-failing check into a due reminder and restarts all their reminder clocks', () => {
    const now = hoursAfter(24);
    const previous = storedState({
      credits: { status: 'fail', lastAlertAt: T0.toISOString() },
      models: { status: 'error', lastAlertAt: hoursAfter(20).toISOString() },
    });
    const { alert, next } = decide(previous, auditResult({ credits: 'fail', models: 'error' }), now);

    expect(alert).toMatchObject({ kind: 'reminder', reason: 'reminder-due' });
    expect(next.checks.credits?.lastAlertAt).toBe(now.toISOString());
    expect(next.checks.models?.lastAlertAt).toBe(now.toISOString());
    expect(next.checks.credits?.since).toBe(T0.toISOString());
    expect(next.checks.auth?.lastAlertAt).toBe(T0.toISOString());
  });

  it('sends a resolved notice when a failing check recovers', () => {
    const previous = storedState({ credits: { status: 'fail' } });
    const { alert, next } = decide(previous, auditResult({ credits: 'pass' }));

    expect(alert).toMatchObject({ kind: 'resolved', reason: 'changed' });
    expect(planned(alert, 'credits')).toMatchObject({ previous: 'fail', status: 'pass', change: 'resolved' });
    expect(next.checks.credits).toEqual({
      status: 'pass',
      since: NOW.toISOString(),
      lastAlertAt: NOW.toISOString(),
    });
  });

  it.each(['warn', 'skip'] as const)('counts a recovery to %s as resolved', (status) => {
    const { alert } = decide(storedState({ credits: { status: 'error' } }), auditResult({ credits: status }));

    expect(alert?.kind).toBe('resolved');
  });

  it('combines a new problem and a recovery in one problem alert', () => {
    const previous = storedState({ credits: { status: 'fail' } });
    const { alert, next } = decide(previous, auditResult({ models: 'fail' }));

    expect(alert?.kind).toBe('problem');
    expect(planned(alert, 'credits')?.change).toBe('resolved');
    expect(planned(alert, 'models')?.change).toBe('new-problem');
    expect(next.checks.credits?.lastAlertAt).toBe(NOW.toISOString());
    expect(next.checks.models?.lastAlertAt).toBe(NOW.toISOString());
  });

  it('lists a check still failing beside a new problem and restarts its reminder clock', () => {
    const previous = storedState({ credits: { status: 'fail', lastAlertAt: T0.toISOString() } });
    const { alert, next } = decide(
      previous,
      auditResult({ credits: 'fail', models: 'fail' }),
      hoursAfter(20),
    );

    expect(planned(alert, 'credits')?.change).toBe('still-failing');
    expect(next.checks.credits?.lastAlertAt).toBe(hoursAfter(20).toISOString());
  });

  it.each([
    { from: 'pass', to: 'warn' },
    { from: 'warn', to: 'pass' },
    { from: 'pass', to: 'skip' },
    { from: 'skip', to: 'warn' },
  ] as const)('does not alert on $from -> $to alone but records the new status', ({ from, to }) => {
    const previous = storedState({ spend: { status: from } });
    const { alert, next } = decide(previous, auditResult({ spend: to }));

    expect(alert).toBeNull();
    expect(next.checks.spend).toEqual({
      status: to,
      since: NOW.toISOString(),
      lastAlertAt: T0.toISOString(),
    });
  });

  it('does not alert when a failing check turns from fail to error', () => {
    const previous = storedState({ credits: { status: 'fail', lastAlertAt: T0.toISOString() } });
    const { alert, next } = decide(previous, auditResult({ credits: 'error' }), hoursAfter(2));

    expect(alert).toBeNull();
    expect(next.checks.credits).toMatchObject({ status: 'error', lastAlertAt: T0.toISOString() });
  });

  it('shows warn changes in an alert that goes out anyway', () => {
    const { alert } = decide(storedState(), auditResult({ credits: 'fail', spend: 'warn' }));

    expect(planned(alert, 'spend')).toMatchObject({ previous: 'pass', status: 'warn', change: 'changed' });
  });

  it('sends "started" after a deployment, keeping when each unchanged status began', () => {
    const previous = storedState({ credits: { status: 'fail' } }, { deploymentId: 'deploy-0' });
    const { alert, next } = decide(previous, auditResult({ credits: 'fail' }));

    expect(alert).toMatchObject({ kind: 'started', reason: 'deployment-changed', deploymentId: DEPLOYMENT });
    expect(next.deploymentId).toBe(DEPLOYMENT);
    expect(next.checks.credits).toEqual({
      status: 'fail',
      since: T0.toISOString(),
      lastAlertAt: NOW.toISOString(),
    });
  });

  it('alerts as "started" when the state is unreadable and nothing fails', () => {
    const { alert, next } = decide('unreadable', auditResult({ spend: 'warn' }));

    expect(alert).toMatchObject({ kind: 'started', reason: 'state-unreadable' });
    expect(next.checks.spend).toEqual({
      status: 'warn',
      since: NOW.toISOString(),
      lastAlertAt: NOW.toISOString(),
    });
  });

  it('alerts as "problem" when the state is unreadable and a check fails', () => {
    const { alert } = decide('unreadable', auditResult({ credits: 'fail' }));

    expect(alert).toMatchObject({ kind: 'problem', reason: 'state-unreadable' });
  });

  it('keeps the stored entry of a check the result does not carry', () => {
    const previous = storedState({ keys: { status: 'fail' } });
    const full = auditResult({ keys: 'fail' });
    const partial: AuditResult = { ...full, checks: full.checks.filter((c) => c.id !== 'keys') };
    const { alert, next } = decide(previous, partial, hoursAfter(2));

    expect(alert).toBeNull();
    expect(next.checks.keys).toEqual(previous.checks.keys);
  });

  it('is pure: it never mutates its input and gives the same answer twice', () => {
    const previous = deepFreeze(storedState({ credits: { status: 'fail' } }));
    const result = deepFreeze(auditResult({ models: 'fail' }));

    const first = decide(previous, result);
    const second = decide(previous, result);

    expect(second).toEqual(first);
  });

  it('treats a future lastAlertAt (clock skew) as just reminded', () => {
    const previous = storedState({ credits: { status: 'fail', lastAlertAt: hoursAfter(100).toISOString() } });
    const { alert } = decide(previous, auditResult({ credits: 'fail' }), hoursAfter(50));

    expect(alert).toBeNull();
  });
});

describe('decideAlert: monitoring resumed after a gap', () => {
  const MINUTE_MS = 60_000;
  const at = (ms: number): Date => new Date(T0.getTime() + ms);
  const decideAfterGap = (
    now: Date,
    schedulePeriodMinutes: number | undefined,
    previous: AlertState = storedState(),
    result: AuditResult = auditResult(),
  ) =>
    decideAlert({
      previous,
      result,
      now,
      reminderHours: 24,
      deploymentId: DEPLOYMENT,
      ...(schedulePeriodMinutes === undefined ? {} : { schedulePeriodMinutes }),
    });

  // Hourly runs: the heartbeat alarm allows two periods and 15 minutes, 135 minutes in all.
  it('stays silent when the last run is exactly two periods and the grace ago', () => {
    expect(decideAfterGap(at(135 * MINUTE_MS), 60).alert).toBeNull();
  });

  it('announces the recovery one millisecond later, naming the last run before the gap', () => {
    const { alert } = decideAfterGap(at(135 * MINUTE_MS + 1), 60);

    expect(alert).toMatchObject({ kind: 'resolved', reason: 'resumed', lastRunAt: T0.toISOString() });
  });

  it('scales the gap with the period: every 5 minutes, 25 minutes is the limit', () => {
    expect(decideAfterGap(at(25 * MINUTE_MS), 5).alert).toBeNull();
    expect(decideAfterGap(at(25 * MINUTE_MS + 1), 5).alert?.reason).toBe('resumed');
  });

  it('sends the resumed alert as a problem when a check fails, and covers every check', () => {
    const now = at(135 * MINUTE_MS + 1);
    const { alert, next } = decideAfterGap(now, 60, storedState(), auditResult({ credits: 'fail' }));

    expect(alert).toMatchObject({ kind: 'problem', reason: 'resumed', lastRunAt: T0.toISOString() });
    expect(next.checks.credits?.lastAlertAt).toBe(now.toISOString());
    expect(next.checks.auth?.lastAlertAt).toBe(now.toISOString());
  });

  it('covers the passing checks too when all pass', () => {
    const now = at(135 * MINUTE_MS + 1);
    const { next } = decideAfterGap(now, 60);

    expect(next.checks.auth?.lastAlertAt).toBe(now.toISOString());
  });

  it.each([
    ['absent', undefined],
    ['0', 0],
    ['negative', -60],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
    ['minus infinity', Number.NEGATIVE_INFINITY],
  ])('never detects a gap when the period is %s', (_case, period) => {
    expect(decideAfterGap(hoursAfter(1000), period).alert).toBeNull();
  });

  it('never detects a gap from a stored time it cannot read', () => {
    const previous: AlertState = { ...storedState(), updatedAt: 'not a time' };

    expect(decideAfterGap(hoursAfter(1000), 60, previous).alert).toBeNull();
  });
});

describe('decideAlert: what each alert covers and carries', () => {
  // Credits failed half an hour ago and that alert missed a channel: no reminder is due yet.
  const undelivered = (missed: UndeliveredAlert): AlertState => ({
    ...storedState({ credits: { status: 'fail', lastAlertAt: hoursAfter(0.5).toISOString() } }),
    undelivered: missed,
  });

  it('sends a redelivery to the missed channels only, without restarting any reminder clock', () => {
    const previous = undelivered({
      channels: ['slack-webhook'],
      kind: 'problem',
      at: hoursAfter(0.5).toISOString(),
    });
    const decision = decide(previous, auditResult({ credits: 'fail' }));

    expect(decision.alert).toMatchObject({
      kind: 'problem',
      reason: 'redelivery',
      undeliveredAt: hoursAfter(0.5).toISOString(),
    });
    expect(decision.channels).toEqual(['slack-webhook']);
    expect(decision.next.checks.credits?.lastAlertAt).toBe(hoursAfter(0.5).toISOString());
    expect(decision.next.checks.auth?.lastAlertAt).toBe(T0.toISOString());
  });

  it('sends nothing for a recorded miss that names no channel', () => {
    const previous = undelivered({ channels: [], kind: 'problem', at: hoursAfter(0.5).toISOString() });
    const decision = decide(previous, auditResult({ credits: 'fail' }));

    expect(decision.alert).toBeNull();
    expect('channels' in decision).toBe(false);
  });

  it('leaves channels out of a decision that goes to every channel', () => {
    const decision = decide(storedState(), auditResult({ credits: 'fail' }));

    expect(decision.alert?.kind).toBe('problem');
    expect('channels' in decision).toBe(false);
  });

  it('covers every check with an unreadable-state problem alert, passing ones too', () => {
    const { alert, next } = decide('unreadable', auditResult({ credits: 'fail' }));

    expect(alert?.kind).toBe('problem');
    expect(next.checks.auth).toEqual({
      status: 'pass',
      since: NOW.toISOString(),
      lastAlertAt: NOW.toISOString(),
    });
  });

  it('plans an untouched check as unchanged, with a remedy only where the result has one', () => {
    const { alert } = decide(storedState(), auditResult({ credits: 'fail' }));

    expect(planned(alert, 'auth')).toStrictEqual({
      id: 'auth',
      status: 'pass',
      previous: 'pass',
      change: 'unchanged',
      since: T0.toISOString(),
      summary: 'auth: Looks healthy.',
    });
    expect(planned(alert, 'credits')?.remedy).toBe('Fix credits. Runbook: docs/runbooks.md#credits');
  });
});

describe('decideAlert: checks the stored state does not know', () => {
  const withoutEntry = (id: CheckId, base: AlertState = storedState()): AlertState => {
    const checks = { ...base.checks };
    delete checks[id];
    return { ...base, checks };
  };

  it('reminds at once about a failing check that no alert has covered yet', () => {
    const previous = storedState({ credits: { status: 'fail', lastAlertAt: null } });
    const { alert, next } = decide(previous, auditResult({ credits: 'fail' }));

    expect(alert).toMatchObject({ kind: 'reminder', reason: 'reminder-due' });
    expect(next.checks.credits?.lastAlertAt).toBe(NOW.toISOString());
  });

  it('alerts about a failing check with no stored entry and records that it was covered', () => {
    const { alert, next } = decide(withoutEntry('keys'), auditResult({ keys: 'fail' }));

    expect(alert).not.toBeNull();
    expect(planned(alert, 'keys')?.previous).toBeNull();
    expect(next.checks.keys).toEqual({
      status: 'fail',
      since: NOW.toISOString(),
      lastAlertAt: NOW.toISOString(),
    });
  });

  it('records a passing check with no stored entry as never covered by an alert', () => {
    const { alert, next } = decide(withoutEntry('keys'), auditResult());

    expect(alert).toBeNull();
    expect(next.checks.keys).toEqual({ status: 'pass', since: NOW.toISOString(), lastAlertAt: null });
  });
});
