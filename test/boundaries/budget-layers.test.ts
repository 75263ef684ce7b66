import { afterEach, describe, expect, it } from 'vitest';
import { periodSpend } from '../../lambda/checks/derived-budgets';
import type { Fault } from '../../simulator/types';
import { auditSimulator, checkOf, useSimulator } from '../support/audit-harness';
import { keyBody, LABEL, listedKey } from './support';

/**
 * The caps over the audited key beyond its own limit, with every figure injected verbatim: the
 * layers `/key` reports itself (newer API), and the layers derived from the guardrails, their key
 * assignments and the workspace budgets (older API). What is left of each layer is computed here.
 */
const sim = useSimulator();
afterEach(() => sim.current.clearFaults());

const json = (body: unknown): Fault => ({ kind: 'json', body });

type Route = 'key' | 'keys' | 'guardrails' | 'workspaces';

/** Audits the account with these answers; a route's faults apply in order. */
async function audit(faults: Partial<Record<Route, Fault | readonly Fault[]>>, config = {}) {
  const s = sim.current;
  s.setScenario('healthy');
  s.clearFaults();
  for (const [route, answers] of Object.entries(faults) as [Route, Fault | readonly Fault[]][]) {
    for (const fault of Array.isArray(answers) ? answers : [answers]) {
      s.injectFault(route, route === 'key' ? { ...fault, key: 'api' } : fault);
    }
  }
  return auditSimulator(s, { config: { probe: false, ...config } });
}

/** One `budgets[]` entry of `GET /key`. */
const reported = (scope: string, limit: number, spend: number, reset: string | null) => ({
  scope,
  limit_usd: limit,
  spend_usd: spend,
  remaining_usd: limit - spend,
  reset_interval: reset,
  resets_at: null,
  include_byok: false,
  guardrail_id: scope === 'workspace' || scope === 'key_limit' ? null : 'g-1',
  budget_id: scope === 'workspace' ? 'b-1' : null,
});

describe('key-limit with the layers /key reports (newer API)', () => {
  it('a key with its own limit under a tighter guardrail names the guardrail as the cap', async () => {
    const guardrail = reported('api_key', 20, 15, 'monthly');
    const check = checkOf(
      await audit({
        key: json(
          keyBody({ limit: 100, limit_remaining: 100, budgets: [guardrail], effective_budget: guardrail }),
        ),
      }),
      'key-limit',
    );
    expect(check).toMatchObject({
      status: 'pass',
      summary:
        'API key limit $100.00, $100.00 left; tighter: the guardrail budget (on the key) of $20.00 per month, $5.00 left',
      values: {
        limitUsd: 100,
        effectiveCapUsd: 20,
        effectiveCapRemainingUsd: 5,
        effectiveCapSource: 'guardrail budget (on the key)',
      },
    });
  });

  it('a key with its own limit under a spent guardrail fails, naming the guardrail', async () => {
    const guardrail = reported('api_key', 20, 20, 'monthly');
    const check = checkOf(
      await audit({
        key: json(
          keyBody({ limit: 100, limit_remaining: 100, budgets: [guardrail], effective_budget: guardrail }),
        ),
      }),
      'key-limit',
    );
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(
      /^The guardrail budget \(on the key\) of \$20\.00 per month over API key .* is used up/,
    );
    expect(check.remedy).toMatch(/^Raise the guardrail budget \(on the key\)/);
  });

  it('without effective_budget, the layer with the least left is the cap, whatever its limit', async () => {
    const workspace = reported('workspace', 40, 5, 'weekly');
    const guardrail = reported('api_key', 200, 190, 'daily');
    const check = checkOf(
      await audit({
        key: json(keyBody({ limit: 100, limit_remaining: 30, budgets: [workspace, guardrail] })),
      }),
      'key-limit',
    );
    expect(check).toMatchObject({
      status: 'pass',
      summary:
        'API key limit $100.00, $30.00 left; tighter: the guardrail budget (on the key) of $200.00 per day, $10.00 left',
      values: { effectiveCapUsd: 200, effectiveCapRemainingUsd: 10 },
    });
  });

  it('on a tie, the effective_budget /key names is the cap (OpenRouter knows which blocks first)', async () => {
    const workspace = reported('workspace', 40, 35, 'weekly');
    const guardrail = reported('api_key', 20, 15, 'daily');
    const check = checkOf(
      await audit({
        key: json(
          keyBody({
            limit: 100,
            limit_remaining: 100,
            budgets: [workspace, guardrail],
            effective_budget: guardrail,
          }),
        ),
      }),
      'key-limit',
    );
    expect(check.values).toMatchObject({
      effectiveCapUsd: 20,
      effectiveCapRemainingUsd: 5,
      effectiveCapSource: 'guardrail budget (on the key)',
    });
  });

  it('the key limit left is the cap when it is the least left', async () => {
    const workspace = reported('workspace', 40, 5, 'weekly');
    const check = checkOf(
      await audit({ key: json(keyBody({ limit: 100, limit_remaining: 30, budgets: [workspace] })) }),
      'key-limit',
    );
    expect(check).toMatchObject({
      status: 'pass',
      summary: 'API key limit $100.00, $30.00 left',
      values: { effectiveCapUsd: 100, effectiveCapRemainingUsd: 30, effectiveCapSource: 'key limit' },
    });
  });

  it('the key limit reported as the effective layer is the key limit itself, not a tighter cap', async () => {
    const keyLimit = reported('key_limit', 10, 7.5, 'daily');
    const guardrail = reported('api_key', 50, 0, 'monthly');
    const check = checkOf(
      await audit({
        key: json(
          keyBody({
            limit: 10,
            limit_remaining: 2.5,
            limit_reset: 'daily',
            budgets: [keyLimit, guardrail],
            effective_budget: keyLimit,
          }),
        ),
      }),
      'key-limit',
    );
    expect(check).toMatchObject({
      status: 'pass',
      summary: 'API key limit $10.00 per day, $2.50 left',
      values: {
        effectiveCapUsd: 10,
        effectiveCapRemainingUsd: 2.5,
        effectiveCapSource: 'key limit',
        budgets: [
          { source: 'guardrail budget (on the key)', limitUsd: 50, remainingUsd: 50, reset: 'monthly' },
        ],
      },
    });
  });

  it('an effective_budget alone is listed as the one layer', async () => {
    const guardrail = reported('workspace_default_key', 25, 5, 'weekly');
    const check = checkOf(
      await audit({
        key: json(keyBody({ limit: null, limit_remaining: null, effective_budget: guardrail })),
      }),
      'key-limit',
    );
    expect(check).toMatchObject({
      status: 'pass',
      summary: `API key ${LABEL} has no limit of its own but is capped by the guardrail budget (the workspace's default) of $25.00 per week, $20.00 left`,
      values: {
        budgets: [
          {
            source: "guardrail budget (the workspace's default)",
            limitUsd: 25,
            remainingUsd: 20,
            reset: 'weekly',
          },
        ],
      },
    });
  });
});

