import type { Check, CheckOutcome } from '../engine/check';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import { needsAuth, round, unreadableFields, usd } from './support';

/** Share of the daily budget past which the check warns. */
export const SPEND_WARN_RATIO = 0.8;

/** `spend`: today's spend of the API key (UTC day, `usage_daily`) against `dailyBudgetUsd`. */
export const spendCheck: Check = {
  id: 'spend',
  title: "Today's spend within budget",
  async run({ config, shared }): Promise<CheckOutcome> {
    const budget = config.dailyBudgetUsd;
    if (budget === null) return { status: 'skip', summary: 'No daily budget set (dailyBudgetUsd)' };
    let key: Awaited<ReturnType<typeof shared.currentKey>>;
    try {
      key = await shared.currentKey();
    } catch {
      return needsAuth('Spend');
    }
    const unreadable = unreadableFields(key.problems, [
      'usage_daily',
      'byok_usage_daily',
      'include_byok_in_limit',
    ]);
    if (unreadable !== null) return unreadable;
    const spent = key.usageDaily ?? 0;
    // BYOK spend is paid to the provider, not in credits: shown apart, never added to the budget's figure.
    const byok = key.byokUsageDaily ?? 0;
    const ratio = spent / budget;
    const values = {
      spendTodayUsd: round(spent, 4),
      dailyBudgetUsd: budget,
      budgetUsedPercent: round(ratio * 100, 1),
      byokSpendTodayUsd: round(byok, 4),
    };
    const byokText = byok > 0 ? `; plus ${usd(byok)} BYOK (billed by the provider)` : '';
    const headline = `${usd(spent)} spent today (UTC) of the ${usd(budget)} daily budget (${Math.round(ratio * 100)}%)${byokText}`;
    const remedy = `Find what is spending (openrouter.ai/activity), and lower the key's daily limit if it is unexpected. ${seeRunbook(RUNBOOK.spend)}`;
    if (spent > budget) return { status: 'fail', summary: `Over budget: ${headline}`, remedy, values };
    if (ratio > SPEND_WARN_RATIO)
      return { status: 'warn', summary: `Near budget: ${headline}`, remedy, values };
    return { status: 'pass', summary: headline, values };
  },
};
