/**
 * credits' request pattern, with a hand-driven API: the derived budget requests go out as soon as
 * GET /key answers with the key's workspace, while /credits and the key inventory are still
 * pending (a round trip, across workspaces two, sooner than after them); without the workspace on
 * /key they must wait for the inventory, which says where the key lives.
 */
import { describe, expect, it } from 'vitest';
import { creditsCheck } from '../../lambda/checks/credits';
import type { CheckContext } from '../../lambda/engine/check';
import { DEFAULT_CONFIG } from '../../lambda/engine/config';
import { silentLogger } from '../../lambda/engine/logger';
import { createSharedRequests } from '../../lambda/engine/shared-requests';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import type { Credits, CurrentKey, KeyInventory, OpenRouterApi } from '../../lambda/openrouter/types';

const NOW = new Date('2026-11-25T12:00:00.000Z');

const currentKey: CurrentKey = {
  label: 'sk-or-v1-abc...def',
  limit: null,
  limitRemaining: null,
  limitReset: null,
  includeByokInLimit: null,
  usage: 5,
  usageDaily: 1,
  usageWeekly: 2,
  usageMonthly: 5,
  isFreeTier: false,
  isManagementKey: false,
  expiresAt: null,
  byokUsage: 0,
  byokUsageDaily: 0,
  byokUsageWeekly: 0,
  byokUsageMonthly: 0,
  workspaceId: 'ws-1',
  budgets: null,
  effectiveBudget: null,
  problems: [],
};

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

const unused = () => Promise.reject(new OpenRouterError('NETWORK', 'not used in this test'));

/** An API whose /key, /credits and inventory answers the test releases by hand, recording calls. */
function handDrivenApi() {
  const key = deferred<CurrentKey>();
  const credits = deferred<Credits>();
  const inventory = deferred<KeyInventory>();
  const calls: string[] = [];
  const api: OpenRouterApi = {
    hasApiKey: true,
    hasManagementKey: true,
    getCurrentKey: () => {
      calls.push('/key');
      return key.promise;
    },
    getCredits: () => {
      calls.push('/credits');
      return credits.promise;
    },
    listAllKeys: unused,
    listKeyInventory: () => {
      calls.push('inventory');
      return inventory.promise;
    },
    listGuardrails: (workspaceId) => {
      calls.push(`/guardrails ${workspaceId}`);
      return Promise.resolve([]);
    },
    listGuardrailKeyAssignments: () => {
      calls.push('/guardrails/assignments/keys');
      return Promise.resolve([]);
    },
    getWorkspaceBudgets: (workspaceId) => {
      calls.push(`/workspaces/${workspaceId}/budgets`);
      return Promise.resolve({
        budgets: [{ limitUsd: 20, resetInterval: null }],
        includeByokInBudgets: null,
      });
    },
    getManagementKeyInfo: unused,
    listWorkspaceKeys: unused,
    listModels: unused,
    getModelEndpoints: unused,
    getActivity: unused,
    chatCompletion: unused,
  };
  const context: CheckContext = {
    config: DEFAULT_CONFIG,
    deps: { api, now: () => NOW, logger: silentLogger },
    shared: createSharedRequests(api, {}),
    now: NOW,
    signal: new AbortController().signal,
    deadlineAt: NOW.getTime() + 10_000,
  };
  return { key, credits, inventory, calls, context };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const BUDGET_CALLS = ['/guardrails ws-1', '/guardrails/assignments/keys', '/workspaces/ws-1/budgets'];

describe('credits requests', () => {
  it('asks for the derived budgets once GET /key names the workspace, before the inventory answers', async () => {
    const { key, credits, inventory, calls, context } = handDrivenApi();
    const outcome = creditsCheck.run(context);
    await tick();
    expect(calls).not.toContain('/guardrails ws-1');
    key.resolve(currentKey);
    await tick();
    expect(calls).toEqual(expect.arrayContaining(BUDGET_CALLS));
    credits.resolve({ totalCredits: 100, totalUsage: 10 });
    inventory.resolve({ keys: [], workspaces: [], defaultWorkspaceOnly: null });
    const result = await outcome;
    expect(result.status).not.toBe('error');
    // Each budget request once: the early start and the later read share one derivation.
    for (const call of BUDGET_CALLS) expect(calls.filter((c) => c === call)).toHaveLength(1);
  });

  it('waits for the inventory when GET /key does not name the workspace', async () => {
    const { key, credits, inventory, calls, context } = handDrivenApi();
    const outcome = creditsCheck.run(context);
    key.resolve({ ...currentKey, workspaceId: null });
    credits.resolve({ totalCredits: 100, totalUsage: 10 });
    await tick();
    await tick();
    expect(calls.some((c) => c.startsWith('/guardrails'))).toBe(false);
    inventory.resolve({ keys: [], workspaces: [], defaultWorkspaceOnly: null });
    await outcome;
    expect(calls).toContain('/guardrails null');
  });
});
