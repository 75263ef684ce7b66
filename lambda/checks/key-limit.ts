import type { Check, CheckOutcome } from '../engine/check';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import { needsAuth, usd } from './support';

const RESET_PERIOD: Readonly<Record<string, string>> = { daily: 'day', weekly: 'week', monthly: 'month' };

/** `key-limit`: the API key has a credit limit, so a leak or a runaway loop has a bounded cost. */
export const keyLimitCheck: Check = {
  id: 'key-limit',
  title: 'API key has a credit limit',
  async run({ config, shared }): Promise<CheckOutcome> {
    let key: Awaited<ReturnType<typeof shared.currentKey>>;
    try {
      key = await shared.currentKey();
    } catch {
      return needsAuth('Key limit');
    }
    const values = { limitUsd: key.limit, limitRemainingUsd: key.limitRemaining, limitReset: key.limitReset };
    if (key.limit === null) {
      return {
        status: config.requireKeyLimit ? 'fail' : 'warn',
        summary: `API key ${key.label} has no credit limit: a leaked key or a runaway loop can spend the whole balance`,
        remedy: `Set a credit limit (and a reset period) on the key at openrouter.ai/settings/keys. ${seeRunbook(RUNBOOK.keyLimit)}`,
        values,
      };
    }
    const period = key.limitReset ? RESET_PERIOD[key.limitReset] : undefined;
    const reset = period ? ` per ${period}` : key.limitReset ? ` (${key.limitReset} reset)` : '';
    if (key.limitRemaining !== null && key.limitRemaining <= 0) {
      return {
        status: 'fail',
        summary: `API key limit of ${usd(key.limit)}${reset} is used up: requests fail with 403 "Key limit exceeded"`,
        remedy: `Raise the key's limit or wait for its reset. ${seeRunbook(RUNBOOK.keyLimit)}`,
        values,
      };
    }
    const left = key.limitRemaining === null ? '' : `, ${usd(key.limitRemaining)} left`;
    return { status: 'pass', summary: `API key limit ${usd(key.limit)}${reset}${left}`, values };
  },
};
