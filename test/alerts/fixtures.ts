import type { AlertState, CheckAlertState, StateStore } from '../../lambda/alerts/alert-state';
import type { Logger } from '../../lambda/engine/logger';
import {
  type AuditResult,
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type CheckStatus,
} from '../../lambda/engine/result';

/** A fixed clock: every test computes its times from here. */
export const T0 = new Date('2026-03-02T09:00:00.000Z');
export const hoursAfter = (hours: number, from: Date = T0): Date =>
  new Date(from.getTime() + hours * 3_600_000);

export const DEPLOYMENT = 'deploy-1';

/** An obviously fake OpenRouter key, built at run time so no file holds a key-shaped literal. */
export const fakeKey = (pair = 'ab'): string => `sk-or-v1-${pair.repeat(32)}`;

const SUMMARY: Readonly<Record<CheckStatus, string>> = {
  pass: 'Looks healthy.',
  warn: 'Needs attention soon.',
  fail: 'Needs attention now.',
  error: 'Could not decide: the request timed out.',
  skip: 'Not applicable without a management key.',
};

export function check(id: CheckId, status: CheckStatus, overrides: Partial<CheckResult> = {}): CheckResult {
  const needsRemedy = status === 'warn' || status === 'fail' || status === 'error';
  return {
    id,
    status,
    summary: `${id}: ${SUMMARY[status]}`,
    ...(needsRemedy ? { remedy: `Fix ${id}. Runbook: docs/runbooks.md#${id}` } : {}),
    values: {},
    durationMs: 12,
    ...overrides,
  };
}

/** A result with every check id, `pass` unless listed; `overrides` replace whole check results. */
export function auditResult(
  statuses: { readonly [id in CheckId]?: CheckStatus } = {},
  overrides: { readonly [id in CheckId]?: Partial<CheckResult> } = {},
): AuditResult {
  const checks = CHECK_IDS.map((id) => check(id, statuses[id] ?? 'pass', overrides[id] ?? {}));
  return {
    ok: checks.every((c) => c.status !== 'fail' && c.status !== 'error'),
    startedAt: T0.toISOString(),
    durationMs: 850,
    checks,
  };
}

/** A stored state with every check id, `pass` since T0 unless listed. */
export function storedState(
  entries: { readonly [id in CheckId]?: Partial<CheckAlertState> } = {},
  options: { deploymentId?: string; updatedAt?: Date } = {},
): AlertState {
  const checks: { [id in CheckId]?: CheckAlertState } = {};
  for (const id of CHECK_IDS) {
    checks[id] = { status: 'pass', since: T0.toISOString(), lastAlertAt: T0.toISOString(), ...entries[id] };
  }
  return {
    version: 1,
    deploymentId: options.deploymentId ?? DEPLOYMENT,
    updatedAt: (options.updatedAt ?? T0).toISOString(),
    checks,
  };
}

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** A logger that keeps every line, to assert on what would be logged. */
export function captureLogger(): Logger & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void => {
      lines.push({ level, message, ...(fields === undefined ? {} : { fields }) });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () => JSON.stringify(lines),
  };
}

/** An in-memory StateStore that can be told to fail. */
export class MemoryStateStore implements StateStore {
  saved: AlertState[] = [];
  loadError: Error | null = null;
  saveError: Error | null = null;

  constructor(public current: AlertState | null = null) {}

  async load(): Promise<AlertState | null> {
    if (this.loadError !== null) throw this.loadError;
    return this.current;
  }

  async save(state: AlertState): Promise<void> {
    if (this.saveError !== null) throw this.saveError;
    this.saved.push(state);
    this.current = state;
  }
}
