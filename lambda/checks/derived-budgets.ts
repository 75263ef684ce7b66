/**
 * Budget layers over the audited key when `/key` does not report them itself (servers older than
 * its `budgets` field): read from the management endpoints. Guardrail budgets are enforced per key
 * (openrouter-api-more.md §2), so the spend against a key's guardrail is the key's own spend over
 * the guardrail's period (INFERRED); a workspace budget's spend is its keys' spend together.
 */
import type { CheckContext } from '../engine/check';
import { describeError } from '../engine/describe-error';
import type {
  CurrentKey,
  GuardrailInfo,
  GuardrailKeyAssignment,
  KeyInfo,
  KeyInventory,
  WorkspaceBudgets,
} from '../openrouter/types';
import { type BudgetLayer, reportedLayers } from './budget-layers';
import { findKey } from './key-age';

export interface DerivedLayers {
  readonly layers: BudgetLayer[];
  /** What could not be seen, in words; null when everything was read. */
  readonly unseen: string | null;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

type Spend = Pick<
  KeyInfo,
  | 'usage'
  | 'usageDaily'
  | 'usageWeekly'
  | 'usageMonthly'
  | 'byokUsage'
  | 'byokUsageDaily'
  | 'byokUsageWeekly'
  | 'byokUsageMonthly'
>;

/** A key's spend over a budget period; BYOK spend counts when the budget includes it. */
export function periodSpend(key: Spend, reset: string | null, includeByok: boolean): number {
  switch (reset) {
    case 'daily':
      return (key.usageDaily ?? 0) + (includeByok ? (key.byokUsageDaily ?? 0) : 0);
    case 'weekly':
      return (key.usageWeekly ?? 0) + (includeByok ? (key.byokUsageWeekly ?? 0) : 0);
    case 'monthly':
      return (key.usageMonthly ?? 0) + (includeByok ? (key.byokUsageMonthly ?? 0) : 0);
    default:
      return (key.usage ?? 0) + (includeByok ? (key.byokUsage ?? 0) : 0);
  }
}

function guardrailLayer(guardrail: GuardrailInfo | undefined, source: string, key: Spend): BudgetLayer[] {
  if (guardrail === undefined || guardrail.limitUsd === null) return [];
  const spent = periodSpend(key, guardrail.resetInterval, guardrail.includeByokInBudgets === true);
  return [
    {
      source,
      limitUsd: guardrail.limitUsd,
      remainingUsd: guardrail.limitUsd - spent,
      reset: guardrail.resetInterval,
    },
  ];
}

async function derive(context: CheckContext, key: CurrentKey): Promise<DerivedLayers> {
  const { deps, shared, signal, deadlineAt } = context;
  if (!deps.api.hasManagementKey) {
    return { layers: [], unseen: 'guardrail and workspace budgets cannot be seen without a management key' };
  }
  const options = { signal, deadlineAt };
  const budgetSources = (workspaceId: string | null) =>
    Promise.all([
      settle(deps.api.listGuardrails(workspaceId, options)),
      settle(deps.api.listGuardrailKeyAssignments(options)),
      workspaceId === null
        ? Promise.resolve<Settled<WorkspaceBudgets | null>>({ ok: true, value: null })
        : settle<WorkspaceBudgets | null>(deps.api.getWorkspaceBudgets(workspaceId, options)),
    ]);
  // When /key names the workspace, the budget requests need nothing from the inventory: they go
  // out beside it instead of a round trip (or, across workspaces, two) after it.
  const early = key.workspaceId === null ? undefined : budgetSources(key.workspaceId);
  const inventory: Settled<KeyInventory> = await settle(shared.keyInventory());
  if (!inventory.ok) {
    return {
      layers: [],
      unseen: `guardrail and workspace budgets not checked: ${describeError(inventory.error)}`,
    };
  }
  const match = findKey(inventory.value.keys, key);
  const workspaceId = key.workspaceId ?? match?.workspaceId ?? null;
  const workspace = inventory.value.workspaces.find((w) => w.id === workspaceId);
  const [guardrails, assignments, budgets] = await (early ?? budgetSources(workspaceId));
  const unseen: string[] = [];
  const layers: BudgetLayer[] = [];
  const spend: Spend = match ?? {
    ...key,
    byokUsageDaily: key.byokUsageDaily,
    byokUsageWeekly: key.byokUsageWeekly,
  };
  if (guardrails.ok) {
    const byId = new Map(guardrails.value.map((g) => [g.id, g]));
    if (assignments.ok && match !== undefined) {
      const assigned = assignments.value.find((a: GuardrailKeyAssignment) => a.keyHash === match.hash);
      layers.push(
        ...guardrailLayer(assigned && byId.get(assigned.guardrailId), 'guardrail budget (on the key)', spend),
      );
    } else if (!assignments.ok) {
      unseen.push(`guardrail assignments (${describeError(assignments.error)})`);
    }
    if (workspace?.defaultGuardrailId) {
      layers.push(
        ...guardrailLayer(
          byId.get(workspace.defaultGuardrailId),
          "guardrail budget (the workspace's default)",
          spend,
        ),
      );
    }
  } else {
    unseen.push(`guardrails (${describeError(guardrails.error)})`);
  }
  if (budgets.ok && budgets.value !== null) {
    const members = inventory.value.keys.filter((k) => k.workspaceId === workspaceId && !k.disabled);
    const includeByok = budgets.value.includeByokInBudgets === true;
    for (const budget of budgets.value.budgets) {
      const spent = members.reduce((sum, k) => sum + periodSpend(k, budget.resetInterval, includeByok), 0);
      layers.push({
        source: 'workspace budget',
        limitUsd: budget.limitUsd,
        remainingUsd: budget.limitUsd - spent,
        reset: budget.resetInterval,
      });
    }
  } else if (!budgets.ok) {
    unseen.push(`workspace budgets (${describeError(budgets.error)})`);
  }
  return {
    layers,
    unseen: unseen.length === 0 ? null : `could not see ${unseen.join(' or ')}`,
  };
}

/** The derived layers over the audited key, computed once per audit. */
export function derivedLayers(context: CheckContext, key: CurrentKey): Promise<DerivedLayers> {
  return context.shared.memo('derived-budget-layers', () => derive(context, key));
}

/**
 * The caps over the key other than its own `limit`: as `/key` reports them (newer API), else
 * derived from the management endpoints; `unseen` says what could not be looked at.
 */
export async function layersOver(
  context: CheckContext,
  key: CurrentKey,
): Promise<{ layers: BudgetLayer[]; effective: BudgetLayer | null; unseen: string | null }> {
  const reported = reportedLayers(key);
  if (reported !== null) {
    return {
      layers: reported.layers.filter((l) => l.source !== 'key limit'),
      effective: reported.effective,
      unseen: null,
    };
  }
  const derived = await derivedLayers(context, key);
  return { layers: derived.layers, effective: null, unseen: derived.unseen };
}

/** Which keys of the inventory a guardrail or workspace budget caps, though they have no `limit`. */
export interface BudgetCoverage {
  readonly capped: ReadonlySet<string>;
  /** What could not be looked at; null when everything was read. */
  readonly unseen: string | null;
}

/**
 * Keys capped by a budget other than their own limit: a guardrail with a budget assigned to the
 * key, its workspace's default guardrail with a budget, or a budget on its workspace. Asked only
 * when some key has no limit, so a healthy account costs no extra request.
 */
export function budgetCoverage(context: CheckContext, inventory: KeyInventory): Promise<BudgetCoverage> {
  return context.shared.memo('budget-coverage', async () => {
    const { deps, signal, deadlineAt } = context;
    const options = { signal, deadlineAt };
    const workspaceIds: (string | null)[] =
      inventory.workspaces.length > 0 ? inventory.workspaces.map((w) => w.id) : [null];
    const [assignments, guardrails, budgets] = await Promise.all([
      settle(deps.api.listGuardrailKeyAssignments(options)),
      Promise.all(workspaceIds.map((id) => settle(deps.api.listGuardrails(id, options)))),
      Promise.all(
        workspaceIds.map((id) =>
          id === null
            ? Promise.resolve<Settled<WorkspaceBudgets | null>>({ ok: true, value: null })
            : settle<WorkspaceBudgets | null>(deps.api.getWorkspaceBudgets(id, options)),
        ),
      ),
    ]);
    const unseen: string[] = [];
    const budgeted = new Map<string, GuardrailInfo>();
    guardrails.forEach((g) => {
      if (!g.ok) unseen.push(`guardrails (${describeError(g.error)})`);
      else
        for (const guardrail of g.value)
          if (guardrail.limitUsd !== null) budgeted.set(guardrail.id, guardrail);
    });
    const capped = new Set<string>();
    if (assignments.ok) {
      for (const a of assignments.value) if (budgeted.has(a.guardrailId)) capped.add(a.keyHash);
    } else {
      unseen.push(`guardrail assignments (${describeError(assignments.error)})`);
    }
    const cappedWorkspaces = new Set<string | null>();
    for (const w of inventory.workspaces) {
      if (w.defaultGuardrailId !== null && budgeted.has(w.defaultGuardrailId)) cappedWorkspaces.add(w.id);
    }
    budgets.forEach((b, i) => {
      if (!b.ok) unseen.push(`workspace budgets (${describeError(b.error)})`);
      else if (b.value !== null && b.value.budgets.length > 0) cappedWorkspaces.add(workspaceIds[i] ?? null);
    });
    for (const key of inventory.keys) if (cappedWorkspaces.has(key.workspaceId)) capped.add(key.hash);
    return {
      capped,
      unseen: unseen.length === 0 ? null : `could not see ${[...new Set(unseen)].join(' or ')}`,
    };
  });
}
