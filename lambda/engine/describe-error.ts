import { isOpenRouterError, type OpenRouterError } from '../openrouter/errors';
import { causeCode, type NetworkCause, networkCause } from '../openrouter/network-cause';
import { RUNBOOK, seeRunbook } from './runbooks';

/** A one-line, key-free reason for a failed request, for a check's summary. */
export function describeError(error: unknown): string {
  if (!isOpenRouterError(error)) return 'unexpected internal error (see the logs)';
  const where = error.endpoint ? ` on ${error.endpoint}` : '';
  const api = error.apiMessage ? `: ${error.apiMessage}` : '';
  const tries = error.attempts && error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
  const cause = networkCause(error);
  if (cause !== undefined) return `${CAUSE_TEXT[cause]}${where} (${causeCode(error) ?? '?'})${tries}`;
  switch (error.code) {
    case 'HTTP_STATUS': {
      const cause = causeOf(error);
      return `OpenRouter answered HTTP ${error.status ?? '?'}${where}${cause === null ? '' : ` (${cause})`}${api}${tries}`;
    }
    case 'API_ERROR_IN_200':
      // Without an API message the client's own fixed message says what was wrong (e.g. no choices).
      return error.apiMessage ? `OpenRouter answered 200 with an error inside${where}${api}` : error.message;
    case 'TIMEOUT':
      return `no answer in time${where}${tries}`;
    case 'NETWORK':
      return `network error${where}${tries}`;
    case 'BAD_RESPONSE':
      return `malformed answer${where}${api || `: ${error.message}`}`;
    case 'RESPONSE_TOO_LARGE':
      return `answer too large${where}`;
    case 'RATE_LIMITED_DAILY':
      return `free-model daily request cap reached${where}${error.resetAt ? `; resets ${error.resetAt.toISOString()}` : ''}`;
    case 'INSECURE_BASE_URL':
      return error.message;
    case 'MISSING_KEY':
      return error.message;
  }
}

/** What each network cause is called in a check's summary. */
const CAUSE_TEXT: Readonly<Record<NetworkCause, string>> = {
  refused: 'connection refused',
  dns: 'DNS lookup failed (the host name does not resolve)',
  tls: 'TLS handshake failed (certificate or protocol rejected)',
  proxy: 'the HTTP(S) proxy failed',
  'connect-timeout': 'connecting timed out',
  dropped: 'the connection dropped',
};

/** Where to look for each network cause: it is fixed somewhere different each time. */
const CAUSE_REMEDY: Readonly<Record<NetworkCause, string>> = {
  refused:
    'Nothing accepts connections at the base URL: check --base-url / OPENROUTER_BASE_URL (host and port) and that the server there is running; a firewall that requires a proxy needs HTTPS_PROXY.',
  dns: "The base URL's host name does not resolve: check its spelling and this machine's DNS; on a network that only reaches the internet through a proxy, set HTTPS_PROXY.",
  tls: "The server's certificate was not accepted: check the base URL's host and the system clock; behind a TLS-inspecting proxy, give Node the proxy's CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.",
  proxy:
    'The proxy in HTTPS_PROXY / HTTP_PROXY could not be reached or refused the tunnel: check its address, port and credentials, or exempt the host with NO_PROXY.',
  'connect-timeout':
    'No connection within the connect timeout: a firewall may drop the traffic (set HTTPS_PROXY if one is required), or OpenRouter is unreachable (status.openrouter.ai).',
  dropped:
    'The connection was cut: a proxy or firewall closing connections, or OpenRouter having trouble (status.openrouter.ai); retry.',
};

/** What `limit_source` says refused the request, in words (openrouter-api-more.md §8). */
const LIMIT_SOURCES: Readonly<Record<string, string>> = {
  openrouter_credits: 'account credits',
  openrouter_key_limit: 'key limit',
  openrouter_guardrail_budget: 'guardrail budget',
  openrouter_workspace_budget: 'workspace budget',
  openrouter_in_flight_budget: 'in-flight spending budget, transient',
  openrouter_free_tier_daily: 'free-model daily cap',
  upstream_provider_shared_pool: "upstream provider's shared free pool",
};

/** What an availability error's `code` means, in words (errors-and-debugging docs). */
const AVAILABILITY: Readonly<Record<string, string>> = {
  model_not_found: 'model not found',
  model_deprecated: 'model deprecated',
  privacy_restricted: 'no endpoint allowed by your privacy settings',
  region_restricted: 'not available in your region',
  free_variant_ended: 'the free variant has ended',
  constraint_filtered: 'no endpoint meets the request constraints',
  no_endpoints: 'no endpoints serve this model',
  model_unavailable_upstream: 'unavailable upstream',
  capacity_exhausted: 'provider capacity exhausted',
  temporarily_unavailable: 'temporarily unavailable',
};