/*
 * The older API: budgets derived from the management endpoints. The simulator answers every
 * request of a route with the same injected body, and `/guardrails` and its key assignments are
 * asked together, so one body serves both: each guardrail is also its own assignment (`key_hash`,
 * `guardrail_id`). `/workspaces` is listed once, with the key inventory, before any workspace's
 * budgets are asked for (the key's `workspace_id` is left to the inventory), so its first answer
 * is the listing and every later one the budgets.
 */
const WORKSPACE = '6d1c0b5e-0000-4000-8000-00000000c001';
const AUDITED = {
  usage: 50,
  usage_daily: 3,
  usage_weekly: 7,
  usage_monthly: 12,
  byok_usage_daily: 1,
  byok_usage_weekly: 2,
};
const OTHER = {
  usage: 9,
  usage_daily: 4,
  usage_weekly: 5,
  usage_monthly: 6,
  byok_usage_daily: 0.5,
  byok_usage_weekly: 0.25,
};
const DISABLED = { usage: 40, usage_daily: 40, usage_weekly: 40, usage_monthly: 40 };

const accountKeys = () => [
  listedKey({
    hash: 'hash-audited',
    workspace_id: WORKSPACE,
    limit: null,
    limit_remaining: null,
    ...AUDITED,
  }),
  listedKey({ hash: 'hash-other', label: 'sk-or-v1-0a1...b2c', workspace_id: WORKSPACE, ...OTHER }),
  listedKey({
    hash: 'hash-disabled',
    label: 'sk-or-v1-3d4...e5f',
    workspace_id: WORKSPACE,
    disabled: true,
    limit: null,
    limit_remaining: null,
    ...DISABLED,
  }),
];

interface Layer {
  readonly limit: number;
  readonly reset: string | null;
  /** include_byok_in_budgets; undefined leaves the field out. */
  readonly byok: boolean | undefined;
}

