import { setMaxListeners } from 'node:events';
import { CHECKS } from '../checks';
import type { Check, CheckContext, CheckOutcome } from './check';
import type { AuditConfig } from './config';
import { type AuditDeps, type AuditOptions, DEFAULT_AUDIT_TIMEOUT_MS } from './deps';
import { remedyForError } from './describe-error';
import { applyMutes } from './mutes';
import { type AuditResult, type CheckResult, countsAsProblem } from './result';
import { createSharedRequests } from './shared-requests';

/**
 * Runs every check concurrently under one deadline and returns one result per check, in
 * CHECK_IDS order. Never rejects: a check that throws or outlives the deadline becomes an
 * `error` result and the others still finish.
 */
export async function runAudit(
  config: AuditConfig,
  deps: AuditDeps,
  options: AuditOptions = {},
): Promise<AuditResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_AUDIT_TIMEOUT_MS;
  const startedAt = deps.now();
  const started = performance.now();
  const deadline = new AbortController();
  // Every check and every in-flight request or retry wait listens to this one signal at the same
  // time; Node's default of 10 would warn about a leak on an audit of a handful of models.
  setMaxListeners(DEADLINE_LISTENERS, deadline.signal);
  const timer = setTimeout(() => deadline.abort(new DeadlineExceeded(timeoutMs)), timeoutMs);
  const onOuterAbort = () => deadline.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();

  const deadlineAt = Date.now() + timeoutMs;
  const context: CheckContext = {
    config,
    deps,
    shared: createSharedRequests(deps.api, { signal: deadline.signal, deadlineAt }),
    now: startedAt,
    signal: deadline.signal,
    deadlineAt,
  };
  try {
    const measured = await Promise.all(CHECKS.map((check) => runCheck(check, context, timeoutMs)));
    const checks = applyMutes(measured, config.mute, startedAt);
    return {
      ok: !checks.some(countsAsProblem),
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      checks,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** Listeners the deadline signal may carry at once before Node warns of a leak. */
const DEADLINE_LISTENERS = 500;

class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`audit deadline of ${timeoutMs} ms exceeded`);
  }
}

async function runCheck(check: Check, context: CheckContext, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const deadline = deadlineOutcome(context.signal, timeoutMs);
  let outcome: CheckOutcome;
  try {
    outcome = await Promise.race([guarded(check, context), deadline.outcome]);
  } finally {
    deadline.dispose();
  }
  return {
    id: check.id,
    status: outcome.status,
    summary: outcome.summary,
    ...(outcome.remedy === undefined ? {} : { remedy: outcome.remedy }),
    values: outcome.values ?? {},
    durationMs: Math.round(performance.now() - started),
  };
}

async function guarded(check: Check, context: CheckContext): Promise<CheckOutcome> {
  try {
    return await check.run(context);
  } catch (error) {
    // A check is written not to throw; reaching here is a bug in it. Log the class of error only:
    // a raw error could carry request details.
    context.deps.logger.error('check threw', {
      check: check.id,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    if (context.signal.aborted) return timedOut(context.signal);
    return {
      status: 'error',
      summary: `${check.title}: internal error in the check`,
      remedy: remedyForError(error),
    };
  }
}

/**
 * Settles when the deadline fires, so that a check stuck on anything still yields a result.
 * `dispose` removes the listener once the check is done, so finished checks leave none behind.
 */
function deadlineOutcome(
  signal: AbortSignal,
  timeoutMs: number,
): { readonly outcome: Promise<CheckOutcome>; dispose(): void } {
  let settle = () => {};
  const outcome = new Promise<CheckOutcome>((resolve) => {
    settle = () => resolve(timedOut(signal, timeoutMs));
  });
  if (signal.aborted) settle();
  else signal.addEventListener('abort', settle, { once: true });
  return { outcome, dispose: () => signal.removeEventListener('abort', settle) };
}

function timedOut(signal: AbortSignal, timeoutMs?: number): CheckOutcome {
  const reason = signal.reason instanceof DeadlineExceeded ? signal.reason : undefined;
  const ms = reason?.timeoutMs ?? timeoutMs;
  return {
    status: 'error',
    summary:
      reason || ms !== undefined
        ? `did not finish within the audit's deadline of ${ms} ms`
        : 'the audit was cancelled',
    remedy:
      'An OpenRouter endpoint is hanging or very slow: check status.openrouter.ai, or raise --timeout. Runbook: docs/runbooks.md#provider-outage-or-model-retired',
  };
}
