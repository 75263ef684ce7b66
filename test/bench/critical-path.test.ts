import { describe, expect, it } from 'vitest';
import type { TracedCall } from '../../bench/api-trace';
import {
  auditRequestGraph,
  criticalPath,
  keyPageRounds,
  longestChains,
  observedRoundTrips,
  type RequestStep,
  roundTrips,
} from '../../bench/critical-path';

describe('keyPageRounds', () => {
  it.each([
    [0, 1],
    [5, 1],
    [99, 1],
    [100, 2],
    [250, 2],
    [300, 3],
    [1_499, 4],
    [10_000, 15],
  ])('lists %i keys in %i rounds of doubling windows', (keys, rounds) => {
    expect(keyPageRounds(keys, 8)).toBe(rounds);
  });
});

describe('auditRequestGraph', () => {
  it('sends the probes and the management key check together with GET /key: one round trip', () => {
    const graph = auditRequestGraph({ models: 3, probe: true, managementKey: false, accountKeys: 0 });
    expect(roundTrips(graph)).toBe(1);
    expect(longestChains(graph)).toContain('POST /chat/completions');
    expect(longestChains(graph)).toContain('GET /key');
  });

  it('lists the workspaces before their keys: two round trips with a management key', () => {
    const graph = auditRequestGraph({ models: 3, probe: true, managementKey: true, accountKeys: 5 });
    expect(roundTrips(graph)).toBe(2);
    expect(longestChains(graph)).toEqual(['GET /workspaces → GET /keys']);
  });

  it('asks for derived budgets after GET /key when it names the workspace, else after the inventory', () => {
    const shape = { models: 3, probe: true, managementKey: true, accountKeys: 5 } as const;
    const afterKey = auditRequestGraph({ ...shape, derivedBudgets: 'after-key' });
    expect(roundTrips(afterKey)).toBe(2);
    expect(longestChains(afterKey)).toContain('GET /key → GET /guardrails');
    expect(longestChains(afterKey)).toContain('GET /workspaces → GET /keys');
    const afterInventory = auditRequestGraph({ ...shape, derivedBudgets: 'after-inventory' });
    expect(roundTrips(afterInventory)).toBe(3);
    expect(longestChains(afterInventory)).toContain('GET /workspaces → GET /keys → GET /guardrails');
  });

  it('is one round trip deep without probes or a management key', () => {
    expect(
      roundTrips(auditRequestGraph({ models: 1, probe: false, managementKey: false, accountKeys: 0 })),
    ).toBe(1);
  });

  it('follows the /keys rounds on a large account', () => {
    const graph = auditRequestGraph({ models: 1, probe: true, managementKey: true, accountKeys: 10_000 });
    // GET /workspaces, then 15 rounds of pages.
    expect(roundTrips(graph)).toBe(16);
    expect(longestChains(graph)).toEqual([
      ['GET /workspaces', ...Array.from({ length: 15 }, () => 'GET /keys')].join(' → '),
    ]);
  });
});

describe('criticalPath', () => {
  const steps: RequestStep[] = [
    { id: 'a', endpoint: 'key', after: [] },
    { id: 'b', endpoint: 'chat', after: ['a'] },
    { id: 'c', endpoint: 'models', after: [] },
  ];

  it('takes the heaviest chain, not the longest', () => {
    const weights: Record<string, number> = { a: 10, b: 10, c: 25 };
    expect(criticalPath(steps, (s) => weights[s.id] ?? 0)).toEqual({ ms: 25, chain: ['c'] });
    expect(criticalPath(steps, () => 10)).toEqual({ ms: 20, chain: ['a', 'b'] });
  });

  it('refuses a cycle and an unknown step', () => {
    expect(() =>
      criticalPath(
        [
          { id: 'a', endpoint: 'key', after: ['b'] },
          { id: 'b', endpoint: 'key', after: ['a'] },
        ],
        () => 1,
      ),
    ).toThrow(/cycle/);
    expect(() => criticalPath([{ id: 'a', endpoint: 'key', after: ['x'] }], () => 1)).toThrow(/unknown x/);
  });
});

describe('observedRoundTrips', () => {
  const call = (label: string, startMs: number, endMs: number): TracedCall => ({
    endpoint: 'key',
    label,
    startMs,
    endMs,
  });

  it('counts a call that started after another ended as one more round trip', () => {
    expect(
      observedRoundTrips([call('key', 0, 101), call('models', 1, 102), call('chat', 102, 203)], 100),
    ).toBe(2);
  });

  it('counts concurrent calls once', () => {
    expect(observedRoundTrips([call('a', 0, 100), call('b', 1, 101), call('c', 2, 102)], 100)).toBe(1);
  });

  it('counts a call lasting several latencies (the /keys listing) as that many round trips', () => {
    expect(observedRoundTrips([call('keys', 0, 305), call('key', 0, 101)], 100)).toBe(3);
  });
});
