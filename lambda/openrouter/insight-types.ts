/**
 * Parsed answers of `GET /models/{id}/endpoints` and `GET /activity` (openrouter-api-more.md §5,
 * §4): only the fields the `providers` and `spend-trend` checks read.
 */

/** One element of `GET /models/{id}/endpoints` → `data.endpoints[]`. */
export interface ModelEndpoint {
  readonly providerName: string;
  readonly tag: string | null;
  /** Undocumented int enum; 0 on normal endpoints, negatives read as degraded or offline. */
  readonly status: number | null;
  /** Percentage 0–100 over the last 30 minutes; null when OpenRouter has no figure. */
  readonly uptimeLast30m: number | null;
  /** Time to first token, ms, p50 over 30 minutes; null without a key. */
  readonly latencyP50Ms: number | null;
}

/** `GET /models/{id}/endpoints` → `data`. */
export interface ModelEndpoints {
  readonly id: string;
  readonly endpoints: readonly ModelEndpoint[];
}

/** One element of `GET /activity` → `data[]`: one row per date × model × endpoint. */
export interface ActivityRow {
  /** `YYYY-MM-DD` (UTC). */
  readonly date: string;
  readonly model: string;
  readonly providerName: string | null;
  /** USD of OpenRouter credits. */
  readonly usage: number;
  readonly requests: number | null;
}

export interface ActivityQuery {
  /** Only this key's activity: the 64-hex `hash` from `/keys`. */
  readonly apiKeyHash?: string;
}
