import type { ActivityQuery, ActivityRow, ModelEndpoints } from './insight-types';

/**
 * Parsed OpenRouter responses: only the fields the audit reads, normalised by the client's
 * tolerant parser (missing optional fields become null, numbers sent as strings are accepted).
 * Wire names and nullability follow ../shared/openrouter-api.md.
 */

/** `GET /key` → `data`. */
export interface CurrentKey {
  /** Masked key, e.g. `sk-or-v1-726...f5c`. Safe to show. */
  readonly label: string;
  readonly limit: number | null;
  readonly limitRemaining: number | null;
  readonly limitReset: string | null;
  readonly includeByokInLimit: boolean | null;
  readonly usage: number | null;
  readonly usageDaily: number | null;
  readonly usageWeekly: number | null;
  readonly usageMonthly: number | null;
  readonly isFreeTier: boolean | null;
  /** `is_management_key`, or the deprecated `is_provisioning_key`. */
  readonly isManagementKey: boolean;
  readonly expiresAt: string | null;
}

/** `GET /credits` → `data` (management key). */
export interface Credits {
  readonly totalCredits: number;
  readonly totalUsage: number;
}

/** One element of `GET /keys` → `data[]` (management key). */
export interface KeyInfo {
  readonly hash: string;
  readonly name: string;
  readonly label: string;
  readonly disabled: boolean;
  readonly limit: number | null;
  readonly limitRemaining: number | null;
  readonly limitReset: string | null;
  readonly includeByokInLimit: boolean | null;
  readonly usage: number | null;
  readonly usageDaily: number | null;
  readonly usageWeekly: number | null;
  readonly usageMonthly: number | null;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  readonly expiresAt: string | null;
}

/** One element of `GET /models` → `data[]`. */
export interface ModelInfo {
  readonly id: string;
  readonly name: string | null;
  /** `YYYY-MM-DD` when the model is scheduled to be retired. */
  readonly expirationDate: string | null;
  readonly promptPrice: number | null;
  readonly completionPrice: number | null;
  /** For a `~author/family-latest` alias: `alias_target.slug`, the model it currently resolves to. */
  readonly aliasTarget?: string | null;
}

/** `POST /chat/completions`, non-streaming. */
export interface ChatCompletion {
  readonly id: string | null;
  /** The model that actually served the request. */
  readonly model: string | null;
  readonly provider: string | null;
  readonly content: string | null;
  readonly finishReason: string | null;
  /** `usage.cost` in USD credits. */
  readonly costUsd: number | null;
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
}

export interface ChatRequest {
  readonly model: string;
  readonly maxTokens: number;
  readonly prompt: string;
  /** Fallback models; the audit's probes leave this out so that a fallback cannot mask a failure. */
  readonly fallbackModels?: readonly string[];
}

export interface RequestOptions {
  /** Aborts the request, its retries and its backoff waits (the audit's deadline). */
  readonly signal?: AbortSignal;
  /**
   * When that deadline falls, in epoch milliseconds (`Date.now()` scale). Optional: an AbortSignal
   * cannot say when it will fire, so with this the client also refuses to start a retry wait that
   * would end after the deadline (it fails at once with the last error instead of timing out).
   */
  readonly deadlineAt?: number;
}

/**
 * What the audit engine needs from OpenRouter. The real implementation is the undici client;
 * tests use the same client against the local simulator. Every method rejects only with
 * OpenRouterError. Keys are bound inside the implementation and never handed back.
 */
export interface OpenRouterApi {
  /** True when an API key was configured (it may still be invalid). */
  readonly hasApiKey: boolean;
  /** True when a management key was configured. */
  readonly hasManagementKey: boolean;
  /** `GET /key` with the API key. */
  getCurrentKey(options?: RequestOptions): Promise<CurrentKey>;
  /** `GET /key` with the management key (to confirm it is one). */
  getManagementKeyInfo(options?: RequestOptions): Promise<CurrentKey>;
  /** `GET /credits` with the management key. */
  getCredits(options?: RequestOptions): Promise<Credits>;
  /** Every key of the account: pages of `GET /keys?include_disabled=true&offset=N` with the management key. */
  listAllKeys(options?: RequestOptions): Promise<readonly KeyInfo[]>;
  /** `GET /models` (no key needed). */
  listModels(options?: RequestOptions): Promise<readonly ModelInfo[]>;
  /** `GET /models/{id}/endpoints` (with the API key when there is one: latency is null without). */
  getModelEndpoints(modelId: string, options?: RequestOptions): Promise<ModelEndpoints>;
  /** `GET /activity` with the management key: the last 30 completed UTC days. */
  getActivity(query: ActivityQuery, options?: RequestOptions): Promise<readonly ActivityRow[]>;
  /** `POST /chat/completions` with the API key, non-streaming. */
  chatCompletion(request: ChatRequest, options?: RequestOptions): Promise<ChatCompletion>;
}
