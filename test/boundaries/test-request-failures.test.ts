/**
 * test-request when probes fail: what the summary says about the fallbacks, and that the remedy
 * is the one for the failure seen (402: credits; 5xx: outage), not a generic "re-run".
 */
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../simulator/types';
import { auditSimulator, checkOf } from '../support/audit-harness';
import { MODEL, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
const FALLBACK = 'anthropic/claude-3.5-haiku';

async function probing(models: readonly string[], faults: readonly Fault[]) {
  const s = runCheck.sim.current;
  s.clearFaults();
  for (const fault of faults) s.injectFault('chat', fault);
  return checkOf(await auditSimulator(s, { config: { probe: true, models: [...models] } }), 'test-request');
}

describe('test-request: failed probes', () => {
  it('a primary and its only fallback both failing: fails, saying no fallback answers', async () => {
    const check = await probing(
      [MODEL, FALLBACK],
      [
        { kind: 'status', status: 502, model: MODEL },
        { kind: 'status', status: 502, model: FALLBACK },
      ],
    );
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(
      /^Primary model openai\/gpt-4o-mini failed: OpenRouter answered HTTP 502.*; no fallback answers either$/,
    );
    expect(check.values).toMatchObject({ probesFailed: 2 });
  });

  it("a primary refused with 402 gets the credits remedy, not the auditor's", async () => {
    const check = await probing([MODEL], [{ kind: 'status', status: 402, model: MODEL }]);
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(/HTTP 402/);
    expect(check.remedy).toMatch(/^Add credits or lower max_tokens\. Runbook: docs\/runbooks\.md#/);
  });

  it("a failing fallback's remedy is its own failure's: 5xx is an outage", async () => {
    const check = await probing([MODEL, FALLBACK], [{ kind: 'status', status: 503, model: FALLBACK }]);
    expect(check.status).toBe('warn');
    expect(check.remedy).toMatch(
      /^OpenRouter or the provider is having trouble; check status\.openrouter\.ai/,
    );
  });
});
