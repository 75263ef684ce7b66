import { buildCatalogView, type CatalogView } from './catalog-view';
import { daysFrom, isoTimestamp } from './clock';
import { KeyList, type ListedKey } from './key-list';
import { extraKeyIdentities, identify, type KeyIdentity } from './keys';
import {
  type ApiKeyRole,
  type ChatOutage,
  type ChatRefusal,
  type KeyFigures,
  SCENARIO_SPECS,
  type ScenarioSpec,
} from './scenarios';
import type { ScenarioName } from './types';
import { periodUsage } from './usage-periods';

/** The simulated account's owner, as in `user_id` of error bodies and `creator_user_id`. */
export const USER_ID = 'user_2SimulatedAccount000000000';
/** The account's default workspace. */
export const WORKSPACE_ID = '5e1a0c3d-7b2f-4c8e-9a61-0d2f3b4c5a6e';

/** The parts of the simulator's options an account is built from. */
export interface AccountInputs {
  readonly apiKey: string;
  readonly managementKey: string;
  readonly extraKeys: number;
  readonly disabledKeys: number;
}

/** Everything the routes read, built once per scenario (and whenever the scenario changes). */
export interface AccountSnapshot {
  readonly scenario: ScenarioName;
  readonly apiKeyRole: ApiKeyRole;
  /** Money the account has left: `total_credits - total_usage`, USD. */
  readonly balance: number;
  /** The API key's figures (limit, usage, dates) in this scenario. */
  readonly apiKeyFigures: KeyFigures;
  readonly creditsBody: string;
  /** `/key` body for the API key (its `is_management_key` follows `apiKeyRole`). */
  readonly apiKeyBody: string;
  /** `/key` body for the management key. */
  readonly managementKeyBody: string;
  /** The default workspace's keys (what `GET /keys` without `workspace_id` lists). */
  readonly keys: KeyList;
  /** Every key, for `GET /keys/{hash}` (a management key spans all workspaces). */
  readonly allKeys: KeyList;
  readonly keysByWorkspace: ReadonlyMap<string, KeyList>;
  /** `GET /workspaces` items (wire shape), the default workspace first. */
  readonly workspaces: readonly Readonly<Record<string, unknown>>[];
  readonly workspacesApi: 'ok' | 403 | 404;
  /** `GET /guardrails` items (wire shape), all in the API key's workspace. */
  readonly guardrails: readonly Readonly<Record<string, unknown>>[];
  readonly guardrailAssignments: readonly Readonly<Record<string, unknown>>[];
  /** Budgets of the API key's workspace (wire shape). */
  readonly workspaceBudgets: readonly Readonly<Record<string, unknown>>[];
  readonly chatRefusal: ChatRefusal | null;
  /** Refusals sent so far in this scenario (for a refusal limited to the first N completions). */
  readonly refusalsSent: { count: number };
  readonly minTokens: Readonly<Record<string, number>>;
  readonly catalog: CatalogView;
  readonly chatOutage: ChatOutage;
  /** The listed keys' steady spend, from which `/activity` builds the past days. */
  readonly spenders: readonly Spender[];
}

/** One key's part in the account's history (routes/activity.ts). */
export interface Spender {
  readonly hash: string;
  readonly name: string;
  readonly dailySpend: number;
  readonly createdDaysAgo: number;
}

/** A workspace's default guardrail id: derived from the workspace id, as OpenRouter's is. */
export function defaultGuardrailId(workspaceId: string): string {
  return `${workspaceId.slice(0, -4)}d0f7`;
}

const EXTRA_KEY_NAMES = [
  'ci-pipeline',
  'staging',
  'batch-jobs',
  'analytics',
  'support-bot',
  'docs-search',
  'eval-runner',
];

/** A small deterministic generator (mulberry32), so that every run shows the same account. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

function pick<T>(items: readonly [T, ...T[]], random: number): T {
  return items[Math.floor(random * items.length)] ?? items[0];
}

/**
 * A healthy further key: a limit, under 60 % of it used by the end of any period, created within
 * the last 60 days, no near expiry. Its spend is a steady daily rate, so its period figures follow
 * the clock (usage-periods.ts).
 */
