import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import { describeError, remedyForError } from '../engine/describe-error';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import { isOpenRouterError } from '../openrouter/errors';
import type { ModelEndpoint } from '../openrouter/insight-types';
import { plural, round } from './support';

/** What the check learnt about one configured model. */
interface ModelHealth {
  readonly model: string;
  /** The model whose endpoints were read: the alias target for a `~` alias. */
  readonly resolvedModel: string;
  readonly endpoints: number;
  readonly endpointsUp: number;
  readonly providersUp: number;
  readonly bestUptimePercent: number | null;
  readonly p50LatencyMs: number | null;
  /** Why the model could not be judged; null when it was. */
  readonly problem: {
    readonly status: 'fail' | 'error' | 'skip';
    readonly reason: string;
    readonly remedy: string;
  } | null;
}

/**
 * An endpoint is down when its `status` is negative (undocumented; negatives are read as degraded or
 * offline by the code that uses it) or when it served no request successfully in the last 30
 * minutes. A null uptime is "no figure", not "down".
 */
export const isEndpointUp = (endpoint: ModelEndpoint): boolean =>
  !(endpoint.status !== null && endpoint.status < 0) && endpoint.uptimeLast30m !== 0;

const remedy = `Add a fallback model served by other providers (the models parameter), or pin a healthy provider; watch status.openrouter.ai. ${seeRunbook(RUNBOOK.providers)}`;

/** A `~author/family-latest` alias lists no hosts: its endpoints are its current target's. */
async function resolveAlias(model: string, context: CheckContext): Promise<string | { error: unknown }> {
  if (!model.startsWith('~')) return model;
  try {
    const models = await context.shared.models();
    const target = models.find((m) => m.id === model)?.aliasTarget;
    return target ?? { error: null };
  } catch (error) {
    return { error };
  }
}

async function isUnlisted(model: string, context: CheckContext): Promise<boolean> {
  try {
    return !(await context.shared.models()).some((m) => m.id === model);
  } catch {
    return false;
  }
}

async function healthOf(model: string, context: CheckContext): Promise<ModelHealth> {
  const empty = {
    model,
    resolvedModel: model,
    endpoints: 0,
    endpointsUp: 0,
    providersUp: 0,
    bestUptimePercent: null,
    p50LatencyMs: null,
  };
  const resolved = await resolveAlias(model, context);
  if (typeof resolved !== 'string') {
    return resolved.error === null
      ? {
          ...empty,
          problem: {
            status: 'fail',
            reason: `${model}: the alias is not in /models or names no alias_target`,
            remedy,
          },
        }
      : {
          ...empty,
          problem: {
            status: 'error',
            reason: `${model}: could not resolve the alias (${describeError(resolved.error)})`,
            remedy: remedyForError(resolved.error),
          },
        };
  }
  let endpoints: readonly ModelEndpoint[];
  try {
    endpoints = (
      await context.deps.api.getModelEndpoints(resolved, {
        signal: context.signal,
        deadlineAt: context.deadlineAt,
      })
    ).endpoints;
  } catch (error) {
    const notFound = isOpenRouterError(error) && error.status === 404;
    // A model missing from /models is the models check's finding: one cause, one alert.
    if (notFound && (await isUnlisted(resolved, context))) {
      return {
        ...empty,
        resolvedModel: resolved,
        problem: { status: 'skip', reason: `${model}: not listed (see the models check)`, remedy },
      };
    }
    return {
      ...empty,
      resolvedModel: resolved,
      problem: notFound
        ? { status: 'fail', reason: `${model}: OpenRouter knows no endpoints for it (404)`, remedy }
        : {
            status: 'error',
            reason: `${model}: could not read its endpoints (${describeError(error)})`,
            remedy: remedyForError(error),
          },
    };
  }
  const up = endpoints.filter(isEndpointUp);
  const uptimes = up.map((e) => e.uptimeLast30m).filter((u): u is number => u !== null);
  const latencies = up.map((e) => e.latencyP50Ms).filter((l): l is number => l !== null);
  return {
    model,
    resolvedModel: resolved,
    endpoints: endpoints.length,
    endpointsUp: up.length,
    providersUp: new Set(up.map((e) => e.providerName)).size,
    bestUptimePercent: uptimes.length > 0 ? round(Math.max(...uptimes), 2) : null,
    p50LatencyMs: latencies.length > 0 ? Math.round(Math.min(...latencies)) : null,
    problem: null,
  };
}

/**
 * `providers`: every configured model has an endpoint up; the primary has more than one provider
 * to fail over to; the best endpoint's 30-minute uptime is at least `minUptimePercent`.
 */
export const providersCheck: Check = {
  id: 'providers',
  title: "The models' providers are up, with failover",
  async run(context): Promise<CheckOutcome> {
    const { config } = context;
    const health = await Promise.all(config.models.map((model) => healthOf(model, context)));
    const primary = health[0];
    const perModel = health.map(({ problem, ...figures }) => ({
      ...figures,
      problem: problem === null ? null : problem.reason,
    }));
    const values = {
      endpoints: primary?.endpoints ?? 0,
      providersUp: primary?.providersUp ?? 0,
      bestUptimePercent: primary?.bestUptimePercent ?? null,
      p50LatencyMs: primary?.p50LatencyMs ?? null,
      minUptimePercent: config.minUptimePercent,
      models: perModel,
    };
    if (health.every((h) => h.problem?.status === 'skip')) {
      return { status: 'skip', summary: health.map((h) => h.problem?.reason ?? h.model).join('; '), values };
    }
    const unreadable = health.filter((h) => h.problem?.status === 'error');
    const unresolved = health.filter((h) => h.problem?.status === 'fail');
    const allDown = health.filter((h) => h.problem === null && h.endpointsUp === 0);
    const failing = [
      ...unresolved.map((h) => h.problem?.reason ?? h.model),
      ...allDown.map((h) =>
        h.endpoints === 0
          ? `${h.model}: no endpoint serves it`
          : `${h.model}: every endpoint is down (0 of ${h.endpoints} up)`,
      ),
    ];
    if (failing.length > 0) return { status: 'fail', summary: failing.join('; '), remedy, values };
    if (unreadable.length > 0) {
      return {
        status: 'error',
        summary: unreadable.map((h) => h.problem?.reason ?? h.model).join('; '),
        remedy: unreadable[0]?.problem?.remedy ?? remedy,
        values,
      };
    }
    const warnings = [
      ...(primary !== undefined && primary.providersUp === 1
        ? [
            `${primary.model}: a single provider serves it (${plural(primary.endpointsUp, 'endpoint')} up), so there is no provider failover`,
          ]
        : []),
      ...health
        .filter((h) => h.bestUptimePercent !== null && h.bestUptimePercent < config.minUptimePercent)
        .map(
          (h) =>
            `${h.model}: best 30-minute uptime ${h.bestUptimePercent}% is under ${config.minUptimePercent}%`,
        ),
    ];
    if (warnings.length > 0) return { status: 'warn', summary: warnings.join('; '), remedy, values };
    const describe = (h: ModelHealth) =>
      `${h.model}: ${plural(h.providersUp, 'provider')} up${h.bestUptimePercent === null ? '' : `, best uptime ${h.bestUptimePercent}%`}`;
    return {
      status: 'pass',
      summary: health.map((h) => h.problem?.reason ?? describe(h)).join('; '),
      values,
    };
  },
};
