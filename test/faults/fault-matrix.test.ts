/**
 * The fault matrix: every endpoint the audit calls × every way it can misbehave (fault-table.ts),
 * played against the simulator over real HTTP with the real client and engine. Each cell runs on a
 * simulator of its own, so cells run concurrently and a cell's request counts are its own.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, type ExpectStatic, it } from 'vitest';
import { type AuditConfigInput, parseAuditConfig } from '../../lambda/engine/config';
import { silentLogger } from '../../lambda/engine/logger';
import { type AuditResult, CHECK_IDS, type CheckResult, isProblem } from '../../lambda/engine/result';
import { runAudit } from '../../lambda/engine/run-audit';
import { createOpenRouterClient } from '../../lambda/openrouter/client';
import { startSimulator } from '../../simulator/server';
import type { Simulator } from '../../simulator/types';
import { FIXED_NOW } from '../support/audit-harness';
import {
  ENDPOINT,
  type Expectation,
  FAULT_CASES,
  type FaultCase,
  HUGE_BODY_BYTES,
  MATRIX_ROUTES,
  MATRIX_TIMEOUT_MS,
  type MatrixRoute,
  ROUTE_CHECK,
  requestsOnRoute,
} from './fault-table';

/** A budget, so that `spend` runs too: on the healthy account every check passes. */
const CONFIG = parseAuditConfig({ dailyBudgetUsd: 50 } satisfies AuditConfigInput);
/**
 * The deadline of the memory cells: the client's 16 MiB cap must end them, never the clock, so it
 * is far away; on a loaded machine, streaming 16 MiB can take longer than the matrix's deadline.
 */
const CAP_CELL_TIMEOUT_MS = 120_000;
/**
 * The memory a huge answer may cost: a quarter of the body. The client keeps at most its 16 MiB cap
 * of chunks, plus as much again of socket buffers awaiting collection (about 34 MiB measured, the
 * same for a 64 MiB or a 256 MiB body); reading the whole body would cost its full size.
 */
const MEMORY_BUDGET_BYTES = HUGE_BODY_BYTES / 4;

const MATRIX_BACKOFF = { minDelayMs: 5, maxDelayMs: 20 } as const;

interface Cell {
  readonly name: string;
  readonly route: MatrixRoute;
  readonly fault: FaultCase;
  readonly expected: Expectation;
}

function cellName(route: MatrixRoute, fault: FaultCase, expected: Expectation): string {
  const requests = requestsOnRoute(route, expected);
  const retried = expected.attempts > 1 ? ', retried' : '';
  return `${ENDPOINT[route]} answering ${fault.name} → ${ROUTE_CHECK[route]} ${expected.outcome.status} (${requests} request${requests === 1 ? '' : 's'}${retried})`;
}

const CELLS: readonly Cell[] = FAULT_CASES.flatMap((fault) =>
  MATRIX_ROUTES.map((route) => {
    const expected = fault.expect(route);
    return { name: cellName(route, fault, expected), route, fault, expected };
  }),
);

/** `[name, cell]` pairs: `%s` prints a test name whole, where `$name` would shorten it. */
const named = (cells: readonly Cell[]): [string, Cell][] => cells.map((cell) => [cell.name, cell]);

/** The route's normal answer, read before the fault is injected, for faults that reshape it. */
async function healthyBody(sim: Simulator, route: MatrixRoute): Promise<unknown> {
  const apiKey = { authorization: `Bearer ${sim.apiKey}` };
  const managementKey = { authorization: `Bearer ${sim.managementKey}` };
  const request: Record<MatrixRoute, [string, RequestInit]> = {
    key: ['/key', { headers: apiKey }],
    credits: ['/credits', { headers: managementKey }],
    keys: ['/keys?include_disabled=true&offset=0', { headers: managementKey }],
    models: ['/models', {}],
    chat: [
      '/chat/completions',
      {
        method: 'POST',
        headers: { ...apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: CONFIG.models[0],
          messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
          max_tokens: 1,
        }),
      },
    ],
  };
  const [path, init] = request[route];
  const response = await fetch(`${sim.baseUrl}${path}`, init);
  if (!response.ok) throw new Error(`the healthy simulator answered ${response.status} on ${path}`);
  return response.json();
}

interface Played {
  readonly result: AuditResult;
  readonly requests: number;
}

