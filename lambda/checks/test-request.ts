import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import { describeError, remedyForError } from '../engine/describe-error';
import type { ProbeOutcome } from '../engine/result';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import { needsAuth } from './support';

const PROBE_PROMPT = 'Reply with the single word OK.';

/**
 * `test-request`: one real, tiny completion per configured model. Each is pinned to its model (no
 * `models` fallback list), so that a working fallback cannot hide a broken primary. A probe never
 * rejects: its failure is part of its outcome.
 */
export const testRequestCheck: Check = {
  id: 'test-request',
  title: 'Each model answers a test completion',
  async run(context): Promise<CheckOutcome> {
    const { config, shared } = context;
    if (!config.probe) return { status: 'skip', summary: 'Test requests are turned off (probe: false)' };
    // The probes go out together with GET /key rather than after it: one round trip instead of
    // two. Their answers are dropped if /key shows the key unusable (auth reports that, once).
    const probing = Promise.all(config.models.map((model, index) => probe(context, model, index === 0)));
    try {
      const key = await shared.currentKey();
      if (key.isManagementKey) {
        return {
          status: 'skip',
          summary: 'Test requests skipped: the API key is a management key (see auth)',
        };
      }
    } catch {
      return needsAuth('Test requests');
    }
    const probes = await probing;
    const outcomes = probes.map((p) => p.outcome);
    const values = { probes: outcomes, probesFailed: outcomes.filter((o) => !o.ok).length };
    const [primary, ...fallbacks] = probes;
    if (!primary) return { status: 'skip', summary: 'No models configured' };
    const working = fallbacks.filter((p) => p.outcome.ok).map((p) => p.outcome.model);
    const brokenFallbacks = fallbacks.filter((p) => !p.outcome.ok);
    const slow = outcomes.filter((o) => o.ok && o.latencyMs !== null && o.latencyMs > config.maxLatencyMs);

    if (!primary.outcome.ok) {
      const rescue =
        fallbacks.length === 0
          ? 'no fallback configured'
          : working.length > 0
            ? `fallback ${working.join(', ')} still answers`
            : 'no fallback answers either';
      return {
        status: 'fail',
        summary: `Primary model ${primary.outcome.model} failed: ${primary.outcome.error}; ${rescue}`,
        remedy: primary.remedy,
        values,
      };
    }
    const served =
      primary.outcome.servedModel && primary.outcome.servedModel !== primary.outcome.model
        ? ` (served by ${primary.outcome.servedModel})`
        : '';
    const head = `${primary.outcome.model}${served} answered in ${primary.outcome.latencyMs} ms${costText(primary.outcome)}`;
    if (brokenFallbacks.length > 0) {
      const first = brokenFallbacks[0];
      return {
        status: 'warn',
        summary: `${head}; fallback ${brokenFallbacks.map((p) => `${p.outcome.model} failed: ${p.outcome.error}`).join('; ')}`,
        remedy: first?.remedy ?? remedyForError(undefined),
        values,
      };
    }
    if (slow.length > 0) {
      return {
        status: 'warn',
        summary: `${head}; slow: ${slow.map((o) => `${o.model} took ${o.latencyMs} ms (limit ${config.maxLatencyMs} ms)`).join(', ')}`,
        remedy: `Consider a faster model or provider routing (provider.sort: "latency"). ${seeRunbook(RUNBOOK.outage)}`,
        values,
      };
    }
    const others =
      fallbacks.length > 0 ? `; ${fallbacks.length} fallback${fallbacks.length > 1 ? 's' : ''} answered` : '';
    return { status: 'pass', summary: `${head}${others}`, values };
  },
};

const costText = (o: ProbeOutcome): string => (o.costUsd === null ? '' : ` for $${o.costUsd.toPrecision(2)}`);

interface Probe {
  readonly outcome: ProbeOutcome;
  readonly remedy: string;
}

async function probe(
  { deps, config, signal, deadlineAt }: CheckContext,
  model: string,
  primary: boolean,
): Promise<Probe> {
  const started = performance.now();
  const role = primary ? 'primary' : 'fallback';
  try {
    const completion = await deps.api.chatCompletion(
      { model, maxTokens: config.probeMaxTokens, prompt: PROBE_PROMPT },
      { signal, deadlineAt },
    );
    return {
      outcome: {
        model,
        role,
        ok: true,
        latencyMs: Math.round(performance.now() - started),
        costUsd: completion.costUsd,
        servedModel: completion.model,
        error: null,
      },
      remedy: '',
    };
  } catch (error) {
    return {
      outcome: {
        model,
        role,
        ok: false,
        latencyMs: Math.round(performance.now() - started),
        costUsd: null,
        servedModel: null,
        error: describeError(error),
      },
      remedy: remedyForError(error),
    };
  }
}
