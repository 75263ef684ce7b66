import type { ScenarioName } from './types';

/** Spend and limit figures of one key, in USD; dates in days relative to the simulator's clock. */
export interface KeyFigures {
  readonly name: string;
  readonly limit: number | null;
  readonly limitReset: 'daily' | 'weekly' | 'monthly' | null;
  /** Lifetime spend; `limit_remaining` of a key whose limit never resets is `limit - usage`. */
  readonly usage: number;
  /**
   * Steady spend per day: `usage_daily`, `usage_weekly` and `usage_monthly` are this rate over the
   * elapsed part of each UTC period, computed from the clock (usage-periods.ts).
   */
  readonly dailySpend: number;
  /** Spent earlier today on top of the steady rate (a spike). */
  readonly spentToday: number;
  readonly createdDaysAgo: number;
  readonly updatedDaysAgo: number | null;
  /** Days until `expires_at`; null means the key never expires. */
  readonly expiresInDays: number | null;
  readonly disabled: boolean;
  /** Steady BYOK spend per day (USD, valued at OpenRouter's price); 0 when absent. */
  readonly byokDailySpend?: number;
  /** `include_byok_in_limit`: BYOK spend counts against the key's limit. */
  readonly includeByokInLimit?: boolean;
}

/** A workspace besides the default one. */
export interface WorkspaceSpec {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
}

/** A guardrail with a budget (openrouter-api-more.md §2). */
export interface GuardrailSpec {
  readonly id: string;
  readonly name: string;
  readonly limitUsd: number;
  readonly reset: 'daily' | 'weekly' | 'monthly' | null;
  /** Assigned to the API key directly (else it is the API key's workspace's default guardrail). */
  readonly on: 'api-key' | 'workspace-default';
}

/** How every completion (or the next `times` of them) is refused, whatever the account's money. */
export interface ChatRefusal {
  readonly status: number;
  readonly message: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** An availability error's `availability` object (sent with `code` too, as the SDK needs). */
  readonly availability?: Readonly<Record<string, unknown>>;
  readonly errorType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Only the first N completions of the scenario are refused (a transient refusal). */
  readonly times?: number;
}

/** How a listing misbehaves, for the data-validation scenarios. */
export type ListingFault = 'none' | 'duplicate-key' | 'future-created-key';

/** How the configured API key answers. */
export type ApiKeyRole =
  /** A regular inference key (the normal case). */
  | 'regular'
  /** Unknown to OpenRouter: deleted or mistyped (`401 User not found.`). */
  | 'unknown'
  /** A management key configured where an inference key belongs. */
  | 'management';

/** How `/chat/completions` fails for every model, whatever the account's money. */
export type ChatOutage = 'none' | 'provider-down' | 'rate-limited';

/** What one scenario changes from the healthy account. */
export interface ScenarioSpec {
  /** One line for `--help` and documentation. */
  readonly description: string;
  /** The audit check the scenario is built to make fail or warn (none for `healthy`). */
  readonly target: string | null;
  readonly account: { readonly totalCredits: number; readonly totalUsage: number };
  readonly apiKey: KeyFigures;
  readonly apiKeyRole: ApiKeyRole;
  readonly missingModels: readonly string[];
  /** Model id → days until its `expiration_date`. */
  readonly retiringModels: Readonly<Record<string, number>>;
  readonly chatOutage: ChatOutage;
  /** Two further keys without a limit and one 120 days old. */
  readonly unlimitedExtraKeys: boolean;
  /** Workspaces besides the default one (none: the account shows only its default workspace). */
  readonly workspaces: readonly WorkspaceSpec[];
  /** The API key's workspace id (null: the default workspace). */
  readonly apiKeyWorkspace: string | null;
  /** Further keys, each in a given workspace (null: default). */
  readonly workspaceKeys: readonly { readonly workspace: string | null; readonly figures: KeyFigures }[];
  /** `GET /workspaces`: served, or refused as on an account without the workspaces API. */
  readonly workspacesApi: 'ok' | 403 | 404;
  readonly guardrails: readonly GuardrailSpec[];
  /** Budgets of the API key's workspace. */
  readonly workspaceBudgets: readonly {
    readonly limitUsd: number;
    readonly reset: 'daily' | 'weekly' | 'monthly' | null;
  }[];
  /** `/key` reports `budgets` and `effective_budget` (newer API); otherwise it leaves them out. */
  readonly reportBudgets: boolean;
  readonly chatRefusal: ChatRefusal | null;
  /** Providers of these models refuse `max_tokens` below this (OpenAI and Azure: 16). */
  readonly minTokens: Readonly<Record<string, number>>;
  /** Fields of the API key's `/key` data replaced by these raw values (data-validation scenarios). */
  readonly keyDataOverrides: Readonly<Record<string, unknown>>;
  readonly listingFault: ListingFault;
  /** Changes to further keys by index (0 = `ci-pipeline-1`, 2 = `batch-jobs-3`, …). */
  readonly extraKeyChanges?: Readonly<Record<number, Partial<KeyFigures>>>;
}