/** Starts a simulator, injects the cell's fault, runs one audit and closes everything. */
async function play(cell: Cell, during?: () => void, timeoutMs = MATRIX_TIMEOUT_MS): Promise<Played> {
  const sim = await startSimulator({ now: () => FIXED_NOW });
  const api = createOpenRouterClient({
    baseUrl: sim.baseUrl,
    apiKey: sim.apiKey,
    managementKey: sim.managementKey,
    // Backoff steps of a few ms: a cell retried 4 times would otherwise sleep up to 1.75 s of the
    // 3.5 s deadline, and on a loaded machine reach the deadline first. What is retried, and how
    // often, is the same; a server's Retry-After is still honoured in full.
    retry: MATRIX_BACKOFF,
  });
  try {
    const healthy = cell.fault.reshapes ? await healthyBody(sim, cell.route) : undefined;
    const fault = cell.fault.fault(cell.route, healthy);
    // GET /key goes out with both keys at once; the matrix is about the API key's.
    sim.injectFault(cell.route, cell.route === 'key' ? { ...fault, key: 'api' } : fault);
    sim.resetCounts();
    const timer = during === undefined ? undefined : setInterval(during, 5);
    try {
      const result = await runAudit(
        CONFIG,
        { api, now: () => FIXED_NOW, logger: silentLogger },
        { timeoutMs },
      );
      return { result, requests: sim.requestCount(cell.route) };
    } finally {
      clearInterval(timer);
    }
  } finally {
    // The simulator first: it ends hung answers, so the client's pool closes at once.
    await sim.close();
    await api.close();
  }
}

function checkOf(result: AuditResult, id: CheckResult['id']): CheckResult {
  const found = result.checks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no result for ${id}`);
  return found;
}

/** Everything the matrix promises for one cell. */
function assertCell(expect: ExpectStatic, cell: Cell, played: Played): void {
  const { result, requests } = played;
  const { expected, route } = cell;
  const report = result.checks.map((c) => `${c.id}: ${c.status}: ${c.summary}`).join('\n');

  // The audit ends, whatever the endpoint does: a hang or a stall never ends by itself, so an
  // audit that ignored its deadline would never get here (the hanging cells' summaries name the
  // deadline). No stopwatch: on a loaded machine the end comes later, never wrongly.
  expect(result.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);

  // The route's own check reaches the expected verdict, saying why.
  const own = checkOf(result, ROUTE_CHECK[route]);
  expect(own.status, report).toBe(expected.outcome.status);
  expect(own.summary, report).toMatch(expected.outcome.summary);
  if (expected.outcome.values) expect(own.values).toMatchObject(expected.outcome.values);
  if (expected.minDurationMs !== undefined)
    expect(own.durationMs).toBeGreaterThanOrEqual(expected.minDurationMs);

  // The checks that read the same answer react as documented; every other check is unaffected.
  for (const check of result.checks) {
    if (check.id === ROUTE_CHECK[route]) continue;
    const other = expected.others[check.id] ?? { status: 'pass' };
    expect(check.status, `${check.id}: ${check.summary}`).toBe(other.status);
    if (other.summary) expect(check.summary, check.id).toMatch(other.summary);
    if (other.values) expect(check.values, check.id).toMatchObject(other.values);
  }

  // Every problem tells a human what to do.
  for (const check of result.checks.filter((c) => isProblem(c.status) || c.status === 'warn')) {
    expect(check.remedy, check.id).toMatch(/Runbook: docs\/runbooks\.md#[a-z-]+/);
  }
  expect(result.ok).toBe(!result.checks.some((c) => isProblem(c.status)));

  // Retries happen exactly where the policy allows them.
  expect(requests, report).toBe(requestsOnRoute(route, expected));
}

describe.concurrent('fault matrix: every endpoint × every fault ends in a clear verdict, inside the deadline', () => {
  it.for(named(CELLS.filter((cell) => !cell.fault.measuresMemory)))('%s', async ([, cell], { expect }) => {
    assertCell(expect, cell, await play(cell));
  });
});

/**
 * A full collection, so that the baseline holds no garbage of earlier cells. `--expose-gc` set at
 * run time reaches only new contexts, hence the function is taken from one.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
}

describe('fault matrix: a body far over the cap costs bounded memory', () => {
  const cells = CELLS.filter((cell) => cell.fault.measuresMemory);
  // One unmeasured run first: the heap grows once to its working size, which is not the body's cost.
  beforeAll(async () => {
    const [first] = cells;
    if (first !== undefined) await play(first, undefined, CAP_CELL_TIMEOUT_MS);
  }, CAP_CELL_TIMEOUT_MS);

  // One at a time, so that no other cell's traffic shows in the measurement.
  it.for(named(cells))('%s', { timeout: CAP_CELL_TIMEOUT_MS }, async ([, cell], { expect }) => {
    collectGarbage();
    const before = process.memoryUsage();
    const baseline = before.rss;
    const baselineHeap = before.heapUsed + before.arrayBuffers;
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss - baseline);
      peakHeap = Math.max(peakHeap, now.heapUsed + now.arrayBuffers - baselineHeap);
    };
    const played = await play(cell, sample, CAP_CELL_TIMEOUT_MS);
    sample();

    assertCell(expect, cell, played);
    // Streamed and cut at the cap: nowhere near the whole body in memory, at any moment.
    expect(peakHeap).toBeLessThan(MEMORY_BUDGET_BYTES);
    expect(peakRss).toBeLessThan(MEMORY_BUDGET_BYTES);
  });
});