function extraKeyFigures(index: number, disabled: boolean): KeyFigures {
  const random = seededRandom(index * 2_654_435_761 + (disabled ? 7 : 1));
  const limit = pick([25, 50, 100, 200, 500], random());
  const limitReset = pick([null, 'monthly', 'weekly', 'daily'] as const, random());
  const usage = round(limit * (0.05 + random() * 0.55));
  // The longest period a limit covers: a month of 31 days, or the 60 days a key may have lived.
  const periodDays = { monthly: 31, weekly: 7, daily: 1 }[limitReset ?? 'monthly'];
  const dailySpend = round(Math.min(usage / 60, (limit * (0.05 + random() * 0.5)) / periodDays, 10));
  const createdDaysAgo = round(1 + random() * 59, 6);
  return {
    name: `${EXTRA_KEY_NAMES[index % EXTRA_KEY_NAMES.length] ?? 'key'}-${index + 1}${disabled ? '-retired' : ''}`,
    limit,
    limitReset,
    usage,
    dailySpend,
    spentToday: 0,
    createdDaysAgo,
    updatedDaysAgo: random() < 0.5 ? null : round(createdDaysAgo * random(), 6),
    expiresInDays: random() < 0.2 ? round(45 + random() * 135, 6) : null,
    disabled,
  };
}

const json = (value: string | number | boolean | null) => JSON.stringify(value);
const roundUsd = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * A key's BYOK spend: a steady daily rate over the elapsed part of each UTC period, like its
 * credit spend (usage-periods.ts), counted apart from `usage*` (openrouter-api-more.md §10).
 */
function byokUsage(figures: KeyFigures, now: Date) {
  const rate = figures.byokDailySpend ?? 0;
  const periods = periodUsage(
    {
      ...figures,
      limit: null,
      limitReset: null,
      usage: rate * figures.createdDaysAgo,
      dailySpend: rate,
      spentToday: 0,
    },
    now,
  );
  const total = roundUsd(rate * figures.createdDaysAgo);
  const againstLimit = { daily: periods.daily, weekly: periods.weekly, monthly: periods.monthly }[
    figures.limitReset ?? 'daily'
  ];
  return {
    total,
    daily: periods.daily,
    weekly: periods.weekly,
    monthly: periods.monthly,
    againstLimit: figures.limitReset === null ? total : againstLimit,
  };
}

/**
 * A listed key's KeyData as JSON, written directly rather than through an intermediate object:
 * that matters at 10,000 keys. `/key` derives its shared fields from this same text.
 */
function keyDataJson(
  identity: KeyIdentity,
  figures: KeyFigures,
  now: Date,
  workspaceId: string = WORKSPACE_ID,
): string {
  const byok = byokUsage(figures, now);
  const credits = periodUsage(figures, now);
  const spent =
    figures.includeByokInLimit === true && credits.limitRemaining !== null
      ? { ...credits, limitRemaining: roundUsd(credits.limitRemaining - byok.againstLimit) }
      : credits;
  const created = isoTimestamp(daysFrom(now, -figures.createdDaysAgo));
  const updated =
    figures.updatedDaysAgo === null ? null : isoTimestamp(daysFrom(now, -figures.updatedDaysAgo));
  const expires = figures.expiresInDays === null ? null : isoTimestamp(daysFrom(now, figures.expiresInDays));
  return (
    `{"hash":${json(identity.hash)},"name":${json(figures.name)},"label":${json(identity.label)},` +
    `"disabled":${json(figures.disabled)},"limit":${json(figures.limit)},"limit_remaining":${json(spent.limitRemaining)},` +
    `"limit_reset":${json(figures.limitReset)},"include_byok_in_limit":${json(figures.includeByokInLimit === true)},"usage":${json(figures.usage)},` +
    `"usage_daily":${json(spent.daily)},"usage_weekly":${json(spent.weekly)},` +
    `"usage_monthly":${json(spent.monthly)},"byok_usage":${json(byok.total)},"byok_usage_daily":${json(byok.daily)},"byok_usage_weekly":${json(byok.weekly)},` +
    `"byok_usage_monthly":${json(byok.monthly)},"created_at":${json(created)},"updated_at":${json(updated)},` +
    `"expires_at":${json(expires)},"creator_user_id":${json(USER_ID)},"workspace_id":${json(workspaceId)},` +
    '"external_user":null}'
  );
}

