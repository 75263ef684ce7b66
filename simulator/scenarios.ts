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
}

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
};

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
