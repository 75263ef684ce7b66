import { reportedLayers } from '../lambda/checks/budget-layers';
import { createOpenRouterClient } from '../lambda/openrouter/client';
import { startSimulator } from '../simulator/server';
import type { Endpoint, TracedCall } from './api-trace';
import { type AuditTarget, assertHealthy, timeAudit } from './audit-run';
import { runChecklist } from './checklist';
import {
  auditRequestGraph,
  criticalPath,
  longestChains,
  observedRoundTrips,
  roundTrips,
} from './critical-path';
import { interleaved, median } from './measure';
import {
  BENCH_MODELS,
  benchConfig,
  CHECKLIST_LATENCY_MS,
  LATENCIES_MS,
  RUNS,
  SCALE_LATENCY_MS,
} from './scenario';

/** Figure 1 at one latency. */
export interface AuditAtLatency {
  readonly latencyMs: number;
  readonly wallMs: number;
  readonly criticalPathMs: number;
  readonly chain: readonly string[];
}

export interface LatencyFigures {
  /** Per-request time at 0 ms injected latency, by endpoint: the simulator's and client's own work. */
  readonly serviceMs: Readonly<Record<Endpoint, number>>;
  readonly audits: readonly AuditAtLatency[];
  /** Round trips on the modelled critical path, and on the deepest chain traced at the highest latency. */
  readonly modelRoundTrips: number;
  /** The chains of that many round trips, by endpoint. */
  readonly longestChains: readonly string[];
  readonly tracedRoundTrips: number;
  readonly tracedAtMs: number;
  /** Figure 2: the same requests one at a time, and the audit, at CHECKLIST_LATENCY_MS. */
  readonly checklistMs: number;
  readonly checklistRequests: number;
  readonly auditAtChecklistLatencyMs: number;
  /** Figure 3, models: audit wall time with the first model only and with all three. */
  readonly oneModelMs: number;
  readonly threeModelsMs: number;
}

/**
 * Whether the audit derives the key's budget layers from the management endpoints, and what those
 * requests wait for: read from the simulator's /key the way the checks read it (derived-budgets.ts).
 */
async function derivedBudgetsOf(target: AuditTarget): Promise<'after-key' | 'after-inventory' | null> {
  const client = createOpenRouterClient(target);
  try {
    const key = await client.getCurrentKey();
    if (reportedLayers(key) !== null) return null;
    return key.workspaceId === null ? 'after-inventory' : 'after-key';
  } finally {
    await client.close();
  }
}

const ENDPOINTS: readonly Endpoint[] = ['key', 'key-management', 'credits', 'keys', 'models', 'chat'];

/**
 * Figures 1 and 2 and the models growth, in this process against one healthy simulator (5 keys,
 * one page of /keys): the real engine and client, as the CLI runs them.
 */
export async function measureLatencyFigures(): Promise<LatencyFigures> {
  const sim = await startSimulator();
  try {
    const target: Required<AuditTarget> = {
      baseUrl: sim.baseUrl,
      apiKey: sim.apiKey,
      managementKey: sim.managementKey,
    };
    const config = benchConfig();
    const warm = await timeAudit(target, config);
    assertHealthy(warm.result, 'latency figures');
    for (let run = 1; run < RUNS.warmUp; run++) await timeAudit(target, config);
    const totalKeys = warm.result.checks.find((c) => c.id === 'keys')?.values.totalKeys;
    const graph = auditRequestGraph({
      models: config.models.length,
      probe: config.probe,
      managementKey: true,
      accountKeys: typeof totalKeys === 'number' ? totalKeys : 0,
      derivedBudgets: await derivedBudgetsOf(target),
    });

    // The cost of each request with no injected latency: the critical path's per-step overhead.
    const stepTimes = new Map<Endpoint, number[]>(ENDPOINTS.map((e) => [e, []]));
    for (let run = 0; run < RUNS.checklist; run++) {
      const { steps } = await runChecklist(target, config.models, config.probeMaxTokens);
      for (const step of steps) stepTimes.get(step.endpoint)?.push(step.ms);
    }
    const serviceMs = Object.fromEntries(
      ENDPOINTS.map((e) => [e, median(stepTimes.get(e) ?? [0])]),
    ) as Record<Endpoint, number>; // built from ENDPOINTS, which lists every Endpoint

    const audits: AuditAtLatency[] = [];
    let traced: readonly TracedCall[] = [];
    for (const latencyMs of LATENCIES_MS) {
      sim.setLatency(latencyMs);
      const walls: number[] = [];
      for (let run = 0; run < RUNS.audit; run++) {
        const audit = await timeAudit(target, config);
        assertHealthy(audit.result, `audit at ${latencyMs} ms`);
        walls.push(audit.wallMs);
        traced = audit.calls;
      }
      const path = criticalPath(graph, (step) => latencyMs + serviceMs[step.endpoint]);
      audits.push({ latencyMs, wallMs: median(walls), criticalPathMs: path.ms, chain: path.chain });
    }
    const tracedAtMs = LATENCIES_MS[LATENCIES_MS.length - 1] ?? 0;

    sim.setLatency(CHECKLIST_LATENCY_MS);
    const checklist = await interleaved(RUNS.checklist, {
      checklist: async () => (await runChecklist(target, config.models, config.probeMaxTokens)).totalMs,
      audit: async () => (await timeAudit(target, config)).wallMs,
    });
    const checklistRequests = (await runChecklist(target, config.models, config.probeMaxTokens)).steps.length;

    sim.setLatency(SCALE_LATENCY_MS);
    const oneModel = benchConfig(BENCH_MODELS.slice(0, 1));
    const models = await interleaved(RUNS.modelsGrowth, {
      one: async () => (await timeAudit(target, oneModel)).wallMs,
      three: async () => (await timeAudit(target, config)).wallMs,
    });

    return {
      serviceMs,
      audits,
      modelRoundTrips: roundTrips(graph),
      longestChains: longestChains(graph),
      tracedRoundTrips: observedRoundTrips(traced, tracedAtMs),
      tracedAtMs,
      checklistMs: median(checklist.checklist),
      checklistRequests,
      auditAtChecklistLatencyMs: median(checklist.audit),
      oneModelMs: median(models.one),
      threeModelsMs: median(models.three),
    };
  } finally {
    await sim.close();
  }
}
