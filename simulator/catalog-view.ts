import { MODEL_ALIASES } from './aliases';
import { CATALOG, type CatalogEndpoint, type CatalogModel, DEFAULT_MODEL } from './catalog';
import { daysFrom, isoDay } from './clock';

/** The catalog as one scenario shows it, with the bodies of `/models` and the endpoint routes built once. */
export interface CatalogView {
  /** Models present in `/models`, by id. */
  readonly byId: ReadonlyMap<string, CatalogModel>;
  /** `/models` entries in catalog order (wire shape). */
  readonly entries: readonly unknown[];
  /** The `/models` body when no paging is asked for. */
  readonly fullListBody: string;
  /** `/models/{id}/endpoints` bodies: latency and throughput are shown to authenticated callers only. */
  endpointsBody(modelId: string, authenticated: boolean): string | undefined;
  /**
   * The catalog row a requested id is served by: routing variants (`:nitro`, `:floor`, `:exacto`,
   * `:online`) by their base model, a `~…-latest` alias by its target, a router by the default model.
   */
  resolve(requestedId: string): string;
}

/** `~author/family-latest` aliases: their own `/models` row, with the target's figures and `alias_target`. */
export const ALIASES = MODEL_ALIASES;

/** Routers: listed, priced "-1" (variable), served by whichever model they pick. */
export const ROUTER_IDS: readonly string[] = ['openrouter/auto'];

const ROUTING_VARIANT = /:(nitro|floor|exacto|online)$/;

export interface CatalogChanges {
  /** Model ids left out of the catalog. */
  readonly missing: ReadonlySet<string>;
  /** Model id → days until its `expiration_date`. */
  readonly retiring: ReadonlyMap<string, number>;
}

function modelEntry(model: CatalogModel, expirationDate: string | null): unknown {
  return {
    id: model.id,
    canonical_slug: model.canonicalSlug,
    hugging_face_id: model.huggingFaceId,
    name: model.name,
    created: model.created,
    description: model.description,
    context_length: model.contextLength,
    architecture: {
      modality: `${model.inputModalities.join('+')}->${model.outputModalities.join('+')}`,
      input_modalities: model.inputModalities,
      output_modalities: model.outputModalities,
      tokenizer: model.tokenizer,
      instruct_type: model.instructType,
    },
    pricing: model.pricing,
    top_provider: {
      context_length: model.contextLength,
      max_completion_tokens: model.maxCompletionTokens,
      is_moderated: model.isModerated,
    },
    per_request_limits: null,
    supported_parameters: model.supportedParameters,
    default_parameters: null,
    supported_voices: null,
    knowledge_cutoff: model.knowledgeCutoff,
    expiration_date: expirationDate,
    links: { details: `/api/v1/models/${model.id}/endpoints` },
  };
}

function percentiles(p50: number, spread: number): { p50: number; p75: number; p90: number; p99: number } {
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    p50,
    p75: round(p50 * (1 + spread)),
    p90: round(p50 * (1 + 2 * spread)),
    p99: round(p50 * (1 + 5 * spread)),
  };
}

function endpointEntry(model: CatalogModel, provider: CatalogEndpoint, authenticated: boolean): unknown {
  const toolChoice = model.supportedParameters.includes('tool_choice');
  return {
    name: `${provider.providerName} | ${model.canonicalSlug}`,
    model_id: model.canonicalSlug,
    model_name: model.name,
    provider_name: provider.providerName,
    tag: provider.tag,
    context_length: model.contextLength,
    max_completion_tokens: model.maxCompletionTokens,
    max_prompt_tokens: null,
    quantization: provider.quantization,
    pricing: model.pricing,
    supported_parameters: model.supportedParameters,
    supports_implicit_caching: provider.supportsImplicitCaching,
    supports_tool_choice: { auto: toolChoice, function: toolChoice, none: toolChoice, required: toolChoice },
    supports_voice_cloning: false,
    status: 0,
    uptime_last_5m: provider.uptimePercent,
    uptime_last_30m: provider.uptimePercent,
    uptime_last_1d: Math.min(100, Math.round((provider.uptimePercent - 0.05) * 100) / 100),
    latency_last_30m: authenticated ? percentiles(provider.latencyP50Ms, 0.3) : null,
    throughput_last_30m: authenticated ? percentiles(provider.throughputP50, -0.1) : null,
  };
}

function endpointsDocument(model: CatalogModel, authenticated: boolean): string {
  return JSON.stringify({
    data: {
      id: model.id,
      name: model.name,
      created: model.created,
      description: model.description,
      architecture: {
        modality: `${model.inputModalities.join('+')}->${model.outputModalities.join('+')}`,
        input_modalities: model.inputModalities,
        output_modalities: model.outputModalities,
        tokenizer: model.tokenizer,
        instruct_type: model.instructType,
      },
      endpoints: model.endpoints.map((provider) => endpointEntry(model, provider, authenticated)),
    },
  });
}

/** Builds the catalog a scenario shows; dates are relative to `now`. */
export function buildCatalogView(changes: CatalogChanges, now: Date): CatalogView {
  const present = CATALOG.filter((model) => !changes.missing.has(model.id));
  const byId = new Map(present.map((model) => [model.id, model]));
  const models = present.map((model) => {
    const days = changes.retiring.get(model.id);
    return modelEntry(model, days === undefined ? null : isoDay(daysFrom(now, days)));
  });
  const entries = [...models];
  for (const alias of ALIASES) {
    const target = byId.get(alias.target);
    if (target === undefined) continue;
    const entry = modelEntry(target, null) as Record<string, unknown>;
    entries.push({
      ...entry,
      id: alias.id,
      canonical_slug: alias.id,
      name: alias.name,
      alias_target: { slug: target.id, name: target.name },
      links: { details: `/api/v1/models/${alias.id}/endpoints` },
    });
  }
  const fallback = byId.get(DEFAULT_MODEL);
  for (const router of ROUTER_IDS) {
    if (fallback === undefined) continue;
    const entry = modelEntry(fallback, null) as Record<string, unknown>;
    entries.push({
      ...entry,
      id: router,
      canonical_slug: router,
      name: 'Auto Router',
      pricing: { prompt: '-1', completion: '-1' },
      links: { details: `/api/v1/models/${router}/endpoints` },
    });
  }
  const fullListBody = JSON.stringify({ data: entries, total_count: entries.length, links: { next: null } });
  const endpointBodies = new Map(
    present.map((model) => [
      model.id,
      { anonymous: endpointsDocument(model, false), authenticated: endpointsDocument(model, true) },
    ]),
  );
  return {
    byId,
    entries,
    fullListBody,
    endpointsBody(modelId, authenticated) {
      const bodies = endpointBodies.get(modelId);
      if (bodies === undefined) return undefined;
      return authenticated ? bodies.authenticated : bodies.anonymous;
    },
    resolve(requestedId) {
      if (ROUTER_IDS.includes(requestedId)) return DEFAULT_MODEL;
      const alias = ALIASES.find((a) => a.id === requestedId);
      if (alias !== undefined) return alias.target;
      return requestedId.replace(ROUTING_VARIANT, '');
    },
  };
}