const MANAGEMENT_KEY_FIGURES: KeyFigures = {
  name: 'management',
  limit: null,
  limitReset: null,
  usage: 0,
  dailySpend: 0,
  spentToday: 0,
  createdDaysAgo: 45,
  updatedDaysAgo: null,
  expiresInDays: null,
  disabled: false,
};

function parseKeyData(text: string): Readonly<Record<string, unknown>> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('KeyData JSON is not an object');
  return Object.fromEntries(Object.entries(value));
}

/** The `/key` body: the fields KeyData shares with `/keys` come out identical. */
function currentKeyBody(
  identity: KeyIdentity,
  figures: KeyFigures,
  isManagement: boolean,
  now: Date,
  extra: {
    workspaceId?: string;
    budgets?: readonly unknown[];
    overrides?: Readonly<Record<string, unknown>>;
  } = {},
): string {
  // Parsed back from the listed form so that the two can never disagree.
  const shared = parseKeyData(keyDataJson(identity, figures, now, extra.workspaceId));
  const budgets =
    extra.budgets === undefined
      ? {}
      : {
          budgets: extra.budgets,
          // The layer that blocks first: one already spent, else the least remaining.
          effective_budget:
            extra.budgets.reduce<Record<string, unknown> | null>((best, b) => {
              const budget = b as Record<string, unknown>;
              return best === null || Number(budget.remaining_usd) < Number(best.remaining_usd)
                ? budget
                : best;
            }, null) ?? null,
        };
  return JSON.stringify({
    data: {
      label: shared.label,
      limit: shared.limit,
      limit_remaining: shared.limit_remaining,
      limit_reset: shared.limit_reset,
      include_byok_in_limit: shared.include_byok_in_limit,
      usage: shared.usage,
      usage_daily: shared.usage_daily,
      usage_weekly: shared.usage_weekly,
      usage_monthly: shared.usage_monthly,
      byok_usage: shared.byok_usage,
      byok_usage_daily: shared.byok_usage_daily,
      byok_usage_weekly: shared.byok_usage_weekly,
      byok_usage_monthly: shared.byok_usage_monthly,
      is_free_tier: false,
      is_management_key: isManagement,
      is_provisioning_key: isManagement,
      rate_limit: { requests: -1, interval: '10s', note: 'This field is deprecated and safe to ignore.' },
      creator_user_id: USER_ID,
      expires_at: shared.expires_at,
      free_model_daily_requests: { limit: 1000, remaining: 988, used: 12 },
      allowed_data_regions: ['global', 'europe', 'us'],
      organization_id: null,
      workspace_id: shared.workspace_id,
      ...budgets,
      ...extra.overrides,
    },
  });
}

interface ListedEntry extends ListedKey {
  readonly createdDaysAgo: number;
  readonly workspaceId: string;
  readonly figures: KeyFigures;
  readonly name: string;
  readonly dailySpend: number;
}

function listedEntry(
  identity: KeyIdentity,
  figures: KeyFigures,
  now: Date,
  workspaceId?: string,
): ListedEntry {
  return {
    hash: identity.hash,
    disabled: figures.disabled,
    createdDaysAgo: figures.createdDaysAgo,
    json: keyDataJson(identity, figures, now, workspaceId),
    workspaceId: workspaceId ?? WORKSPACE_ID,
    figures,
    name: figures.name,
    dailySpend: figures.dailySpend,
  };
}