const derivedAccount = (guardrail: Layer | null, workspaceBudget: Layer | null) => ({
  key: json(keyBody({ limit: null, limit_remaining: null, ...AUDITED })),
  keys: json({ data: accountKeys() }),
  guardrails: json({
    data:
      guardrail === null
        ? []
        : [
            {
              id: 'g-1',
              name: 'agents',
              limit_usd: guardrail.limit,
              reset_interval: guardrail.reset,
              ...(guardrail.byok === undefined ? {} : { include_byok_in_budgets: guardrail.byok }),
              workspace_id: WORKSPACE,
              created_at: '2026-01-01T00:00:00.000Z',
              guardrail_id: 'g-1',
              key_hash: 'hash-audited',
            },
          ],
    total_count: guardrail === null ? 0 : 1,
  }),
  workspaces: [
    {
      ...json({
        data: [{ id: WORKSPACE, name: 'Prod', slug: 'prod', default_guardrail_id: null }],
        total_count: 1,
      }),
      times: 1,
    },
    json({
      data:
        workspaceBudget === null
          ? []
          : [
              {
                id: 'b-1',
                workspace_id: WORKSPACE,
                limit_usd: workspaceBudget.limit,
                reset_interval: workspaceBudget.reset,
                created_at: '2026-01-01T00:00:00.000Z',
                updated_at: '2026-01-01T00:00:00.000Z',
              },
            ],
      total_count: workspaceBudget === null ? 0 : 1,
      include_byok_in_budgets: workspaceBudget?.byok ?? false,
    }),
  ],
});

describe('key-limit with budgets derived from the management endpoints (older API)', () => {
  it('a daily guardrail counting BYOK and a weekly workspace budget not counting it; disabled keys spend nothing', async () => {
    // Guardrail: the key's own day, BYOK included. Workspace: the enabled keys' week, no BYOK.
    const guardrailLeft = 10 - (AUDITED.usage_daily + AUDITED.byok_usage_daily);
    const workspaceLeft = 30 - (AUDITED.usage_weekly + OTHER.usage_weekly);
    const check = checkOf(
      await audit(
        derivedAccount(
          { limit: 10, reset: 'daily', byok: true },
          { limit: 30, reset: 'weekly', byok: false },
        ),
      ),
      'key-limit',
    );
    expect(check.status, check.summary).toBe('pass');
    expect(check.summary).toBe(
      `API key ${LABEL} has no limit of its own but is capped by the guardrail budget (on the key) of $10.00 per day, $${guardrailLeft.toFixed(2)} left`,
    );
    expect(check.values).toMatchObject({
      effectiveCapUsd: 10,
      effectiveCapRemainingUsd: guardrailLeft,
      budgets: [
        {
          source: 'guardrail budget (on the key)',
          limitUsd: 10,
          remainingUsd: guardrailLeft,
          reset: 'daily',
        },
        { source: 'workspace budget', limitUsd: 30, remainingUsd: workspaceLeft, reset: 'weekly' },
      ],
    });
  });

  it('a weekly guardrail not counting BYOK and a daily workspace budget counting it', async () => {
    const guardrailLeft = 20 - AUDITED.usage_weekly;
    const workspaceLeft =
      10 - (AUDITED.usage_daily + AUDITED.byok_usage_daily + OTHER.usage_daily + OTHER.byok_usage_daily);
    const check = checkOf(
      await audit(
        derivedAccount(
          { limit: 20, reset: 'weekly', byok: false },
          { limit: 10, reset: 'daily', byok: true },
        ),
      ),
      'key-limit',
    );
    expect(check.status, check.summary).toBe('pass');
    expect(check.values).toMatchObject({
      effectiveCapUsd: 10,
      effectiveCapRemainingUsd: workspaceLeft,
      effectiveCapSource: 'workspace budget',
      budgets: [
        {
          source: 'guardrail budget (on the key)',
          limitUsd: 20,
          remainingUsd: guardrailLeft,
          reset: 'weekly',
        },
        { source: 'workspace budget', limitUsd: 10, remainingUsd: workspaceLeft, reset: 'daily' },
      ],
    });
  });

  it('a guardrail that does not say include_byok_in_budgets leaves BYOK out (the default is false)', async () => {
    const guardrailLeft = 10 - AUDITED.usage_daily;
    const check = checkOf(
      await audit(derivedAccount({ limit: 10, reset: 'daily', byok: undefined }, null)),
      'key-limit',
    );
    expect(check.values).toMatchObject({ effectiveCapRemainingUsd: guardrailLeft });
  });

  it('a monthly guardrail reads the month, a lifetime workspace budget the lifetime usage', async () => {
    const guardrailLeft = 15 - AUDITED.usage_monthly;
    const workspaceLeft = 100 - (AUDITED.usage + OTHER.usage);
    const check = checkOf(
      await audit(
        derivedAccount(
          { limit: 15, reset: 'monthly', byok: false },
          { limit: 100, reset: null, byok: false },
        ),
      ),
      'key-limit',
    );
    expect(check.values).toMatchObject({
      effectiveCapRemainingUsd: guardrailLeft,
      budgets: [
        { limitUsd: 15, remainingUsd: guardrailLeft, reset: 'monthly' },
        { limitUsd: 100, remainingUsd: workspaceLeft, reset: null },
      ],
    });
  });

  it('a guardrail spent to exactly 0 left fails', async () => {
    const limit = AUDITED.usage_daily + AUDITED.byok_usage_daily;
    const check = checkOf(
      await audit(derivedAccount({ limit, reset: 'daily', byok: true }, null)),
      'key-limit',
    );
    expect(check.status, check.summary).toBe('fail');
    expect(check.summary).toMatch(
      /^The guardrail budget \(on the key\) of \$4\.00 per day over API key .* is used up/,
    );
    expect(check.values).toMatchObject({ effectiveCapRemainingUsd: 0 });
  });
});

