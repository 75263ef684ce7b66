import { afterAll, beforeAll } from 'vitest';
import type { AuditConfigInput } from '../../lambda/engine/config';
import { parseAuditConfig } from '../../lambda/engine/config';
import type { AuditDeps } from '../../lambda/engine/deps';
import { silentLogger } from '../../lambda/engine/logger';
import type { AuditResult, CheckId, CheckResult } from '../../lambda/engine/result';
import { runAudit } from '../../lambda/engine/run-audit';
import { createOpenRouterClient } from '../../lambda/openrouter/client';
import { startSimulator } from '../../simulator/server';
import type { Simulator, SimulatorOptions } from '../../simulator/types';

/** A fixed Wednesday noon (UTC), so that week-based spend figures are the same on every run. */
export const FIXED_NOW = new Date('2026-11-25T12:00:00.000Z');

/** Starts one simulator for the test file and closes it afterwards. */
export function useSimulator(options: SimulatorOptions = {}): { readonly current: Simulator } {
  const holder: { current: Simulator | undefined } = { current: undefined };
  beforeAll(async () => {
    holder.current = await startSimulator({ now: () => FIXED_NOW, ...options });
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  return {
    get current(): Simulator {
      if (!holder.current)
        throw new Error('simulator not started: useSimulator must be called at file level');
      return holder.current;
    },
  };
}

export interface AuditRun {
  readonly config?: AuditConfigInput;
  /** Omit the management key (as a user without one). */
  readonly withoutManagementKey?: boolean;
  readonly apiKey?: string;
  readonly deps?: Partial<AuditDeps>;
  readonly timeoutMs?: number;
}

/** Runs the real engine with the real client against the simulator. */
export async function auditSimulator(sim: Simulator, run: AuditRun = {}): Promise<AuditResult> {
  const api = createOpenRouterClient({
    baseUrl: sim.baseUrl,
    apiKey: run.apiKey ?? sim.apiKey,
    ...(run.withoutManagementKey ? {} : { managementKey: sim.managementKey }),
  });
  const deps: AuditDeps = { api, now: () => FIXED_NOW, logger: silentLogger, ...run.deps };
  return runAudit(parseAuditConfig(run.config ?? {}), deps, { timeoutMs: run.timeoutMs ?? 10_000 });
}

export function checkOf(result: AuditResult, id: CheckId): CheckResult {
  const match = result.checks.find((c) => c.id === id);
  if (!match) throw new Error(`no result for check ${id}`);
  return match;
}

/** A measured number from a check's values (fails the test when absent). */
export function measuredValue(result: AuditResult, id: CheckId, name: string): number {
  const value = checkOf(result, id).values[name];
  if (typeof value !== 'number')
    throw new Error(`check ${id} has no numeric value ${name}: ${JSON.stringify(value)}`);
  return value;
}
