import type { AuditConfig } from '../lambda/engine/config';
import { silentLogger } from '../lambda/engine/logger';
import type { AuditResult } from '../lambda/engine/result';
import { runAudit } from '../lambda/engine/run-audit';
import { createOpenRouterClient } from '../lambda/openrouter/client';
import { type TracedCall, traceApi } from './api-trace';

/** Where an audit sends its requests: the simulator's URL and keys. */
export interface AuditTarget {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Omitted: the audit runs without the management checks. */
  readonly managementKey?: string;
}

export interface TimedAudit {
  readonly wallMs: number;
  readonly result: AuditResult;
  readonly calls: readonly TracedCall[];
}

/** Options of one audit run besides its target and config. */
export interface AuditRunOptions {
  /** What the Lambda passes for `key-age` when it has no management key (the secret's date). */
  readonly keyCreatedAt?: { readonly date: Date; readonly source: string };
}

/**
 * One audit exactly as the CLI runs it (cli/audit-command.ts): a new client with its own
 * connection pool, the real engine, the client closed afterwards. The wall time covers the engine
 * only (client creation to result), not the closing of idle connections.
 */
export async function timeAudit(
  target: AuditTarget,
  config: AuditConfig,
  options: AuditRunOptions = {},
): Promise<TimedAudit> {
  const started = performance.now();
  const client = createOpenRouterClient({
    baseUrl: target.baseUrl,
    apiKey: target.apiKey,
    ...(target.managementKey === undefined ? {} : { managementKey: target.managementKey }),
  });
  const traced = traceApi(client);
  try {
    const result = await runAudit(config, {
      api: traced.api,
      now: () => new Date(),
      logger: silentLogger,
      ...(options.keyCreatedAt === undefined ? {} : { keyCreatedAt: options.keyCreatedAt }),
    });
    const wallMs = performance.now() - started;
    return { wallMs, result, calls: traced.calls };
  } finally {
    await client.close();
  }
}

/** Throws unless every check passed or skipped: a benchmark of a failing audit measures the wrong thing. */
export function assertHealthy(result: AuditResult, what: string): void {
  const bad = result.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip');
  if (bad.length > 0) {
    throw new Error(
      `${what}: the audit was not healthy: ${bad.map((c) => `${c.id} ${c.status}: ${c.summary}`).join('; ')}`,
    );
  }
}

/**
 * Throws when a check could not decide (`error`): the work was not done. Verdicts (warn, fail) are
 * fine: a 10,000-key account spends more than the credits check likes, and the audit still did it all.
 */
export function assertNoErrors(result: AuditResult, what: string): void {
  const bad = result.checks.filter((c) => c.status === 'error');
  if (bad.length > 0) {
    throw new Error(`${what}: checks could not run: ${bad.map((c) => `${c.id}: ${c.summary}`).join('; ')}`);
  }
}
