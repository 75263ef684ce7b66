import type { FieldProblem } from './field-checks';
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
  /** External BYOK spend (USD), counted apart from `usage*`. */
  readonly byokUsage: number | null;
  readonly byokUsageDaily: number | null;
  readonly byokUsageWeekly: number | null;
  readonly byokUsageMonthly: number | null;
  /** The key's workspace (SDK 1.3.19); null when the API sends none. */
  readonly workspaceId: string | null;
  /** `budgets` (newer API): every layer that caps this key; null when the server sends no such field. */
  readonly budgets: readonly KeyBudget[] | null;
  /** `effective_budget` (newer API): the layer that blocks first; null when absent or none. */
  readonly effectiveBudget: KeyBudget | null;
  /**
   * Fields that were present but implausible or of the wrong type (they read as null). A check
   * that reads one of them reports `error` with the problem's message instead of a verdict.
   */
  readonly problems: readonly FieldProblem[];
}

/** One budget layer of `GET /key` → `budgets[]` / `effective_budget` (newer API, KeyBudget). */
export interface KeyBudget {
  /** `workspace_default_member`, `workspace_default_key`, `member`, `api_key`, `workspace`, `key_limit`, … (open enum). */
  readonly scope: string;
  readonly limitUsd: number;
  readonly spendUsd: number;
  readonly remainingUsd: number;
  /** daily, weekly, monthly; null = lifetime. */
  readonly resetInterval: string | null;
  readonly resetsAt: string | null;
  readonly includeByok: boolean | null;
  readonly guardrailId: string | null;
  readonly budgetId: string | null;
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
  readonly byokUsageDaily: number | null;
  readonly byokUsageWeekly: number | null;
  readonly byokUsageMonthly: number | null;
  /** BYOK spend over the key's lifetime. */
  readonly byokUsage: number | null;
  /** Required on the wire (KeyData); null only for a server older than workspaces. */
  readonly workspaceId: string | null;
}

/** One element of `GET /workspaces` → `data[]` (management key). */
export interface WorkspaceInfo {
  readonly id: string;
  readonly name: string;
  readonly slug: string | null;
  /** The guardrail that covers every key of the workspace once it has a budget. */
  readonly defaultGuardrailId: string | null;
}

/** Every key the management key can see, and how far that reaches. */
export interface KeyInventory {
  readonly keys: readonly KeyInfo[];
  /** The workspaces listed; empty when `/workspaces` could not be used. */
  readonly workspaces: readonly WorkspaceInfo[];
  /**
   * Null when every workspace was listed; otherwise why only the default workspace was (e.g.
   * `GET /workspaces answered HTTP 404`): a partial inventory is always said to be partial.
   */
  readonly defaultWorkspaceOnly: string | null;
}

/** One element of `GET /guardrails` → `data[]`: only its budget. */
export interface GuardrailInfo {
  readonly id: string;
  readonly name: string;
  /** USD; null = no budget. */
  readonly limitUsd: number | null;
  readonly resetInterval: string | null;
  readonly includeByokInBudgets: boolean | null;
  readonly workspaceId: string | null;
}

/** One element of `GET /guardrails/assignments/keys` → `data[]`. */
export interface GuardrailKeyAssignment {
  readonly keyHash: string;
  readonly guardrailId: string;
}

/** `GET /workspaces/{id}/budgets` (Enterprise). */
export interface WorkspaceBudgets {
  readonly budgets: readonly { readonly limitUsd: number; readonly resetInterval: string | null }[];
  readonly includeByokInBudgets: boolean | null;
}

/** One element of `GET /models` → `data[]`. */
export interface ModelInfo {
  readonly id: string;
  readonly name: string | null;
  /** `YYYY-MM-DD` when the model is scheduled to be retired. */
  readonly expirationDate: string | null;
  readonly promptPrice: number | null;
  readonly completionPrice: number | null;
  /** For a `~…-latest` alias: the id of the model it currently stands for (`alias_target.slug`). */
  readonly aliasTarget: string | null;
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
  /** Every key of the account (the keys of `listKeyInventory`). */
  listAllKeys(options?: RequestOptions): Promise<readonly KeyInfo[]>;
  /**
   * Every key of every workspace: `GET /workspaces` (paged), then pages of
   * `GET /keys?include_disabled=true&workspace_id=…&offset=N` for each, concurrently, with the
   * management key. Falls back to the default workspace when `/workspaces` answers 403 or 404.
   */
  listKeyInventory(options?: RequestOptions): Promise<KeyInventory>;
  /** Every key of one workspace: pages of `GET /keys?include_disabled=true&workspace_id=…`, management key. */
  listWorkspaceKeys(workspaceId: string, options?: RequestOptions): Promise<readonly KeyInfo[]>;
  /** Every guardrail of a workspace (null: the default one): `GET /guardrails`, paged, management key. */
  listGuardrails(workspaceId: string | null, options?: RequestOptions): Promise<readonly GuardrailInfo[]>;
  /** Every guardrail-to-key assignment of the account: `GET /guardrails/assignments/keys`, paged. */
  listGuardrailKeyAssignments(options?: RequestOptions): Promise<readonly GuardrailKeyAssignment[]>;
  /** `GET /workspaces/{id}/budgets` with the management key. */
  getWorkspaceBudgets(workspaceId: string, options?: RequestOptions): Promise<WorkspaceBudgets>;
  /** `GET /models` (no key needed). */
  listModels(options?: RequestOptions): Promise<readonly ModelInfo[]>;
  /** `GET /models/{id}/endpoints` (with the API key when there is one: latency is null without). */
  getModelEndpoints(modelId: string, options?: RequestOptions): Promise<ModelEndpoints>;
  /** `GET /activity` with the management key: the last 30 completed UTC days. */
  getActivity(query: ActivityQuery, options?: RequestOptions): Promise<readonly ActivityRow[]>;
  /** `POST /chat/completions` with the API key, non-streaming. */
  chatCompletion(request: ChatRequest, options?: RequestOptions): Promise<ChatCompletion>;
}
