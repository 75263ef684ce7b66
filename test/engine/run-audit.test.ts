import { describe, expect, it } from 'vitest';
import { parseAuditConfig } from '../../lambda/engine/config';
import { silentLogger } from '../../lambda/engine/logger';
import { CHECK_IDS } from '../../lambda/engine/result';
import { runAudit } from '../../lambda/engine/run-audit';
import { createOpenRouterClient } from '../../lambda/openrouter/client';
import type { OpenRouterApi } from '../../lambda/openrouter/types';
import { auditSimulator, checkOf, FIXED_NOW, useSimulator } from '../support/audit-harness';

const sim = useSimulator();

describe('runAudit', () => {
  it('passes every check on a healthy account and returns them in the public order', async () => {
    sim.current.setScenario('healthy');
    const result = await auditSimulator(sim.current, { config: { dailyBudgetUsd: 50 } });
    expect(result.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(Number.isNaN(Date.parse(result.startedAt))).toBe(false);
  });

  it('makes one GET /key per key however many checks read it', async () => {
    sim.current.setScenario('healthy');
    sim.current.resetCounts();
    await auditSimulator(sim.current, { withoutManagementKey: true, config: { dailyBudgetUsd: 50 } });
    expect(sim.current.requestCount('key')).toBe(1);
    sim.current.resetCounts();
    await auditSimulator(sim.current, { config: { dailyBudgetUsd: 50 } });
    // One for the API key, one to confirm the management key is one.
    expect(sim.current.requestCount('key')).toBe(2);
    expect(sim.current.requestCount('credits')).toBe(1);
  });

  it('ends a check whose endpoint hangs with an error at the deadline while the others finish', async () => {
    sim.current.setScenario('healthy');
    sim.current.injectFault('models', { kind: 'hang' });
    try {
      // The hang lasts forever: only the deadline ends it (the summary says which). The deadline is
      // generous so that the other checks finish before it even on a loaded machine.
      const result = await auditSimulator(sim.current, { timeoutMs: 6000 });
      expect(checkOf(result, 'models')).toMatchObject({ status: 'error' });
      expect(checkOf(result, 'models').summary).toMatch(/deadline of 6000 ms/);
      expect(checkOf(result, 'models').remedy).toBeTruthy();
      for (const id of ['auth', 'key-limit', 'credits', 'key-age', 'test-request', 'keys'] as const) {
        expect(checkOf(result, id).status, id).toBe('pass');
      }
      expect(result.ok).toBe(false);
    } finally {
      sim.current.clearFaults();
    }
  });

  it('reports a hung GET /key once, in auth, and skips the checks that depend on it', async () => {
    sim.current.injectFault('key', { kind: 'hang' });
    try {
      const result = await auditSimulator(sim.current, { timeoutMs: 6000, withoutManagementKey: true });
      expect(checkOf(result, 'auth').status).toBe('error');
      for (const id of ['key-limit', 'key-age', 'test-request'] as const) {
        expect(checkOf(result, id).status, id).toBe('error');
      }
      expect(checkOf(result, 'models').status).toBe('pass');
    } finally {
      sim.current.clearFaults();
    }
  });

  it('turns a check that throws into an error result without losing the others', async () => {
    const real = createOpenRouterClient({ baseUrl: sim.current.baseUrl, apiKey: sim.current.apiKey });
    const broken: OpenRouterApi = {
      hasApiKey: real.hasApiKey,
      hasManagementKey: real.hasManagementKey,
      getCurrentKey: (o) => real.getCurrentKey(o),
      getManagementKeyInfo: (o) => real.getManagementKeyInfo(o),
      getCredits: (o) => real.getCredits(o),
      listAllKeys: (o) => real.listAllKeys(o),
      listKeyInventory: (o) => real.listKeyInventory(o),
      listWorkspaceKeys: (w, o) => real.listWorkspaceKeys(w, o),
      listGuardrails: (w, o) => real.listGuardrails(w, o),
      listGuardrailKeyAssignments: (o) => real.listGuardrailKeyAssignments(o),
      getWorkspaceBudgets: (w, o) => real.getWorkspaceBudgets(w, o),
      chatCompletion: (r, o) => real.chatCompletion(r, o),
      getModelEndpoints: (m, o) => real.getModelEndpoints(m, o),
      getActivity: (q, o) => real.getActivity(q, o),
      listModels: () => {
        throw new TypeError('bug');
      },
    };
    const result = await runAudit(parseAuditConfig({}), {
      api: broken,
      now: () => FIXED_NOW,
      logger: silentLogger,
    });
    expect(checkOf(result, 'models').status).toBe('error');
    expect(checkOf(result, 'auth').status).toBe('pass');
  });

  it('ends every unfinished check as an error when the caller cancels the audit', async () => {
    sim.current.injectFault('key', { kind: 'hang' });
    sim.current.injectFault('models', { kind: 'hang' });
    try {
      const controller = new AbortController();
      const api = createOpenRouterClient({ baseUrl: sim.current.baseUrl, apiKey: sim.current.apiKey });
      const pending = runAudit(
        parseAuditConfig({}),
        { api, now: () => FIXED_NOW, logger: silentLogger },
        {
          timeoutMs: 60_000,
          signal: controller.signal,
        },
      );
      setTimeout(() => controller.abort(), 200);
      // Both hangs last forever and the deadline is a minute away (past the test's timeout):
      // only the cancellation can end this audit.
      const result = await pending;
      expect(checkOf(result, 'auth').status).toBe('error');
      expect(checkOf(result, 'models').status).toBe('error');
    } finally {
      sim.current.clearFaults();
    }
  });
});
