import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import { describeError, remedyForError } from '../engine/describe-error';
import type { ProbeOutcome } from '../engine/result';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import { isOpenRouterError } from '../openrouter/errors';
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
        summary: `${head}; fallback ${brokenFallbacks.map((p) => `${p.outcome.model} failed: ${p.outcome.error}`).join('; ')}${notesText(outcomes)}`,
        remedy: first?.remedy ?? remedyForError(undefined),
        values,
      };
    }
    if (slow.length > 0) {
      return {
        status: 'warn',
        summary: `${head}; slow: ${slow.map((o) => `${o.model} took ${o.latencyMs} ms (limit ${config.maxLatencyMs} ms)`).join(', ')}${notesText(outcomes)}`,
        remedy: `Consider a faster model or provider routing (provider.sort: "latency"). ${seeRunbook(RUNBOOK.outage)}`,
        values,
      };
    }
    const others =
      fallbacks.length > 0 ? `; ${fallbacks.length} fallback${fallbacks.length > 1 ? 's' : ''} answered` : '';
    return { status: 'pass', summary: `${head}${others}${notesText(outcomes)}`, values };
  },
};

/** Notes of probes that answered only after an adjustment (e.g. a provider's max_tokens floor). */
const notesText = (outcomes: readonly ProbeOutcome[]): string => {
  const notes = outcomes.filter((o) => o.note !== null).map((o) => `${o.model}: ${o.note}`);
  return notes.length > 0 ? ` (note: ${notes.join('; ')})` : '';
};

const costText = (o: ProbeOutcome): string => (o.costUsd === null ? '' : ` for $${o.costUsd.toPrecision(2)}`);

interface Probe {
  readonly outcome: ProbeOutcome;
  readonly remedy: string;
}

/** The largest provider minimum a probe retries at: above it a probe would stop being cheap. */
export const MAX_PROBE_MINIMUM_TOKENS = 64;

/**
 * The provider's minimum `max_tokens` when it refused the probe for asking fewer (OpenAI and Azure
 * answer 400 "integer below minimum value … >= 16"); null for any other failure.
 */
function providerMinimum(error: unknown, asked: number): number | null {
  if (!isOpenRouterError(error) || error.status !== 400 || error.minimumTokens === undefined) return null;
  const minimum = error.minimumTokens;
  return minimum > asked && minimum <= MAX_PROBE_MINIMUM_TOKENS ? minimum : null;
}

async function probe(
  { deps, config, signal, deadlineAt }: CheckContext,
  model: string,
  primary: boolean,
): Promise<Probe> {
  const started = performance.now();
  const role = primary ? 'primary' : 'fallback';
  const ask = (maxTokens: number) =>
    deps.api.chatCompletion({ model, maxTokens, prompt: PROBE_PROMPT }, { signal, deadlineAt });
  let note: string | null = null;
  try {
    let completion: Awaited<ReturnType<typeof ask>>;
    try {
      completion = await ask(config.probeMaxTokens);
    } catch (error) {
      const minimum = providerMinimum(error, config.probeMaxTokens);
      if (minimum === null) throw error;
      // A healthy model behind a provider with a token floor is not broken: ask once more at the floor.
      note = `the provider requires max_tokens >= ${minimum}; probed again with ${minimum} (probeMaxTokens is ${config.probeMaxTokens})`;
      completion = await ask(minimum);
    }
    return {
      outcome: {
        model,
        role,
        ok: true,
        latencyMs: Math.round(performance.now() - started),
        costUsd: completion.costUsd,
        servedModel: completion.model,
        error: null,
        note,
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
        note,
      },
      remedy: remedyForError(error),
    };
  }
}