/** Inserts `entry` into `entries`, kept most recent first. */
function insertByAge(entries: ListedEntry[], entry: ListedEntry): void {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((entries[middle]?.createdDaysAgo ?? 0) <= entry.createdDaysAgo) low = middle + 1;
    else high = middle;
  }
  entries.splice(low, 0, entry);
}

/**
 * The further keys' dates drift by less than this before their JSON is rebuilt: ages are judged
 * in days, and rebuilding 10,000 keys on every scenario change would make switching slow.
 */
const EXTRA_KEYS_REUSE_MS = 60_000;

/**
 * Builds accounts for one simulator. Key identities (a SHA-256 each) are derived once, and the
 * further keys' JSON is reused across scenarios; the API key's figures and dates are rebuilt for
 * each scenario from the clock, so `/key` and `/keys` always agree.
 */
export class AccountBuilder {
  private readonly api: KeyIdentity;
  private readonly management: KeyIdentity;
  private readonly extras: readonly KeyIdentity[];
  /** Identities for the keys scenarios place in given workspaces (and the key from the future). */
  private readonly workspaceKeyIdentities: readonly KeyIdentity[];
  private cached: { readonly at: number; readonly entries: readonly ListedEntry[] } | undefined;

  constructor(private readonly inputs: AccountInputs) {
    this.api = identify(inputs.apiKey);
    this.management = identify(inputs.managementKey);
    // unlimited-keys needs three further keys even when the caller asked for fewer.
    const count = Math.max(inputs.extraKeys, 3) + inputs.disabledKeys;
    const all = extraKeyIdentities(count + 4, new Set([this.api.label, this.management.label]));
    this.extras = all.slice(0, count);
    this.workspaceKeyIdentities = all.slice(count);
  }

  /** The healthy further keys (and the disabled ones), most recent first. */
  private extraEntries(now: Date): readonly ListedEntry[] {
    if (this.cached !== undefined && Math.abs(now.getTime() - this.cached.at) < EXTRA_KEYS_REUSE_MS) {
      return this.cached.entries;
    }
    const entries: ListedEntry[] = [];
    const firstDisabled = Math.max(this.inputs.extraKeys, 3);
    this.extras.forEach((identity, index) => {
      if (index >= this.inputs.extraKeys && index < firstDisabled) return;
      entries.push(listedEntry(identity, extraKeyFigures(index, index >= firstDisabled), now));
    });
    entries.sort((a, b) => a.createdDaysAgo - b.createdDaysAgo);
    this.cached = { at: now.getTime(), entries };
    return entries;
  }

  /** The keys `/keys` lists in this scenario. */
  private listedKeys(spec: ScenarioSpec, now: Date): ListedEntry[] {
    const special: ListedEntry[] = [];
    // A deleted key is not listed. A management key is not an API key, but the misconfigured one
    // stays listed so that the scenario changes nothing beyond what `auth` sees.
    if (spec.apiKeyRole !== 'unknown')
      special.push(listedEntry(this.api, spec.apiKey, now, spec.apiKeyWorkspace ?? undefined));
    spec.workspaceKeys.forEach((placed, index) => {
      const identity = this.workspaceKeyIdentities[index];
      if (identity !== undefined)
        special.push(listedEntry(identity, placed.figures, now, placed.workspace ?? undefined));
    });
    if (spec.listingFault === 'future-created-key') {
      const identity = this.workspaceKeyIdentities[this.workspaceKeyIdentities.length - 1];
      if (identity !== undefined) {
        special.push(
          listedEntry(
            identity,
            { ...MANAGEMENT_KEY_FIGURES, name: 'from-the-future', limit: 10, createdDaysAgo: -365 },
            now,
          ),
        );
      }
    }
    if (spec.unlimitedExtraKeys) {
      const changes: readonly Partial<KeyFigures>[] = [
        { limit: null },
        { limit: null },
        { createdDaysAgo: 120, updatedDaysAgo: 95 },
      ];
      changes.forEach((change, index) => {
        const identity = this.extras[index];
        if (identity !== undefined)
          special.push(listedEntry(identity, { ...extraKeyFigures(index, false), ...change }, now));
      });
    }
    for (const [index, change] of Object.entries(spec.extraKeyChanges ?? {})) {
      const identity = this.extras[Number(index)];
      if (identity !== undefined)
        special.push(listedEntry(identity, { ...extraKeyFigures(Number(index), false), ...change }, now));
    }
    const replaced = new Set(special.map((entry) => entry.hash));
    const entries = this.extraEntries(now).filter((entry) => !replaced.has(entry.hash));
    for (const entry of special) insertByAge(entries, entry);
    // A listing that repeats a key: the API key once more, at the end of the default workspace.
    const first = entries.find((entry) => entry.workspaceId === WORKSPACE_ID);
    if (spec.listingFault === 'duplicate-key' && first !== undefined) entries.push(first);
    return entries;
  }

