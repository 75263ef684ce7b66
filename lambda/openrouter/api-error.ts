import type { Redactor } from '../engine/redact';
import { isJsonObject, type JsonObject, toNumber } from './json-readers';

/** The longest API message kept on an error. */
export const API_MESSAGE_MAX_CHARS = 300;

/** What the client keeps of OpenRouter's error envelope `{"error":{code,message,metadata}}`. */
export interface ApiErrorInfo {
  /** `error.message`, redacted and truncated: an API may echo the caller's key back. */
  readonly message: string | null;
  /** `error.code`: optional (availability errors leave it out), usually the HTTP status. */
  readonly code: number | null;
  /** `metadata.error_type`, else `error.error_type`, else `availability.code`, else `metadata.limit_source`. */
  readonly errorType: string | null;
  /** `metadata.limit_source`, e.g. `openrouter_free_tier_daily`. */
  readonly limitSource: string | null;
  /** `metadata.headers["X-RateLimit-Reset"]`: epoch milliseconds. */
  readonly rateLimitResetAtMs: number | null;
  /** `availability.retry_after` (seconds on the wire), in milliseconds. */
  readonly retryAfterMs: number | null;
  /** `availability.code` (`model_deprecated`, `region_restricted`, …), when present. */
  readonly availabilityCode: string | null;
  /** `availability.fallback_models`: the successor of a deprecated model, the paid slug of an ended `:free` one. */
  readonly fallbackModels: readonly string[];
  /**
   * The smallest `max_tokens` a provider accepts, when it refused a smaller one ("integer below
   * minimum value. Expected a value >= 16", inside `metadata.raw` for OpenAI and Azure).
   */
  readonly minimumTokens: number | null;
}

const BELOW_MINIMUM = /below minimum value[^0-9]{0,80}>=\s*(\d{1,6})/i;

/** The provider's minimum from the message or the raw upstream error, if either states one. */
function minimumTokensIn(...texts: (string | null)[]): number | null {
  for (const text of texts) {
    const match = text === null ? null : BELOW_MINIMUM.exec(text);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return null;
}

/**
 * Characters of an API text looked at: a 16 MB error body is not redacted whole to keep 300
 * characters of it. The window ends before the token it would cut in two, so no piece of a key
 * can sit at its edge; the window is then redacted before anything else is cut.
 */
const API_TEXT_WINDOW = 8 * API_MESSAGE_MAX_CHARS;

/** Redacts first (so no secret survives), then truncates (so a cut cannot hide a secret from the redactor). */
export function sanitizeApiText(text: string, redactor: Redactor): string {
  const window =
    text.length <= API_TEXT_WINDOW ? text : text.slice(0, API_TEXT_WINDOW).replace(/[^\s"'<>]{0,80}$/, '');
  const clean = redactor.redact(window).replace(/\s+/g, ' ').trim();
  return clean.length > API_MESSAGE_MAX_CHARS ? `${clean.slice(0, API_MESSAGE_MAX_CHARS - 1)}…` : clean;
}

function optString(object: JsonObject | null, key: string): string | null {
  const value = object?.[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function optObject(object: JsonObject | null, key: string): JsonObject | null {
  const value = object?.[key];
  return isJsonObject(value) ? value : null;
}

function headerValue(headers: JsonObject | null, name: string): unknown {
  if (headers === null) return undefined;
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : headers[key];
}

/**
 * Reads one error object (the value of a body's `error`, or of `choices[i].error`).
 * Never throws: unknown shapes yield nulls, and a bare string is taken as the message.
 */
export function readErrorObject(value: unknown, redactor: Redactor): ApiErrorInfo | null {
  if (typeof value === 'string') {
    return {
      message: sanitizeApiText(value, redactor),
      code: null,
      errorType: null,
      limitSource: null,
      rateLimitResetAtMs: null,
      retryAfterMs: null,
      availabilityCode: null,
      fallbackModels: [],
      minimumTokens: minimumTokensIn(value),
    };
  }
  if (!isJsonObject(value)) return null;
  const metadata = optObject(value, 'metadata');
  const availability = optObject(value, 'availability') ?? optObject(metadata, 'availability');
  const limitSource = optString(metadata, 'limit_source');
  const rawType =
    optString(metadata, 'error_type') ??
    optString(value, 'error_type') ??
    optString(availability, 'code') ??
    limitSource;
  const message = optString(value, 'message');
  const code = toNumber(value.code);
  const retryAfterSeconds = toNumber(availability?.retry_after);
  return {
    message: message === null ? null : sanitizeApiText(message, redactor),
    code: code === null ? null : Math.trunc(code),
    errorType: rawType === null ? null : sanitizeApiText(rawType, redactor),
    limitSource: limitSource === null ? null : sanitizeApiText(limitSource, redactor),
    rateLimitResetAtMs: toNumber(headerValue(optObject(metadata, 'headers'), 'X-RateLimit-Reset')),
    retryAfterMs: retryAfterSeconds === null || retryAfterSeconds < 0 ? null : retryAfterSeconds * 1000,
    availabilityCode: (() => {
      const code = optString(availability, 'code');
      return code === null ? null : sanitizeApiText(code, redactor);
    })(),
    fallbackModels: Array.isArray(availability?.fallback_models)
      ? availability.fallback_models
          .filter((m): m is string => typeof m === 'string')
          .slice(0, 3)
          .map((m) => sanitizeApiText(m, redactor))
      : [],
    minimumTokens: minimumTokensIn(message, optString(metadata, 'raw')),
  };
}

/** Reads the `error` member of a parsed body, or null when the body carries none. */
export function readApiError(body: unknown, redactor: Redactor): ApiErrorInfo | null {
  if (!isJsonObject(body)) return null;
  const error = body.error;
  if (error === undefined || error === null) return null;
  return readErrorObject(error, redactor);
}