/**
 * The healthy account passes the audit's default thresholds with a wide margin: balance 380 USD
 * (minimum 10), runway over 60 days at 1.2 USD a day (minimum 7), a key limit, a 30-day-old key
 * (warn at 75, fail at 90), no expiry and no model retiring.
 */
const HEALTHY_API_KEY: KeyFigures = {
  name: 'production-app',
  limit: 100,
  limitReset: null,
  usage: 20,
  dailySpend: 1.2,
  spentToday: 0,
  createdDaysAgo: 30,
  updatedDaysAgo: 10,
  expiresInDays: null,
  disabled: false,
};

const HEALTHY: ScenarioSpec = {
  description: 'A well-run account: every check passes.',
  target: null,
  account: { totalCredits: 500, totalUsage: 120 },
  apiKey: HEALTHY_API_KEY,
  apiKeyRole: 'regular',
  missingModels: [],
  retiringModels: {},
  chatOutage: 'none',
  unlimitedExtraKeys: false,
  workspaces: [],
  apiKeyWorkspace: null,
  workspaceKeys: [],
  workspacesApi: 'ok',
  guardrails: [],
  workspaceBudgets: [],
  reportBudgets: false,
  chatRefusal: null,
  minTokens: {},
  keyDataOverrides: {},
  listingFault: 'none',
};

/** A second workspace, as an organisation with a research team might have. */
export const RESEARCH_WORKSPACE: WorkspaceSpec = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  name: 'Research',
  slug: 'research',
};

const OLD_UNLIMITED_KEY: KeyFigures = {
  name: 'notebook-experiments',
  limit: null,
  limitReset: null,
  usage: 42,
  dailySpend: 0.2,
  spentToday: 0,
  createdDaysAgo: 200,
  updatedDaysAgo: 150,
  expiresInDays: null,
  disabled: false,
};

const ERRORS_DOCS = 'https://openrouter.ai/docs/api/reference/errors-and-debugging';

/** An availability error as the errors-and-debugging docs show it (plus `code`, which the SDK requires). */
function availabilityRefusal(
  status: number,
  errorType: string,
  code: string,
  message: string,
  extra: Readonly<Record<string, unknown>> = {},
): ChatRefusal {
  return {
    status,
    message,
    errorType,
    availability: {
      code,
      retryable: false,
      requested_models: ['openai/gpt-4o-mini'],
      docs_url: ERRORS_DOCS,
      ...extra,
    },
  };
}

/** A budget 403 as newer docs describe it: `limit_source` plus scope, limit, spend and reset. */
function budgetRefusal(limitSource: string, message: string, scope: string): ChatRefusal {
  return {
    status: 403,
    message,
    metadata: {
      limit_source: limitSource,
      scope,
      limit_usd: 50,
      spend_usd: 50.02,
      resets_at: '2026-12-01T00:00:00.000Z',
    },
  };
}

function variant(
  description: string,
  target: string,
  changes: Partial<Omit<ScenarioSpec, 'description' | 'target'>>,
): ScenarioSpec {
  return { ...HEALTHY, ...changes, description, target };
}