  /** `/guardrails`, assignment and budget answers, and the `/key` budgets, of one scenario. */
  private governance(spec: ScenarioSpec, entries: readonly ListedEntry[], now: Date) {
    const apiWorkspace = spec.apiKeyWorkspace ?? WORKSPACE_ID;
    const apiFigures = spec.apiKey;
    const spentOver = (figures: KeyFigures, reset: string | null) => {
      const periods = periodUsage(figures, now);
      return reset === 'daily'
        ? periods.daily
        : reset === 'weekly'
          ? periods.weekly
          : reset === 'monthly'
            ? periods.monthly
            : figures.usage;
    };
    const guardrails = spec.guardrails.map((g) => ({
      id: g.on === 'workspace-default' ? defaultGuardrailId(apiWorkspace) : g.id,
      name: g.on === 'workspace-default' ? `Workspace ${apiWorkspace} Default` : g.name,
      description: null,
      limit_usd: g.limitUsd,
      reset_interval: g.reset,
      include_byok_in_budgets: false,
      created_at: isoTimestamp(daysFrom(now, -20)),
      updated_at: null,
      workspace_id: apiWorkspace,
      on: g.on,
    }));
    const assignments = guardrails
      .filter((g) => g.on === 'api-key')
      .map((g, i) => ({
        id: `a${i}`,
        key_hash: this.api.hash,
        guardrail_id: g.id,
        key_name: apiFigures.name,
        key_label: this.api.label,
        assigned_by: USER_ID,
        created_at: isoTimestamp(daysFrom(now, -19)),
      }));
    const budgets = spec.workspaceBudgets.map((b, i) => ({
      id: `wb${i}`,
      workspace_id: apiWorkspace,
      limit_usd: b.limitUsd,
      reset_interval: b.reset,
      created_at: isoTimestamp(daysFrom(now, -30)),
      updated_at: isoTimestamp(daysFrom(now, -30)),
    }));
    const members = entries.filter((e) => e.workspaceId === apiWorkspace && !e.figures.disabled);
    const keyBudgets = [
      ...guardrails.map((g) => {
        const spend = spentOver(apiFigures, g.reset_interval);
        return {
          scope: g.on === 'api-key' ? 'api_key' : 'workspace_default_key',
          limit_usd: g.limit_usd,
          spend_usd: spend,
          remaining_usd: Math.round((g.limit_usd - spend) * 1e6) / 1e6,
          reset_interval: g.reset_interval,
          resets_at: null,
          include_byok: false,
          guardrail_id: g.id,
          budget_id: null,
        };
      }),
      ...budgets.map((b) => {
        const spend = members.reduce((sum, e) => sum + spentOver(e.figures, b.reset_interval), 0);
        return {
          scope: 'workspace',
          limit_usd: b.limit_usd,
          spend_usd: Math.round(spend * 1e6) / 1e6,
          remaining_usd: Math.round((b.limit_usd - spend) * 1e6) / 1e6,
          reset_interval: b.reset_interval,
          resets_at: null,
          include_byok: false,
          guardrail_id: null,
          budget_id: b.id,
        };
      }),
    ];
    return {
      guardrails: guardrails.map(({ on: _on, ...wire }) => wire),
      assignments,
      workspaceBudgets: budgets,
      keyBudgets,
    };
  }

