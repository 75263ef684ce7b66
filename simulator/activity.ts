import type { Spender } from './account';
import { CATALOG } from './catalog';
import { DAY_MS, isoDay } from './clock';

/**
 * `GET /activity` rows (openrouter-api-more.md §4): one per date × model × endpoint over the last
 * 30 completed UTC days; `usage` is USD of credits. Each key spends its steady `dailySpend` every
 * day since it was created, on one model chosen from its hash, at that model's first provider, so
 * that the history and `/keys` tell the same story (today is not in /activity: it is not complete).
 */
export const ACTIVITY_DAYS = 30;

/** The models the simulated keys spend on; a key's model follows from its hash. */
const SPENT_ON = [
  'openai/gpt-4o-mini',
  'anthropic/claude-3.5-haiku',
  'google/gemini-2.0-flash-001',
  'meta-llama/llama-3.1-8b-instruct',
];

export function modelOf(spender: Spender): string {
  const index = Number.parseInt(spender.hash.slice(0, 8), 16) % SPENT_ON.length;
  return SPENT_ON[Number.isNaN(index) ? 0 : index] ?? 'openai/gpt-4o-mini';
}

interface Row {
  date: string;
  model: string;
  model_permaslug: string;
  endpoint_id: string;
  provider_name: string;
  usage: number;
  byok_usage_inference: number;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

export interface ActivityFilter {
  readonly apiKeyHash?: string;
  readonly date?: string;
}

export function activityRows(spenders: readonly Spender[], now: Date, filter: ActivityFilter): Row[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const rows = new Map<string, Row>();
  const chosen =
    filter.apiKeyHash === undefined ? spenders : spenders.filter((s) => s.hash === filter.apiKeyHash);
  for (let back = ACTIVITY_DAYS; back >= 1; back -= 1) {
    const dayStart = today - back * DAY_MS;
    const date = isoDay(new Date(dayStart));
    if (filter.date !== undefined && filter.date !== date) continue;
    for (const spender of chosen) {
      // A key spends only on the days it existed for.
      const createdAt = now.getTime() - spender.createdDaysAgo * DAY_MS;
      if (spender.dailySpend <= 0 || createdAt > dayStart) continue;
      const model = CATALOG.find((m) => m.id === modelOf(spender));
      if (model === undefined) continue;
      const provider = model.endpoints[0];
      const key = `${date}|${model.id}|${provider.tag}`;
      const row = rows.get(key) ?? {
        date,
        model: model.id,
        model_permaslug: model.canonicalSlug,
        endpoint_id: `${provider.tag}:${model.canonicalSlug}`,
        provider_name: provider.providerName,
        usage: 0,
        byok_usage_inference: 0,
        requests: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        reasoning_tokens: 0,
      };
      const promptPrice = Number(model.pricing.prompt);
      const completionPrice = Number(model.pricing.completion);
      // Spend split 3:1 between prompt and completion tokens, about 1,000 prompt tokens a request.
      const promptTokens = promptPrice > 0 ? Math.round((spender.dailySpend * 0.75) / promptPrice) : 0;
      const completionTokens =
        completionPrice > 0 ? Math.round((spender.dailySpend * 0.25) / completionPrice) : 0;
      row.usage = round(row.usage + spender.dailySpend);
      row.prompt_tokens += promptTokens;
      row.completion_tokens += completionTokens;
      row.requests += Math.max(1, Math.round(promptTokens / 1000));
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}