export const SCENARIO_SPECS: Readonly<Record<ScenarioName, ScenarioSpec>> = {
  healthy: HEALTHY,
  'no-key-limit': variant('The API key has no credit limit (limit null).', 'key-limit', {
    apiKey: { ...HEALTHY_API_KEY, limit: null },
  }),
  // The key's limit is small rather than nearly used up, so that only the money left is low and
  // the keys check does not also see a key past 90 % of its limit.
  'low-credits': variant('About 3 USD left on the account and 2 USD under the key limit.', 'credits', {
    account: { totalCredits: 500, totalUsage: 497 },
    apiKey: {
      ...HEALTHY_API_KEY,
      limit: 5,
      usage: 3,
      dailySpend: 0.3,
    },
  }),
  'old-key': variant('The API key was created 120 days ago.', 'key-age', {
    apiKey: { ...HEALTHY_API_KEY, createdDaysAgo: 120, updatedDaysAgo: 100 },
  }),
  'key-expiring': variant('The API key expires in 5 days.', 'key-age', {
    apiKey: { ...HEALTHY_API_KEY, expiresInDays: 5 },
  }),
  'model-missing': variant(
    'openai/gpt-4o-mini is gone from /models; completions answer 400 model_not_found.',
    'models',
    {
      missingModels: ['openai/gpt-4o-mini'],
    },
  ),
  'model-retiring': variant("openai/gpt-4o-mini's expiration_date is 10 days away.", 'models', {
    retiringModels: { 'openai/gpt-4o-mini': 10 },
  }),
  'provider-down': variant('Every completion fails with 502 "Provider returned error".', 'test-request', {
    chatOutage: 'provider-down',
  }),
  'rate-limited': variant(
    'Every completion gets 429 with Retry-After: 1 and X-RateLimit-* headers.',
    'test-request',
    {
      chatOutage: 'rate-limited',
    },
  ),
  'payment-required': variant(
    'The account balance is 0: completions answer 402 "can only afford 0".',
    'test-request',
    {
      account: { totalCredits: 120, totalUsage: 120 },
    },
  ),
  'invalid-key': variant(
    'The API key is unknown (deleted): 401 "User not found." wherever it is used.',
    'auth',
    {
      apiKeyRole: 'unknown',
    },
  ),
  // The limit is raised with the spend so that the runway stays long: only the day's spend is wrong.
  'over-budget': variant("Today's spend (usage_daily) is 60 USD, over a 50 USD daily budget.", 'spend', {
    account: { totalCredits: 5000, totalUsage: 700 },
    apiKey: {
      ...HEALTHY_API_KEY,
      limit: 2000,
      usage: 100,
      dailySpend: 1.2,
      spentToday: 60,
    },
  }),
  'management-key-as-api-key': variant(
    'The configured API key is a management key: /key says is_management_key, completions answer 403.',
    'auth',
    { apiKeyRole: 'management' },
  ),
  'unlimited-keys': variant('Two other keys of the account have no limit and one is 120 days old.', 'keys', {
    unlimitedExtraKeys: true,
  }),
  'second-workspace-keys': variant(
    'A second workspace (Research) holds a 200-day-old key without a limit; GET /keys without workspace_id does not list it.',
    'keys',
    {
      workspaces: [RESEARCH_WORKSPACE],
      workspaceKeys: [{ workspace: RESEARCH_WORKSPACE.id, figures: OLD_UNLIMITED_KEY }],
    },
  ),
  'key-in-second-workspace': variant(
    'The API key lives in the Research workspace, not the default one; key-age must find it there (it passes).',
    'key-age',
    { workspaces: [RESEARCH_WORKSPACE], apiKeyWorkspace: RESEARCH_WORKSPACE.id },
  ),
  'no-workspaces-api': variant(
    'GET /workspaces answers 404 (an account without workspaces): the key list falls back to the default workspace and says so.',
    'keys',
    { workspacesApi: 404 },
  ),
  'guardrail-budget': variant(
    'The API key has no limit of its own but a 50 USD monthly guardrail budget is assigned to it; /key does not report budgets (older API).',
    'key-limit',
    {
      apiKey: { ...HEALTHY_API_KEY, limit: null },
      guardrails: [
        {
          id: 'b3a1c2d4-0000-4000-8000-00000000a001',
          name: 'agents',
          limitUsd: 50,
          reset: 'monthly',
          on: 'api-key',
        },
      ],
    },
  ),
  'guardrail-budget-reported': variant(
    'As guardrail-budget, but /key reports budgets and effective_budget itself (newer API).',
    'key-limit',
    {
      apiKey: { ...HEALTHY_API_KEY, limit: null },
      guardrails: [
        {
          id: 'b3a1c2d4-0000-4000-8000-00000000a001',
          name: 'agents',
          limitUsd: 50,
          reset: 'monthly',
          on: 'api-key',
        },
      ],
      reportBudgets: true,
    },
  ),
  'workspace-budget': variant(
    "The API key has no limit of its own; its workspace's default guardrail caps each key at 40 USD a week, and a 300 USD monthly workspace budget applies.",
    'key-limit',
    {
      apiKey: { ...HEALTHY_API_KEY, limit: null },
      guardrails: [
        {
          id: 'b3a1c2d4-0000-4000-8000-00000000a002',
          name: 'Workspace default',
          limitUsd: 40,
          reset: 'weekly',
          on: 'workspace-default',
        },
      ],
      workspaceBudgets: [{ limitUsd: 300, reset: 'monthly' }],
    },
  ),
  'guardrail-budget-spent': variant(
    'The guardrail budget over the API key is spent: completions answer 403 with limit_source openrouter_guardrail_budget.',
    'key-limit',
    {
      apiKey: { ...HEALTHY_API_KEY, limit: null, usage: 60, dailySpend: 2.5 },
      guardrails: [
        {
          id: 'b3a1c2d4-0000-4000-8000-00000000a001',
          name: 'agents',
          limitUsd: 20,
          reset: null,
          on: 'api-key',
        },
      ],
      chatRefusal: budgetRefusal('openrouter_guardrail_budget', 'Guardrail budget exceeded.', 'api_key'),
    },
  ),
  'workspace-budget-exceeded': variant(
    'Completions answer 403 "Workspace monthly budget of $500.00 exceeded." with limit_source openrouter_workspace_budget.',
    'test-request',
    {
      chatRefusal: budgetRefusal(
        'openrouter_workspace_budget',
        'Workspace monthly budget of $500.00 exceeded. Contact your org admin.',
        'workspace',
      ),
    },
  ),
  'key-limit-exceeded': variant(
    'Completions answer 403 "Key limit exceeded (monthly limit)" with limit_source openrouter_key_limit.',
    'test-request',
    {
      chatRefusal: {
        status: 403,
        message: 'Key limit exceeded (monthly limit). Manage it using https://openrouter.ai/settings/keys',
        metadata: { limit_source: 'openrouter_key_limit' },
      },
    },
  ),
  'in-flight-402': variant(
    'The first completion gets 402 in_flight_budget_exhausted with Retry-After: 1 (transient); the retry answers.',
    'test-request',
    {
      chatRefusal: {
        status: 402,
        message:
          'This request would exceed your available credits given your current in-flight requests. Retry after in-flight requests settle, or add credits.',
        metadata: { reason: 'in_flight_budget_exhausted', limit_source: 'openrouter_in_flight_budget' },
        headers: { 'Retry-After': '1' },
        times: 1,
      },
    },
  ),
  'provider-minimum-tokens': variant(
    'OpenAI and Azure endpoints refuse max_tokens below 16 with HTTP 400 "integer below minimum value" (as they do live).',
    'test-request',
    { minTokens: { 'openai/gpt-4o-mini': 16, 'openai/gpt-4o': 16, 'openai/o1': 16 } },
  ),
  'model-deprecated': variant(
    'Completions answer 404 model_deprecated with the successor openai/gpt-4o in fallback_models.',
    'test-request',
    {
      chatRefusal: availabilityRefusal(
        404,
        'not_found',
        'model_deprecated',
        'openai/gpt-4o-mini is deprecated',
        {
          fallback_models: ['openai/gpt-4o'],
        },
      ),
    },
  ),
  'region-restricted': variant('Completions answer 403 region_restricted.', 'test-request', {
    chatRefusal: availabilityRefusal(
      403,
      'permission_denied',
      'region_restricted',
      'Model not available in your region',
    ),
  }),
  'privacy-restricted': variant(
    'Completions answer 404 privacy_restricted (the data policy excludes every endpoint).',
    'test-request',
    {
      chatRefusal: availabilityRefusal(
        404,
        'not_found',
        'privacy_restricted',
        'No endpoints found matching your data policy',
        {
          excluded_by: ['data_policy:training'],
        },
      ),
    },
  ),
  'free-variant-ended': variant(
    'Completions answer 404 free_variant_ended with the paid model in fallback_models.',
    'test-request',
    {
      chatRefusal: availabilityRefusal(
        404,
        'not_found',
        'free_variant_ended',
        'The free variant of this model has ended',
        {
          fallback_models: ['meta-llama/llama-3.1-8b-instruct'],
        },
      ),
    },
  ),
  'constraint-filtered': variant(
    'Completions answer 404 constraint_filtered (max_price excludes every endpoint).',
    'test-request',
    {
      chatRefusal: availabilityRefusal(
        404,
        'not_found',
        'constraint_filtered',
        'No endpoints match your request constraints',
        {
          excluded_by: ['max_price'],
          constraint: { field: 'max_price', detail: 'every endpoint costs more than max_price' },
        },
      ),
    },
  ),
  'no-endpoints': variant('Completions answer 404 no_endpoints.', 'test-request', {
    chatRefusal: availabilityRefusal(
      404,
      'not_found',
      'no_endpoints',
      'No endpoints found for openai/gpt-4o-mini',
    ),
  }),
  // Without BYOK the key's 160 USD limit would last years; BYOK spend of 4 USD a day, counted in
  // the limit, leaves 20 USD and about five days.
  'byok-spend': variant(
    'The API key counts BYOK spend in its limit (include_byok_in_limit): 4 USD a day of BYOK besides its credit spend leaves about 5 days.',
    'credits',
    { apiKey: { ...HEALTHY_API_KEY, limit: 160, byokDailySpend: 4, includeByokInLimit: true } },
  ),
  'garbage-key-figures': variant('GET /key sends "limit": "lots" (a wrong-typed figure).', 'key-limit', {
    keyDataOverrides: { limit: 'lots' },
  }),
  'absurd-key-figures': variant(
    'GET /key sends a limit of 1e308 dollars and a negative usage.',
    'key-limit',
    {
      keyDataOverrides: { limit: 1e308, usage: -4 },
    },
  ),
  'future-created-key': variant('One listed key was created a year in the future.', 'keys', {
    listingFault: 'future-created-key',
  }),
  'duplicated-key-pages': variant('GET /keys lists the same key hash twice.', 'keys', {
    listingFault: 'duplicate-key',
  }),
  // Provider health (GET /models/{id}/endpoints); the endpoint changes are in endpoint-health.ts.
  'endpoints-down': variant(
    'Every endpoint of openai/gpt-4o-mini is down: status -1 and 0 % uptime_last_30m.',
    'providers',
    {},
  ),
  'single-provider': variant(
    'openai/gpt-4o-mini is served by one provider (OpenAI) only: no provider failover.',
    'providers',
    {},
  ),
  'low-uptime': variant(
    "openai/gpt-4o-mini's best endpoint had 88.4 % uptime in the last 30 minutes.",
    'providers',
    {},
  ),
  // The spike is on a further key, so that the API key's own spend (the spend check) stays normal.
  'spend-spike': variant(
    'ci-pipeline-1 spent 30 USD today against an account average of about 3.6 USD a day (GET /activity).',
    'spend-trend',
    { extraKeyChanges: { 0: { spentToday: 30 } } },
  ),
  // Over the 5 USD daily budget --simulate gives batch-jobs-* keys, and below a spend spike.
  'key-over-budget': variant('batch-jobs-3 spent 6 USD today, over its 5 USD daily key budget.', 'keys', {
    extraKeyChanges: { 2: { spentToday: 6 } },
  }),
};
