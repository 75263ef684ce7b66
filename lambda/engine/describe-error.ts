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
    case 'HTTP_STATUS':
      return `OpenRouter answered HTTP ${error.status ?? '?'}${where}${api}${tries}`;
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

/** What to do about a failed request, in a sentence. */
export function remedyForError(error: unknown): string {
  if (!isOpenRouterError(error))
    return `Re-run the audit; if it persists, report a bug. ${seeRunbook(RUNBOOK.auditor)}`;
  return remedyFor(error);
}

function remedyFor(error: OpenRouterError): string {
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