describe('keys: keys without a limit that a budget caps', () => {
  it('a key capped by a budget is not "without a limit"; a disabled key in the capped workspace is not counted as capped', async () => {
    const check = checkOf(
      await audit(
        derivedAccount(
          { limit: 10, reset: 'daily', byok: false },
          { limit: 30, reset: 'monthly', byok: false },
        ),
      ),
      'keys',
    );
    expect(check.values).toMatchObject({
      totalKeys: 3,
      enabledKeys: 2,
      keysWithoutLimit: 0,
      keysCappedByBudget: 1,
      keysDisabled: 1,
    });
    expect(check).toMatchObject({
      status: 'warn',
      summary: '1 disabled key to delete of 3 keys in 1 workspace',
    });
  });

  it('a key capped by its workspace budget passes even when the guardrails cannot be read', async () => {
    const account = derivedAccount(null, { limit: 30, reset: 'monthly', byok: false });
    const check = checkOf(
      await audit({
        ...account,
        keys: json({ data: accountKeys().slice(0, 2) }),
        guardrails: { kind: 'status', status: 500 },
      }),
      'keys',
    );
    expect(check).toMatchObject({
      status: 'pass',
      summary:
        'All 2 enabled keys have a limit, are recent and not expiring (2 keys in 1 workspace; 1 capped by a guardrail or workspace budget)',
      values: { keysWithoutLimit: 0, keysCappedByBudget: 1 },
    });
  });

  it('a key no budget is seen to cap, with the guardrails unreadable, warns and says what was not seen', async () => {
    const account = derivedAccount(null, null);
    const check = checkOf(
      await audit(
        {
          ...account,
          keys: json({ data: accountKeys().slice(0, 2) }),
          guardrails: { kind: 'status', status: 500 },
        },
        { requireKeyLimit: false },
      ),
      'keys',
    );
    expect(check.status, check.summary).toBe('warn');
    expect(check.summary).toMatch(/^1 key without a limit, budgets unseen: could not see guardrails \(/);
    expect(check.values).toMatchObject({ keysWithoutLimit: 1, keysCappedByBudget: 0 });
  });
});

describe('periodSpend: the spend a budget of each period holds against its limit', () => {
  // Binary fractions, so every sum is exact.
  const key = {
    usage: 40,
    usageDaily: 0.5,
    usageWeekly: 2.25,
    usageMonthly: 9.75,
    byokUsage: 16,
    byokUsageDaily: 0.25,
    byokUsageWeekly: 1.5,
    byokUsageMonthly: 6.125,
  };

  it.each([
    ['daily', 0.5, 0.5 + 0.25],
    ['weekly', 2.25, 2.25 + 1.5],
    ['monthly', 9.75, 9.75 + 6.125],
    [null, 40, 40 + 16],
  ] as const)('a %s budget: %d without BYOK, %d with it', (reset, without, withByok) => {
    expect(periodSpend(key, reset, false)).toBe(without);
    expect(periodSpend(key, reset, true)).toBe(withByok);
  });

  it('counts an absent figure as nothing spent', () => {
    const unknown = { ...key, usageMonthly: null, byokUsageMonthly: null, usage: null, byokUsage: null };
    expect(periodSpend(unknown, 'monthly', true)).toBe(0);
    expect(periodSpend(unknown, null, true)).toBe(0);
  });
});
