import type { Check, CheckOutcome } from '../engine/check';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import type { CurrentKey } from '../openrouter/types';
import { type BudgetLayer, reportedLayers, tightest } from './budget-layers';
import { layersOver } from './derived-budgets';
import { needsAuth, unreadableFields, usd } from './support';

const RESET_PERIOD: Readonly<Record<string, string>> = { daily: 'day', weekly: 'week', monthly: 'month' };

/** The `/key` fields this check reads. */
const FIELDS = [
  'limit',
  'limit_remaining',
  'limit_reset',
  'include_byok_in_limit',
  'budgets',
  'effective_budget',
];

const per = (reset: string | null): string => {
  const period = reset ? RESET_PERIOD[reset] : undefined;
  return period ? ` per ${period}` : reset ? ` (${reset} reset)` : '';
};

const describeLayer = (layer: BudgetLayer): string =>
  `${layer.source} of ${usd(layer.limitUsd)}${per(layer.reset)}${layer.remainingUsd === null ? '' : `, ${usd(layer.remainingUsd)} left`}`;

/**
 * `key-limit`: the API key's spending is capped, so a leak or a runaway loop has a bounded cost.
 * The cap is the key's own `limit`, or a guardrail or workspace budget over it; the tightest one
 * is named with its source.
 */
export const keyLimitCheck: Check = {
  id: 'key-limit',
  title: 'API key has a credit limit',
  async run(context): Promise<CheckOutcome> {
    const { config, shared } = context;
    let key: CurrentKey;
    try {
      key = await shared.currentKey();
    } catch {
      return needsAuth('Key limit');
    }
    const unreadable = unreadableFields(key.problems, FIELDS);
    if (unreadable !== null) return unreadable;
    // A key with its own limit is capped whatever else applies: the management endpoints are asked
    // only when the verdict depends on them, so that their outage cannot cost this check its answer.
    const others =
      key.limit === null || reportedLayers(key) !== null
        ? await layersOver(context, key)
        : { layers: [], effective: null, unseen: null };
    const own: BudgetLayer | null =
      key.limit === null
        ? null
        : {
            source: 'key limit',
            limitUsd: key.limit,
            remainingUsd: key.limitRemaining,
            reset: key.limitReset,
          };
    const cap = others.effective ?? tightest(own === null ? others.layers : [own, ...others.layers]);
    const values = {
      limitUsd: key.limit,
      limitRemainingUsd: key.limitRemaining,
      limitReset: key.limitReset,
      effectiveCapUsd: cap?.limitUsd ?? null,
      effectiveCapRemainingUsd: cap?.remainingUsd ?? null,
      effectiveCapSource: cap?.source ?? null,
      budgets: others.layers.map((l) => ({
        source: l.source,
        limitUsd: l.limitUsd,
        remainingUsd: l.remainingUsd,
        reset: l.reset,
      })),
    };
    if (cap === null) {
      const unseen = others.unseen === null ? '' : ` (${others.unseen})`;
      return {
        status: config.requireKeyLimit ? 'fail' : 'warn',
        summary: `API key ${key.label} has no credit limit: a leaked key or a runaway loop can spend the whole balance${unseen}`,
        remedy: `Set a credit limit (and a reset period) on the key at openrouter.ai/settings/keys, or cap it with a guardrail budget. ${seeRunbook(RUNBOOK.keyLimit)}`,
        values,
      };
    }
    if (cap.remainingUsd !== null && cap.remainingUsd <= 0) {
      const what =
        cap.source === 'key limit'
          ? `API key limit of ${usd(cap.limitUsd)}${per(cap.reset)} is used up: requests fail with 403 "Key limit exceeded"`
          : `The ${cap.source} of ${usd(cap.limitUsd)}${per(cap.reset)} over API key ${key.label} is used up: requests fail with 403`;
      return {
        status: 'fail',
        summary: what,
        remedy:
          cap.source === 'key limit'
            ? `Raise the key's limit or wait for its reset. ${seeRunbook(RUNBOOK.keyLimit)}`
            : `Raise the ${cap.source} (openrouter.ai/settings/guardrails or the workspace's budgets) or wait for its reset. ${seeRunbook(RUNBOOK.keyLimit)}`,
        values,
      };
    }
    if (own === null) {
      return {
        status: 'pass',
        summary: `API key ${key.label} has no limit of its own but is capped by the ${describeLayer(cap)}`,
        values,
      };
    }
    const left = key.limitRemaining === null ? '' : `, ${usd(key.limitRemaining)} left`;
    // /key may report the key's own limit as its effective budget (scope key_limit): not a tighter cap.
    const tighter = cap === own || cap.source === own.source ? '' : `; tighter: the ${describeLayer(cap)}`;
    return {
      status: 'pass',
      summary: `API key limit ${usd(key.limit ?? 0)}${per(key.limitReset)}${left}${tighter}`,
      values,
    };
  },
};
