/**
 * The spending caps on the audited key beyond its own `limit`: guardrail budgets (assigned to the
 * key, its member, or its workspace's default guardrail) and workspace budgets. A key without a
 * `limit` under a $50 guardrail budget is not unlimited (openrouter-api-more.md §2-3).
 */
import type { CurrentKey, KeyBudget } from '../openrouter/types';

/** One cap on the key, wherever it comes from. */
export interface BudgetLayer {
  /** Where the cap comes from, in words: `guardrail budget (on the key)`, `workspace budget`, `key limit`. */
  readonly source: string;
  readonly limitUsd: number;
  /** Null when the spend against it is not reported (a cap derived from a guardrail's settings). */
  readonly remainingUsd: number | null;
  /** daily, weekly, monthly; null = lifetime. */
  readonly reset: string | null;
}

const SCOPE_SOURCE: Readonly<Record<string, string>> = {
  key_limit: 'key limit',
  api_key: 'guardrail budget (on the key)',
  workspace_default_key: "guardrail budget (the workspace's default)",
  member: "guardrail budget (on the key's member)",
  workspace_default_member: "guardrail budget (the workspace's default, per member)",
  workspace: 'workspace budget',
};

export const scopeSource = (scope: string): string => SCOPE_SOURCE[scope] ?? `${scope} budget`;

function fromKeyBudget(budget: KeyBudget): BudgetLayer {
  return {
    source: scopeSource(budget.scope),
    limitUsd: budget.limitUsd,
    remainingUsd: budget.remainingUsd,
    reset: budget.resetInterval,
  };
}

/**
 * The layers `/key` reports itself (newer API: `budgets`, `effective_budget`), or null when it
 * reports none, in which case the caller derives them from the management endpoints.
 */
export function reportedLayers(
  key: CurrentKey,
): { layers: BudgetLayer[]; effective: BudgetLayer | null } | null {
  if (key.budgets === null && key.effectiveBudget === null) return null;
  const layers = (key.budgets ?? []).map(fromKeyBudget);
  const effective = key.effectiveBudget === null ? null : fromKeyBudget(key.effectiveBudget);
  return { layers: effective !== null && layers.length === 0 ? [effective] : layers, effective };
}

/**
 * The layer that blocks first: one already spent, else the least remaining; a layer whose spend
 * is unknown counts by its limit (it can at most let that much through).
 */
export function tightest(layers: readonly BudgetLayer[]): BudgetLayer | null {
  const left = (l: BudgetLayer) => l.remainingUsd ?? l.limitUsd;
  return layers.reduce<BudgetLayer | null>((a, b) => (a === null || left(b) < left(a) ? b : a), null);
}
