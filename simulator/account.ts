import { buildCatalogView, type CatalogView } from './catalog-view';
import { daysFrom, isoTimestamp } from './clock';
import { KeyList, type ListedKey } from './key-list';
import { extraKeyIdentities, identify, type KeyIdentity } from './keys';
import {
  type ApiKeyRole,
  type ChatOutage,
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
  readonly keys: KeyList;
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

/**
 * A listed key's KeyData as JSON, written directly rather than through an intermediate object:
 * that matters at 10,000 keys. `/key` derives its shared fields from this same text.
 */
function keyDataJson(identity: KeyIdentity, figures: KeyFigures, now: Date): string {
  const spent = periodUsage(figures, now);
  const created = isoTimestamp(daysFrom(now, -figures.createdDaysAgo));
  const updated =
    figures.updatedDaysAgo === null ? null : isoTimestamp(daysFrom(now, -figures.updatedDaysAgo));
  const expires = figures.expiresInDays === null ? null : isoTimestamp(daysFrom(now, figures.expiresInDays));
  return (
    `{"hash":${json(identity.hash)},"name":${json(figures.name)},"label":${json(identity.label)},` +
    `"disabled":${json(figures.disabled)},"limit":${json(figures.limit)},"limit_remaining":${json(spent.limitRemaining)},` +
    `"limit_reset":${json(figures.limitReset)},"include_byok_in_limit":false,"usage":${json(figures.usage)},` +
    `"usage_daily":${json(spent.daily)},"usage_weekly":${json(spent.weekly)},` +
    `"usage_monthly":${json(spent.monthly)},"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,` +
    `"byok_usage_monthly":0,"created_at":${json(created)},"updated_at":${json(updated)},` +
    `"expires_at":${json(expires)},"creator_user_id":${json(USER_ID)},"workspace_id":${json(WORKSPACE_ID)},` +
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
): string {
  // Parsed back from the listed form so that the two can never disagree.
  const shared = parseKeyData(keyDataJson(identity, figures, now));
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
      byok_usage: 0,
      byok_usage_daily: 0,
      byok_usage_weekly: 0,
      byok_usage_monthly: 0,
      is_free_tier: false,
      is_management_key: isManagement,
      is_provisioning_key: isManagement,
      rate_limit: { requests: -1, interval: '10s', note: 'This field is deprecated and safe to ignore.' },
      creator_user_id: USER_ID,
      expires_at: shared.expires_at,
      free_model_daily_requests: { limit: 1000, remaining: 988, used: 12 },
      allowed_data_regions: ['global', 'europe', 'us'],
      organization_id: null,
      workspace_id: WORKSPACE_ID,
    },
  });
}

interface ListedEntry extends ListedKey {
  readonly createdDaysAgo: number;
  readonly name: string;
  readonly dailySpend: number;
}

function listedEntry(identity: KeyIdentity, figures: KeyFigures, now: Date): ListedEntry {
  return {
    hash: identity.hash,
    disabled: figures.disabled,
    createdDaysAgo: figures.createdDaysAgo,
    name: figures.name,
    dailySpend: figures.dailySpend,
    json: keyDataJson(identity, figures, now),
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
  private cached: { readonly at: number; readonly entries: readonly ListedEntry[] } | undefined;

  constructor(private readonly inputs: AccountInputs) {
    this.api = identify(inputs.apiKey);
    this.management = identify(inputs.managementKey);
    // unlimited-keys needs three further keys even when the caller asked for fewer.
    const count = Math.max(inputs.extraKeys, 3) + inputs.disabledKeys;
    this.extras = extraKeyIdentities(count, new Set([this.api.label, this.management.label]));
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
    if (spec.apiKeyRole !== 'unknown') special.push(listedEntry(this.api, spec.apiKey, now));
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
    return entries;
  }

  build(scenario: ScenarioName, now: Date): AccountSnapshot {
    const spec = SCENARIO_SPECS[scenario];
    const listed = this.listedKeys(spec, now);
    return {
      scenario,
      apiKeyRole: spec.apiKeyRole,
      balance: round(spec.account.totalCredits - spec.account.totalUsage, 8),
      apiKeyFigures: spec.apiKey,
      creditsBody: JSON.stringify({
        data: { total_credits: spec.account.totalCredits, total_usage: spec.account.totalUsage },
      }),
      apiKeyBody: currentKeyBody(this.api, spec.apiKey, spec.apiKeyRole === 'management', now),
      managementKeyBody: currentKeyBody(this.management, MANAGEMENT_KEY_FIGURES, true, now),
      keys: new KeyList(listed),
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
