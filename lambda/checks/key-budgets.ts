import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import type { KeyInfo } from '../openrouter/types';
import { round, usd } from './support';

/** Share of a budget past which a key is reported as near it. */
export const KEY_BUDGET_WARN_RATIO = 0.8;

export interface KeyBudget {
  /** A key's name, label or hash prefix; `*` matches any run of characters. */
  readonly match: string;
  readonly dailyUsd?: number;
  readonly weeklyUsd?: number;
  readonly monthlyUsd?: number;
}

type Period = 'daily' | 'weekly' | 'monthly';

export interface BudgetFinding {
  readonly key: string;
  readonly match: string;
  readonly period: Period;
  readonly spentUsd: number;
  readonly budgetUsd: number;
  readonly usedPercent: number;
  readonly level: 'over' | 'near';
}

const escapeRegex = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Whether `pattern` names the key: its name or label (a `*` glob, whole string), or a prefix of its hash. */
export function budgetMatches(pattern: string, key: Pick<KeyInfo, 'name' | 'label' | 'hash'>): boolean {
  const glob = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
  if (glob.test(key.name) || glob.test(key.label)) return true;
  // A hash prefix: at least 8 hex characters, so that a short word never matches by accident.
  return /^[0-9a-f]{8,64}$/i.test(pattern) && key.hash.toLowerCase().startsWith(pattern.toLowerCase());
}

/**
 * Every enabled key's spend in the UTC day, week (Monday start) and month (`usage_daily`,
 * `usage_weekly`, `usage_monthly` of `/keys`) against each budget whose `match` names it. A key
 * several budgets name is held to each of them.
 */
export function evaluateKeyBudgets(keys: readonly KeyInfo[], budgets: readonly KeyBudget[]): BudgetFinding[] {
  const findings: BudgetFinding[] = [];
  for (const key of keys) {
    if (key.disabled) continue;
    for (const budget of budgets) {
      if (!budgetMatches(budget.match, key)) continue;
      const periods: [Period, number | undefined, number | null][] = [
        ['daily', budget.dailyUsd, key.usageDaily],
        ['weekly', budget.weeklyUsd, key.usageWeekly],
        ['monthly', budget.monthlyUsd, key.usageMonthly],
      ];
      for (const [period, limit, spent] of periods) {
        if (limit === undefined) continue;
        const used = spent ?? 0;
        const level = used > limit ? 'over' : used >= KEY_BUDGET_WARN_RATIO * limit ? 'near' : null;
        if (level === null) continue;
        findings.push({
          key: key.name || key.label,
          match: budget.match,
          period,
          spentUsd: round(used, 4),
          budgetUsd: limit,
          usedPercent: round((used / limit) * 100, 1),
          level,
        });
      }
    }
  }
  return findings;
}

/** `batch-jobs-3 over its daily budget ($6.00 of $5.00)`. */
export const describeBudgetFinding = (f: BudgetFinding): string =>
  `${f.key} ${f.level === 'over' ? 'over' : 'at'} ${f.level === 'over' ? 'its' : `${Math.round(f.usedPercent)}% of its`} ${f.period} budget (${usd(f.spentUsd)} of ${usd(f.budgetUsd)})`;

/** What `keys` adds for `keyBudgets`: the words of its summary, its values and a remedy sentence. */
export function keyBudgetOutcome(keys: readonly KeyInfo[], budgets: readonly KeyBudget[]) {
  const findings = evaluateKeyBudgets(keys, budgets);
  const over = findings.filter((f) => f.level === 'over');
  const near = findings.filter((f) => f.level === 'near');
  return {
    failing: over.map(describeBudgetFinding),
    warning: near.map(describeBudgetFinding),
    values: {
      keysOverBudget: new Set(over.map((f) => f.key)).size,
      keysNearBudget: new Set(near.map((f) => f.key)).size,
      budgetFindings: findings.slice(0, 50).map((f) => ({ ...f })),
    },
    remedy:
      findings.length > 0
        ? `Find what the keys over budget are spending on (openrouter.ai/activity) and set a key limit with a reset so that OpenRouter enforces the budget. ${seeRunbook(RUNBOOK.keyBudget)}`
        : null,
  };
}