  build(scenario: ScenarioName, now: Date): AccountSnapshot {
    const spec = SCENARIO_SPECS[scenario];
    const entries = this.listedKeys(spec, now);
    const governance = this.governance(spec, entries, now);
    const workspaces = [{ id: WORKSPACE_ID, name: 'Default', slug: 'default' }, ...spec.workspaces].map(
      (w, i) => ({
        id: w.id,
        name: w.name,
        slug: w.slug,
        description: null,
        default_text_model: null,
        default_image_model: null,
        default_provider_sort: null,
        default_guardrail_id: defaultGuardrailId(w.id),
        is_observability_io_logging_enabled: false,
        is_observability_broadcast_enabled: false,
        is_data_discount_logging_enabled: false,
        io_logging_sampling_rate: 1,
        io_logging_api_key_ids: null,
        created_at: isoTimestamp(daysFrom(now, -(400 - i))),
        updated_at: null,
        created_by: USER_ID,
      }),
    );
    const keysByWorkspace = new Map(
      workspaces.map((w) => [w.id, new KeyList(entries.filter((e) => e.workspaceId === w.id))]),
    );
    const listed = entries;
    return {
      scenario,
      apiKeyRole: spec.apiKeyRole,
      balance: round(spec.account.totalCredits - spec.account.totalUsage, 8),
      apiKeyFigures: spec.apiKey,
      creditsBody: JSON.stringify({
        data: { total_credits: spec.account.totalCredits, total_usage: spec.account.totalUsage },
      }),
      apiKeyBody: currentKeyBody(this.api, spec.apiKey, spec.apiKeyRole === 'management', now, {
        workspaceId: spec.apiKeyWorkspace ?? WORKSPACE_ID,
        overrides: spec.keyDataOverrides,
        ...(spec.reportBudgets
          ? {
              budgets: [
                ...governance.keyBudgets,
                ...(spec.apiKey.limit === null
                  ? []
                  : [
                      {
                        scope: 'key_limit',
                        limit_usd: spec.apiKey.limit,
                        spend_usd: spec.apiKey.limit - (periodUsage(spec.apiKey, now).limitRemaining ?? 0),
                        remaining_usd: periodUsage(spec.apiKey, now).limitRemaining,
                        reset_interval: spec.apiKey.limitReset,
                        resets_at: null,
                        include_byok: spec.apiKey.includeByokInLimit === true,
                        guardrail_id: null,
                        budget_id: null,
                      },
                    ]),
              ],
            }
          : {}),
      }),
      managementKeyBody: currentKeyBody(this.management, MANAGEMENT_KEY_FIGURES, true, now),
      keys: keysByWorkspace.get(WORKSPACE_ID) ?? new KeyList([]),
      allKeys: new KeyList(entries),
      keysByWorkspace,
      workspaces,
      workspacesApi: spec.workspacesApi,
      guardrails: governance.guardrails,
      guardrailAssignments: governance.assignments,
      workspaceBudgets: governance.workspaceBudgets,
      chatRefusal: spec.chatRefusal,
      refusalsSent: { count: 0 },
      minTokens: spec.minTokens,
      catalog: buildCatalogView(
        { missing: new Set(spec.missingModels), retiring: new Map(Object.entries(spec.retiringModels)) },
        now,
      ),
      chatOutage: spec.chatOutage,
      spenders: listed
        .filter((entry) => !entry.disabled)
        .map(({ hash, name, dailySpend, createdDaysAgo }) => ({ hash, name, dailySpend, createdDaysAgo })),
    };
  }
}
