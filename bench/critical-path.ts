import { KEYS_PAGE_SIZE, MAX_KEY_PAGES_IN_FLIGHT } from '../lambda/openrouter/client';
import type { Endpoint, TracedCall } from './api-trace';

/**
 * The critical path of an audit: the longest chain of requests that must follow one another. The
 * graph below is the engine's own dependency structure, read from the checks:
 * - auth (lambda/checks/auth.ts) verifies the API key and the management key together;
 * - test-request (lambda/checks/test-request.ts) sends the probes together with GET /key, one per
 *   model, and drops their answers if /key shows the key unusable;
 * - the key inventory (lambda/openrouter/key-inventory.ts) starts at once with GET /workspaces; each
 *   workspace's /keys pages (or, without the workspaces API, the default workspace's) wait for it;
 * - /keys pages go out in doubling rounds (lambda/openrouter/key-pages.ts): each round waits for the last;
 * - budgets not reported by /key are derived (lambda/checks/derived-budgets.ts): GET /guardrails,
 *   /guardrails/assignments/keys and /workspaces/{id}/budgets go out once GET /key names the key's
 *   workspace, or after the whole inventory when it does not;
 * - providers asks GET /models/{id}/endpoints at once for each configured model, spend-trend GET
 *   /activity at once; models needs GET /models alone.
 * Shared requests (lambda/engine/shared-requests.ts) are made once. `checkAgainstTrace` verifies
 * this model against the calls an audit actually made.
 */

/** One request (or one round of /keys pages) and the steps it must wait for. */
export interface RequestStep {
  readonly id: string;
  readonly endpoint: Endpoint;
  readonly after: readonly string[];
}

export interface AuditShape {
  readonly models: number;
  readonly probe: boolean;
  readonly managementKey: boolean;
  /** Keys in the account (decides the /keys rounds). */
  readonly accountKeys: number;
  /**
   * Whether the budget layers are derived from the management endpoints (/key reports none), and
   * what those requests wait for: GET /key when it names the key's workspace, else the inventory.
   */
  readonly derivedBudgets?: 'after-key' | 'after-inventory' | null;
}

/** Rounds of /keys requests for an account of `keys` keys: pages go out 1, 2, 4, … up to the window. */
export function keyPageRounds(keys: number, maxInFlight = MAX_KEY_PAGES_IN_FLIGHT): number {
  // The list ends at the first page with fewer than a full page of keys (possibly empty).
  const pagesNeeded = Math.floor(keys / KEYS_PAGE_SIZE) + 1;
  let asked = 0;
  let window = 1;
  let rounds = 0;
  while (asked < pagesNeeded) {
    asked += window;
    rounds += 1;
    window = Math.min(window * 2, maxInFlight);
  }
  return rounds;
}

/** The engine's request graph for an audit of this shape. */
export function auditRequestGraph(shape: AuditShape): RequestStep[] {
  const steps: RequestStep[] = [
    { id: 'GET /key', endpoint: 'key', after: [] },
    { id: 'GET /models', endpoint: 'models', after: [] },
  ];
  if (shape.managementKey) {
    steps.push({ id: 'GET /key (management)', endpoint: 'key-management', after: [] });
    steps.push({ id: 'GET /credits', endpoint: 'credits', after: [] });
    // /activity and /workspaces are weighted like the management reads nearest them (/credits, /keys).
    steps.push({ id: 'GET /activity', endpoint: 'credits', after: [] });
    steps.push({ id: 'GET /workspaces', endpoint: 'keys', after: [] });
    const rounds = keyPageRounds(shape.accountKeys);
    for (let round = 1; round <= rounds; round++) {
      steps.push({
        id: `GET /keys round ${round}`,
        endpoint: 'keys',
        after: [round === 1 ? 'GET /workspaces' : `GET /keys round ${round - 1}`],
      });
    }
    if (shape.derivedBudgets) {
      const after = shape.derivedBudgets === 'after-key' ? 'GET /key' : `GET /keys round ${rounds}`;
      for (const id of [
        'GET /guardrails',
        'GET /guardrails/assignments/keys',
        'GET /workspaces/{id}/budgets',
      ]) {
        steps.push({ id, endpoint: 'keys', after: [after] });
      }
    }
  }
  for (let model = 1; model <= shape.models; model++) {
    // The catalogue's per-model page, weighted like the catalogue itself.
    steps.push({ id: `GET /models/{id}/endpoints #${model}`, endpoint: 'models', after: [] });
  }
  if (shape.probe) {
    for (let model = 1; model <= shape.models; model++) {
      steps.push({ id: `POST /chat/completions #${model}`, endpoint: 'chat', after: [] });
    }
  }
  return steps;
}

