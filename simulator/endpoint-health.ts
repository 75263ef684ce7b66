import type { ScenarioName } from './types';

/**
 * How a scenario changes a model's `/models/{id}/endpoints` (openrouter-api-more.md §5): uptime is
 * a 0–100 percentage, `status` an undocumented int enum whose negatives third-party code reads as
 * degraded or offline. `all-down` sets both (status -1 and 0 % uptime), so that a client reading
 * either field sees every endpoint down.
 */
export type EndpointChange =
  | { readonly kind: 'all-down' }
  | { readonly kind: 'only-provider'; readonly providerName: string }
  | { readonly kind: 'uptime'; readonly percent: number };

export const ENDPOINT_HEALTH: Partial<Record<ScenarioName, Readonly<Record<string, EndpointChange>>>> = {
  'endpoints-down': { 'openai/gpt-4o-mini': { kind: 'all-down' } },
  'single-provider': { 'openai/gpt-4o-mini': { kind: 'only-provider', providerName: 'OpenAI' } },
  'low-uptime': { 'openai/gpt-4o-mini': { kind: 'uptime', percent: 88.4 } },
};

type Endpoint = Record<string, unknown>;

function changed(endpoint: Endpoint, change: EndpointChange, index: number): Endpoint | null {
  switch (change.kind) {
    case 'all-down':
      return { ...endpoint, status: -1, uptime_last_5m: 0, uptime_last_30m: 0, uptime_last_1d: 12.5 };
    case 'only-provider':
      return endpoint.provider_name === change.providerName ? endpoint : null;
    case 'uptime': {
      // Every endpoint degraded; the first is the best, at exactly `percent`.
      const percent = Math.max(0, change.percent - index * 2.5);
      return { ...endpoint, uptime_last_5m: percent, uptime_last_30m: percent };
    }
  }
}

/** The endpoints body as the scenario shows it (the body unchanged when the scenario changes nothing). */
export function applyEndpointHealth(body: string, scenario: ScenarioName, modelId: string): string {
  const change = ENDPOINT_HEALTH[scenario]?.[modelId];
  if (change === undefined) return body;
  const document = JSON.parse(body) as { data: { endpoints: Endpoint[] } };
  document.data.endpoints = document.data.endpoints
    .map((endpoint, index) => changed(endpoint, change, index))
    .filter((endpoint): endpoint is Endpoint => endpoint !== null);
  return JSON.stringify(document);
}
