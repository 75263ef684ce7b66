import { parseAuditConfig } from '../lambda/engine/config';
import { silentLogger } from '../lambda/engine/logger';
import { runAudit } from '../lambda/engine/run-audit';
import { createOpenRouterClient } from '../lambda/openrouter/client';

/**
 * The child side of the fault-memory figure: `node dist/bench.mjs fault-memory-child`. One audit,
 * as the CLI runs it, against the parent's misbehaving server, then one JSON line on stdout with
 * the process's peak RSS, so that the parent's servers and bodies are not counted.
 */

export const FAULT_CHILD_ENV = {
  baseUrl: 'BENCH_FAULT_BASE_URL',
  apiKey: 'BENCH_FAULT_API_KEY',
  managementKey: 'BENCH_FAULT_MANAGEMENT_KEY',
} as const;

/** The audit's deadline in a row: the fault matrix's, so hanging rows stay quick. */
export const FAULT_ROW_TIMEOUT_MS = 3500;

export interface FaultChildReport {
  readonly wallMs: number;
  /** `process.resourceUsage().maxRSS` at the end of the run, in kB. */
  readonly maxRssKb: number;
  /** Check id → status: proves the audit ended with a verdict. */
  readonly checks: Readonly<Record<string, string>>;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`fault-memory-child: ${name} is not set`);
  return value;
}

export async function runFaultMemoryChild(): Promise<void> {
  const started = performance.now();
  const client = createOpenRouterClient({
    baseUrl: required(FAULT_CHILD_ENV.baseUrl),
    apiKey: required(FAULT_CHILD_ENV.apiKey),
    managementKey: required(FAULT_CHILD_ENV.managementKey),
    logger: silentLogger,
  });
  try {
    const result = await runAudit(
      parseAuditConfig({ dailyBudgetUsd: 50 }),
      { api: client, now: () => new Date(), logger: silentLogger },
      { timeoutMs: FAULT_ROW_TIMEOUT_MS },
    );
    const report: FaultChildReport = {
      wallMs: performance.now() - started,
      maxRssKb: process.resourceUsage().maxRSS,
      checks: Object.fromEntries(result.checks.map((c) => [c.id, c.status])),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await client.close();
  }
}
