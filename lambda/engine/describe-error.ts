import { isOpenRouterError, type OpenRouterError } from '../openrouter/errors';
import { RUNBOOK, seeRunbook } from './runbooks';

/** A one-line, key-free reason for a failed request, for a check's summary. */
export function describeError(error: unknown): string {
  if (!isOpenRouterError(error)) return 'unexpected internal error (see the logs)';
  const where = error.endpoint ? ` on ${error.endpoint}` : '';
  const api = error.apiMessage ? `: ${error.apiMessage}` : '';
  const tries = error.attempts && error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
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
