/**
 * Boundary tests drive the real engine and client against the simulator, with the clock fixed and
 * the account's answers (`/key`, `/keys`, `/credits`, `/models`) injected verbatim, so that every
 * figure a check compares is exactly the one the test chose.
 */
import { afterEach } from 'vitest';
import type { AuditConfigInput } from '../../lambda/engine/config';
import type { AuditDeps } from '../../lambda/engine/deps';
import type { CheckId, CheckResult } from '../../lambda/engine/result';
import { auditSimulator, checkOf, FIXED_NOW, useSimulator } from '../support/audit-harness';

export const DAY_MS = 86_400_000;
/** The harness's clock: Wednesday 2026-11-25 12:00 UTC. */
export const NOW = FIXED_NOW;
/** An instant `days` days from NOW (negative: before), as the API writes it. */
export const daysFromNow = (days: number, now: Date = NOW): string =>
  new Date(now.getTime() + days * DAY_MS).toISOString();

/** Days elapsed in the UTC week (Monday 00:00) at `now`, computed here rather than by the product. */
export function daysIntoUtcWeek(now: Date): number {
  const weekday = (now.getUTCDay() + 6) % 7;
  const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - weekday);
  return (now.getTime() - monday) / DAY_MS;
}

export const LABEL = 'sk-or-v1-abc...def';

/** A `GET /key` body: a regular key with a $100 limit, nothing spent, no expiry. */
export function keyBody(data: Record<string, unknown> = {}): unknown {
  return {
    data: {
      label: LABEL,
      limit: 100,
      limit_remaining: 100,
      limit_reset: null,
      include_byok_in_limit: false,
      usage: 0,
      usage_daily: 0,
      usage_weekly: 0,
      usage_monthly: 0,
      is_free_tier: false,
      is_management_key: false,
      expires_at: null,
      ...data,
    },
  };
}

let hashes = 0;
/** One entry of a `GET /keys` page. */
export function listedKey(data: Record<string, unknown> = {}): Record<string, unknown> {
  hashes += 1;
  return {
    hash: `hash-${hashes}`,
    name: `key ${hashes}`,
    label: LABEL,
    disabled: false,
    limit: 100,
    limit_remaining: 100,
    limit_reset: null,
    include_byok_in_limit: false,
    usage: 0,
    usage_daily: 0,
    usage_weekly: 0,
    usage_monthly: 0,
    created_at: daysFromNow(-10),
    updated_at: null,
    expires_at: null,
    ...data,
  };
}

export const MODEL = 'openai/gpt-4o-mini';
export function modelsBody(models: readonly Record<string, unknown>[]): unknown {
  return { data: models.map((m) => ({ name: 'A model', pricing: { prompt: '0', completion: '0' }, ...m })) };
}

export interface Account {
  /** The API key's `GET /key` body. */
  readonly key?: unknown;
  /** `GET /keys` entries (one page). */
  readonly keys?: readonly Record<string, unknown>[];
  readonly credits?: { readonly total_credits: number; readonly total_usage: number };
  readonly models?: unknown;
  readonly config?: AuditConfigInput;
  readonly withoutManagementKey?: boolean;
  readonly deps?: Partial<AuditDeps>;
}

/** Starts the file's simulator; `runCheck` audits it with the account's answers injected. */
export function useBoundarySimulator() {
  const sim = useSimulator();
  afterEach(() => sim.current.clearFaults());
  const runCheck = async (id: CheckId, account: Account = {}): Promise<CheckResult> => {
    const s = sim.current;
    s.clearFaults();
    if (account.key !== undefined) s.injectFault('key', { kind: 'json', body: account.key, key: 'api' });
    if (account.keys !== undefined) s.injectFault('keys', { kind: 'json', body: { data: account.keys } });
    if (account.credits !== undefined)
      s.injectFault('credits', { kind: 'json', body: { data: account.credits } });
    if (account.models !== undefined) s.injectFault('models', { kind: 'json', body: account.models });
    const result = await auditSimulator(s, {
      config: { probe: false, ...account.config },
      ...(account.withoutManagementKey ? { withoutManagementKey: true } : {}),
      ...(account.deps ? { deps: account.deps } : {}),
    });
    return checkOf(result, id);
  };
  return Object.assign(runCheck, { sim });
}
