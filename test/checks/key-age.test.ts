/**
 * key-age's request pattern, with a hand-driven API: the key list must be asked for while GET /key
 * is still pending (one round trip, not two), and a failure of either must stay handled.
 */
import { describe, expect, it } from 'vitest';
import { keyAgeCheck } from '../../lambda/checks/key-age';
import type { CheckContext } from '../../lambda/engine/check';
import { DEFAULT_CONFIG } from '../../lambda/engine/config';
import { silentLogger } from '../../lambda/engine/logger';
import { createSharedRequests } from '../../lambda/engine/shared-requests';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import type { CurrentKey, KeyInfo, OpenRouterApi } from '../../lambda/openrouter/types';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const LABEL = 'sk-or-v1-abc...def';

const currentKey: CurrentKey = {
  label: LABEL,
  limit: 10,
  limitRemaining: 5,
  limitReset: null,
  includeByokInLimit: null,
  usage: 5,
  usageDaily: 0,
  usageWeekly: 0,
  usageMonthly: 0,
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

const listedKey: KeyInfo = {
  hash: 'h1',
  name: 'prod',
  label: LABEL,
  disabled: false,
  limit: 10,
  limitRemaining: 5,
  limitReset: null,
  includeByokInLimit: null,
  usage: 5,
  usageDaily: 0,
  usageWeekly: 0,
  usageMonthly: 0,
  createdAt: '2026-11-15T12:00:00.000Z',
  updatedAt: null,
  expiresAt: null,
  byokUsageDaily: 0,
  byokUsageWeekly: 0,
  byokUsageMonthly: 0,
  byokUsage: 0,
  workspaceId: 'ws-1',
};

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const unused = () => Promise.reject(new OpenRouterError('NETWORK', 'not used in this test'));

/** An API whose /key and /keys answers the test releases by hand, recording the order of calls. */
function handDrivenApi() {
  const key = deferred<CurrentKey>();
  const keys = deferred<readonly KeyInfo[]>();
  const calls: string[] = [];
  const api: OpenRouterApi = {
    hasApiKey: true,
    hasManagementKey: true,
    getCurrentKey: () => {
      calls.push('/key');
      return key.promise;
    },
    listAllKeys: () => {
      calls.push('/keys');
      return keys.promise;
    },
    listKeyInventory: () => {
      calls.push('/keys');
      return keys.promise.then((list) => ({ keys: list, workspaces: [], defaultWorkspaceOnly: null }));
    },
    getManagementKeyInfo: unused,
    listWorkspaceKeys: unused,
    listGuardrails: unused,
    listGuardrailKeyAssignments: unused,
    getWorkspaceBudgets: unused,
    getCredits: unused,
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
  return { key, keys, calls, context };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('key-age requests', () => {
  it('asks for the key list while GET /key is still pending', async () => {
    const { key, keys, calls, context } = handDrivenApi();
    const outcome = keyAgeCheck.run(context);
    await tick();
    expect(calls).toEqual(['/keys', '/key']);
    keys.resolve([listedKey]);
    key.resolve(currentKey);
    expect(await outcome).toMatchObject({
      status: 'pass',
      values: { keyAgeDays: 10, createdAtSource: 'the account key list' },
    });
  });

  it('skips on a failed GET /key and leaves the failed key list handled', async () => {
    const { key, keys, context } = handDrivenApi();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const outcome = keyAgeCheck.run(context);
      key.reject(new OpenRouterError('HTTP_STATUS', 'OpenRouter answered HTTP 401 on /key', { status: 401 }));
      expect(await outcome).toMatchObject({ status: 'skip' });
      keys.reject(
        new OpenRouterError('HTTP_STATUS', 'OpenRouter answered HTTP 401 on /keys', { status: 401 }),
      );
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('says why when the key list fails but GET /key answers', async () => {
    const { key, keys, context } = handDrivenApi();
    const outcome = keyAgeCheck.run(context);
    keys.reject(new OpenRouterError('HTTP_STATUS', 'OpenRouter answered HTTP 500 on /keys', { status: 500 }));
    key.resolve(currentKey);
    const result = await outcome;
    expect(result.status).toBe('skip');
    expect(result.summary).toMatch(/key list could not be read/);
  });
});
