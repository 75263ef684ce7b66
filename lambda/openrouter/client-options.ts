import type { Dispatcher } from 'undici';
import type { Logger } from '../engine/logger';
import type { RetryOptions } from './retry-policy';

/** Sent as `HTTP-Referer` by default: OpenRouter's app attribution. */
export const DEFAULT_REFERER = 'https://github.com/openrouter-auditor/openrouter-auditor';
/** Sent as `X-OpenRouter-Title` by default. */
export const DEFAULT_APP_TITLE = 'openrouter-auditor';
/** The real `/models` list is several MB; the cap leaves room for growth while bounding memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** Options of {@link createOpenRouterClient}. */
export interface OpenRouterClientOptions {
  /**
   * API root. Must be https, except for loopback hosts (127.0.0.0/8, localhost, [::1]) such as the
   * local simulator; a trailing slash is tolerated.
   * @default "https://openrouter.ai/api/v1"
   */
  readonly baseUrl?: string;
  /** The inference API key (`/key`, `/chat/completions`). Kept private; never logged or put in errors. @default none */
  readonly apiKey?: string;
  /** The management key (`/credits`, `/keys`). Kept private like the API key. @default none */
  readonly managementKey?: string;
  /**
   * The undici dispatcher to send through (tests, proxies, a shared pool). Per-request headers and
   * body timeouts are still applied; the connect timeout is the dispatcher's own.
   * @default an Agent created once per client, with the timeouts below and keep-alive
   */
  readonly dispatcher?: Dispatcher;
  /** TCP + TLS connect timeout of the default Agent. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Time allowed for the response headers: completions can take a while. @default 15000 */
  readonly headersTimeoutMs?: number;
  /** Longest silence allowed between two body chunks. @default 15000 */
  readonly bodyTimeoutMs?: number;
  /** Larger bodies are refused with RESPONSE_TOO_LARGE while streaming, never buffered whole. @default 16777216 (16 MiB) */
  readonly maxResponseBytes?: number;
  /** Retry policy; see ./retry-policy.ts. @default { maxRetries: 3, minDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 30000 } */
  readonly retry?: RetryOptions;
  /** Receives one line per retry and per failed call; fields are redacted. @default silentLogger */
  readonly logger?: Logger;
  /** Sent as `X-OpenRouter-Title`. @default "openrouter-auditor" */
  readonly appTitle?: string;
  /** Sent as `HTTP-Referer`. @default "https://github.com/openrouter-auditor/openrouter-auditor" */
  readonly referer?: string;
}

export interface ResolvedTimeouts {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly maxResponseBytes: number;
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Defaults for missing or nonsensical (zero, negative, NaN) limits: 0 would mean "no timeout" to undici. */
export function resolveTimeouts(options: OpenRouterClientOptions): ResolvedTimeouts {
  return {
    connectTimeoutMs: positive(options.connectTimeoutMs, 5000),
    headersTimeoutMs: positive(options.headersTimeoutMs, 15_000),
    bodyTimeoutMs: positive(options.bodyTimeoutMs, 15_000),
    maxResponseBytes: Math.floor(positive(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES)),
  };
}

/** A key as given, or undefined when empty (an unset environment variable often arrives as ""). */
export function normalizeKey(key: string | undefined): string | undefined {
  const trimmed = key?.trim();
  return trimmed ? trimmed : undefined;
}
