/**
 * The one error family of the OpenRouter client. Callers branch on `code`, never on `message`.
 * Messages are short and fixed; they never contain a key (only OpenRouter's masked label form,
 * `sk-or-v1-abc...123`, may appear, and only through `redactSecrets`).
 */
export type OpenRouterErrorCode =
  /** The API answered with a non-2xx status. `status` is set. */
  | 'HTTP_STATUS'
  /** The API answered 200 but the body carried an `error` object (or no `choices` for a completion). */
  | 'API_ERROR_IN_200'
  /** Connect, headers or body took too long, or the audit deadline ran out. */
  | 'TIMEOUT'
  /** Connection refused or reset, DNS failure, TLS failure. */
  | 'NETWORK'
  /** The body was not JSON, or JSON of the wrong shape. */
  | 'BAD_RESPONSE'
  /** The body exceeded the client's size cap. */
  | 'RESPONSE_TOO_LARGE'
  /** The free-tier daily request cap was hit: not retryable until `resetAt`. */
  | 'RATE_LIMITED_DAILY'
  /** The base URL was refused (plain http to a non-loopback host, not a URL). */
  | 'INSECURE_BASE_URL'
  /** The request needs a key that was not given (e.g. a management key for `/credits`). */
  | 'MISSING_KEY';

export interface OpenRouterErrorDetails {
  /** HTTP status, when one was received. */
  readonly status?: number;
  /** The endpoint path (no query string, no host credentials), e.g. `/key`. */
  readonly endpoint?: string;
  /** The API's own error message, redacted and truncated to 300 characters. */
  readonly apiMessage?: string;
  /** OpenRouter's `error.metadata.error_type` or `availability.code`, when present. */
  readonly apiErrorType?: string;
  /**
   * The `error.code` inside the body, when it differs in meaning from the HTTP status: an error
   * inside an HTTP 200 carries the upstream failure here (e.g. 524).
   */
  readonly apiCode?: number;
  /** How many requests were sent in all (1 + retries). */
  readonly attempts?: number;
  /**
   * `error.metadata.limit_source` of a 402/403/429: which limit refused the request
   * (`openrouter_credits`, `openrouter_key_limit`, `openrouter_guardrail_budget`, …).
   */
  readonly limitSource?: string;
  /** `error.availability.code` of an availability error (`model_deprecated`, `region_restricted`, …). */
  readonly availabilityCode?: string;
  /** `error.availability.fallback_models`: where to go instead. */
  readonly fallbackModels?: readonly string[];
  /** The provider's minimum `max_tokens`, when it refused a smaller value. */
  readonly minimumTokens?: number;
  /**
   * When a rate limit resets (from `X-RateLimit-Reset`), for RATE_LIMITED_DAILY; also on an
   * HTTP_STATUS 429 that was not retried because the reset lies beyond the deadline.
   */
  readonly resetAt?: Date;
  readonly cause?: unknown;
}

export class OpenRouterError extends Error {
  override readonly name = 'OpenRouterError';
  readonly status?: number;
  readonly endpoint?: string;
  readonly apiMessage?: string;
  readonly apiErrorType?: string;
  readonly apiCode?: number;
  readonly attempts?: number;
  readonly resetAt?: Date;
  readonly limitSource?: string;
  readonly availabilityCode?: string;
  readonly fallbackModels?: readonly string[];
  readonly minimumTokens?: number;

  constructor(
    readonly code: OpenRouterErrorCode,
    message: string,
    details: OpenRouterErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.endpoint = details.endpoint;
    this.apiMessage = details.apiMessage;
    this.apiErrorType = details.apiErrorType;
    this.apiCode = details.apiCode;
    this.attempts = details.attempts;
    this.resetAt = details.resetAt;
    this.limitSource = details.limitSource;
    this.availabilityCode = details.availabilityCode;
    this.fallbackModels = details.fallbackModels;
    this.minimumTokens = details.minimumTokens;
  }
}

export const isOpenRouterError = (e: unknown): e is OpenRouterError => e instanceof OpenRouterError;

/**
 * A copy of `error` with some details added or replaced (the error's fields are read-only), e.g. the
 * attempt count once the retry loop knows it. Code and message may be changed with it.
 */
export function withErrorDetails(
  error: OpenRouterError,
  details: OpenRouterErrorDetails,
  code: OpenRouterErrorCode = error.code,
  message: string = error.message,
): OpenRouterError {
  return new OpenRouterError(code, message, {
    status: error.status,
    endpoint: error.endpoint,
    apiMessage: error.apiMessage,
    apiErrorType: error.apiErrorType,
    apiCode: error.apiCode,
    attempts: error.attempts,
    resetAt: error.resetAt,
    limitSource: error.limitSource,
    availabilityCode: error.availabilityCode,
    fallbackModels: error.fallbackModels,
    minimumTokens: error.minimumTokens,
    cause: error.cause,
    ...details,
  });
}