/** The cause a 402/403/404 names (limit source, availability code, provider minimum), or null. */
function causeOf(error: OpenRouterError): string | null {
  if (error.availabilityCode !== undefined) {
    const what = AVAILABILITY[error.availabilityCode] ?? error.availabilityCode;
    const next = error.fallbackModels?.[0];
    const successor =
      next === undefined
        ? ''
        : error.availabilityCode === 'model_deprecated'
          ? `; successor ${next}`
          : `; try ${next}`;
    return `${what}${successor}`;
  }
  if (error.limitSource !== undefined) return LIMIT_SOURCES[error.limitSource] ?? error.limitSource;
  if (error.minimumTokens !== undefined) return `provider minimum max_tokens ${error.minimumTokens}`;
  return null;
}

/** A remedy specific to the cause an error names, or null to use the status's generic one. */
function remedyForCause(error: OpenRouterError): string | null {
  const next = error.fallbackModels?.[0];
  switch (error.availabilityCode) {
    case 'model_deprecated':
      return `The model is deprecated: switch to ${next ?? 'its successor (see openrouter.ai/models)'} in the config and your application. ${seeRunbook(RUNBOOK.outage)}`;
    case 'free_variant_ended':
      return `The free variant has ended: switch to ${next ?? 'the paid model'} (it costs credits). ${seeRunbook(RUNBOOK.outage)}`;
    case 'privacy_restricted':
      return `Your privacy settings (data policy, ZDR) exclude every endpoint of this model: relax them at openrouter.ai/settings/privacy or pick another model. ${seeRunbook(RUNBOOK.outage)}`;
    case 'region_restricted':
      return `The model is not offered in your region: pick another model or data region. ${seeRunbook(RUNBOOK.outage)}`;
    case 'constraint_filtered':
      return `No endpoint meets the request's constraints (max_price, context, parameters, providers): loosen them or pick another model. ${seeRunbook(RUNBOOK.outage)}`;
    case 'no_endpoints':
    case 'model_unavailable_upstream':
      return `No provider serves the model right now: pick another model or retry later. ${seeRunbook(RUNBOOK.outage)}`;
  }
  switch (error.limitSource) {
    case 'openrouter_credits':
      return `Add credits (openrouter.ai/settings/credits) or lower max_tokens. ${seeRunbook(RUNBOOK.credits)}`;
    case 'openrouter_key_limit':
      return `Raise the key's limit at openrouter.ai/settings/keys or wait for its reset. ${seeRunbook(RUNBOOK.keyLimit)}`;
    case 'openrouter_guardrail_budget':
      return `Raise the guardrail's budget (openrouter.ai/settings/guardrails) or wait for its reset. ${seeRunbook(RUNBOOK.keyLimit)}`;
    case 'openrouter_workspace_budget':
      return `Ask an org admin to raise the workspace budget or wait for its reset. ${seeRunbook(RUNBOOK.keyLimit)}`;
    case 'openrouter_in_flight_budget':
      return `Too many paid requests are in flight for the balance: it clears as they settle; add credits to raise the in-flight budget. ${seeRunbook(RUNBOOK.credits)}`;
  }
  return null;
}

/** What to do about a failed request, in a sentence. */
export function remedyForError(error: unknown): string {
  if (!isOpenRouterError(error))
    return `Re-run the audit; if it persists, report a bug. ${seeRunbook(RUNBOOK.auditor)}`;
  return remedyFor(error);
}

function remedyFor(error: OpenRouterError): string {
  const specific = remedyForCause(error);
  if (specific !== null) return specific;
  const status = error.status;
  if (error.code === 'RATE_LIMITED_DAILY' || status === 429) {
    return `Slow down or wait for the rate limit to reset; for free models, buy credits to raise the daily cap. ${seeRunbook(RUNBOOK.rateLimit)}`;
  }
  if (status === 401) return `Replace the API key with a valid one. ${seeRunbook(RUNBOOK.invalidKey)}`;
  if (status === 402) return `Add credits or lower max_tokens. ${seeRunbook(RUNBOOK.credits)}`;
  const cause = networkCause(error);
  if (cause !== undefined) return `${CAUSE_REMEDY[cause]} ${seeRunbook(RUNBOOK.network)}`;
  if (status === 403) {
    return `The key is not allowed to do this (key limit reached, guardrail, or wrong key type). ${seeRunbook(RUNBOOK.keyLimit)}`;
  }
  if (error.code === 'TIMEOUT' || error.code === 'NETWORK' || (status !== undefined && status >= 500)) {
    return `OpenRouter or the provider is having trouble; check status.openrouter.ai and retry. ${seeRunbook(RUNBOOK.outage)}`;
  }
  return `Check the base URL and the API's status, then re-run. ${seeRunbook(RUNBOOK.auditor)}`;
}

export const isHttpStatus = (error: unknown, ...statuses: number[]): boolean =>
  isOpenRouterError(error) &&
  error.code === 'HTTP_STATUS' &&
  error.status !== undefined &&
  statuses.includes(error.status);