export interface CriticalPath {
  readonly ms: number;
  /** The step ids of the longest chain, first to last. */
  readonly chain: readonly string[];
}

/** The longest chain by total weight (ms) through the graph. Throws on a cycle or an unknown step. */
export function criticalPath(
  steps: readonly RequestStep[],
  weightMs: (step: RequestStep) => number,
): CriticalPath {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const memo = new Map<string, CriticalPath>();
  const visiting = new Set<string>();
  const longestTo = (step: RequestStep): CriticalPath => {
    const known = memo.get(step.id);
    if (known) return known;
    if (visiting.has(step.id)) throw new Error(`request graph has a cycle at ${step.id}`);
    visiting.add(step.id);
    let best: CriticalPath = { ms: 0, chain: [] };
    for (const id of step.after) {
      const before = byId.get(id);
      if (!before) throw new Error(`request graph: ${step.id} waits for unknown ${id}`);
      const path = longestTo(before);
      if (path.ms > best.ms) best = path;
    }
    visiting.delete(step.id);
    const path = { ms: best.ms + weightMs(step), chain: [...best.chain, step.id] };
    memo.set(step.id, path);
    return path;
  };
  let longest: CriticalPath = { ms: 0, chain: [] };
  for (const step of steps) {
    const path = longestTo(step);
    if (path.ms > longest.ms) longest = path;
  }
  return longest;
}

/** Round trips on the longest chain (every step weighs one). */
export function roundTrips(steps: readonly RequestStep[]): number {
  return criticalPath(steps, () => 1).ms;
}

/**
 * Round trips on the deepest chain of calls an audit actually made, given the injected latency: a
 * call follows another when it started after that one ended, and a call lasting n latencies (the
 * /keys listing) counts n round trips. Meaningful only when the latency dwarfs the engine's own work.
 */
export function observedRoundTrips(calls: readonly TracedCall[], latencyMs: number): number {
  const sorted = [...calls].sort((a, b) => a.startMs - b.startMs);
  const depth = new Map<TracedCall, number>();
  let deepest = 0;
  for (const call of sorted) {
    let before = 0;
    for (const other of sorted) {
      if (other === call || other.endMs > call.startMs) continue;
      before = Math.max(before, depth.get(other) ?? 0);
    }
    const own = Math.max(1, Math.round((call.endMs - call.startMs) / latencyMs));
    depth.set(call, before + own);
    deepest = Math.max(deepest, before + own);
  }
  return deepest;
}

/** A step's request without its round or model number: `GET /keys round 3` → `GET /keys`. */
const requestLabel = (step: RequestStep): string => step.id.replace(/ (round \d+|#\d+)$/, '');

/** Every chain of the most round trips, by request (the three probes make one chain), e.g. `GET /key → POST /chat/completions`. */
export function longestChains(steps: readonly RequestStep[]): string[] {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const chainsTo = (step: RequestStep): RequestStep[][] => {
    const before = step.after.flatMap((id) => {
      const previous = byId.get(id);
      return previous ? chainsTo(previous) : [];
    });
    return before.length === 0 ? [[step]] : before.map((chain) => [...chain, step]);
  };
  const all = steps.flatMap(chainsTo);
  const most = Math.max(0, ...all.map((chain) => chain.length));
  const labels = all
    .filter((chain) => chain.length === most)
    .map((chain) => chain.map(requestLabel).join(' → '));
  return [...new Set(labels)];
}
