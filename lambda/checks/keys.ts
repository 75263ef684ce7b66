import type { Check, CheckOutcome } from '../engine/check';
import { describeError, remedyForError } from '../engine/describe-error';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import type { KeyInfo, KeyInventory } from '../openrouter/types';
import { budgetCoverage } from './derived-budgets';
import { keyBudgetOutcome } from './key-budgets';
import { daysBetween, futureCreationProblem, parseDate, plural, UNTRUSTED_DATA_REMEDY } from './support';

/** Share of a key's limit past which the key is reported as near its limit. */
export const NEAR_LIMIT_RATIO = 0.9;
/** Findings listed in the result; the counts cover all of them. */
const MAX_LISTED = 50;

type Problem = 'no-limit' | 'too-old' | 'expired' | 'expiring' | 'near-limit' | 'disabled';

/** `keys`: every key of the account (management key) has a limit, is rotated, and is not about to run out or expire. */
export const keysCheck: Check = {
  id: 'keys',
  title: 'Every account key has a limit and is rotated',
  async run(context): Promise<CheckOutcome> {
    const { config, deps, shared, now } = context;
    if (!deps.api.hasManagementKey) {
      return {
        status: 'skip',
        summary: "No management key: the account's keys cannot be listed (set OPENROUTER_MANAGEMENT_KEY)",
      };
    }
    let inventory: KeyInventory;
    try {
      inventory = await shared.keyInventory();
    } catch (error) {
      return {
        status: 'error',
        summary: `Could not list the account's keys: ${describeError(error)}`,
        remedy: remedyForError(error),
      };
    }
    const { keys } = inventory;
    const implausible = futureCreationProblem(keys, now);
    if (implausible !== null) {
      return { status: 'error', summary: `Could not read ${implausible}`, remedy: UNTRUSTED_DATA_REMEDY };
    }
    const workspaceCount = inventory.defaultWorkspaceOnly === null ? inventory.workspaces.length : 1;
    // Never silently partial: a listing of the default workspace alone says so in every summary.
    const scopeNote =
      inventory.defaultWorkspaceOnly === null
        ? ''
        : `; default workspace only: ${inventory.defaultWorkspaceOnly}`;
    const scope = `${plural(keys.length, 'key')} in ${plural(workspaceCount, 'workspace')}${scopeNote}`;
    const workspaceName = new Map(inventory.workspaces.map((w) => [w.id, w.name]));
    // A key without a limit of its own may still be capped by a guardrail or workspace budget.
    const coverage = keys.some((k) => !k.disabled && k.limit === null)
      ? await budgetCoverage(context, inventory)
      : { capped: new Set<string>(), unseen: null };
    const problemsOf = (k: KeyInfo): Problem[] => {
      if (k.disabled) return ['disabled'];
      const created = parseDate(k.createdAt);
      const expires = parseDate(k.expiresAt);
      const daysToExpiry = expires ? daysBetween(now, expires) : null;
      const used =
        k.limit !== null && k.limit > 0 && k.limitRemaining !== null
          ? (k.limit - k.limitRemaining) / k.limit
          : null;
      const problems: Problem[] = [];
      if (k.limit === null && !coverage.capped.has(k.hash)) problems.push('no-limit');
      if (created && daysBetween(created, now) > config.maxKeyAgeDays) problems.push('too-old');
      if (daysToExpiry !== null && daysToExpiry <= 0) problems.push('expired');
      else if (daysToExpiry !== null && daysToExpiry <= config.keyExpiryWarnDays) problems.push('expiring');
      if (used !== null && used > NEAR_LIMIT_RATIO) problems.push('near-limit');
      return problems;
    };
    const reviewed = keys.map((k) => ({ key: k, problems: problemsOf(k) }));
    const count = (p: Problem) => reviewed.filter((r) => r.problems.includes(p)).length;
    const counts = {
      totalKeys: keys.length,
      enabledKeys: keys.filter((k) => !k.disabled).length,
      keysWithoutLimit: count('no-limit'),
      keysPastMaxAge: count('too-old'),
      keysExpired: count('expired'),
      keysExpiringSoon: count('expiring'),
      keysNearLimit: count('near-limit'),
      keysDisabled: count('disabled'),
      keysCappedByBudget: keys.filter((k) => !k.disabled && k.limit === null && coverage.capped.has(k.hash))
        .length,
    };
    const flagged = reviewed.filter((r) => r.problems.length > 0);
    const budgets = keyBudgetOutcome(keys, config.keyBudgets);
    const values = {
      ...counts,
      ...budgets.values,
      workspaces: workspaceCount,
      defaultWorkspaceOnly: inventory.defaultWorkspaceOnly,
      findings: flagged.slice(0, MAX_LISTED).map((r) => ({
        label: r.key.label,
        name: r.key.name,
        workspace:
          r.key.workspaceId === null ? null : (workspaceName.get(r.key.workspaceId) ?? r.key.workspaceId),
        problems: r.problems,
      })),
    };
    const failing = [
      ...(config.requireKeyLimit && counts.keysWithoutLimit > 0
        ? [`${plural(counts.keysWithoutLimit, 'key')} without a limit`]
        : []),
      ...(counts.keysPastMaxAge > 0
        ? [`${plural(counts.keysPastMaxAge, 'key')} older than ${config.maxKeyAgeDays} days`]
        : []),
      ...(counts.keysExpired > 0 ? [`${plural(counts.keysExpired, 'key')} expired`] : []),
    ];
    const warning = [
      ...(!config.requireKeyLimit && counts.keysWithoutLimit > 0
        ? [`${plural(counts.keysWithoutLimit, 'key')} without a limit`]
        : []),
      ...(counts.keysWithoutLimit > 0 && coverage.unseen !== null
        ? [`budgets unseen: ${coverage.unseen}`]
        : []),
      ...(counts.keysExpiringSoon > 0
        ? [`${plural(counts.keysExpiringSoon, 'key')} expiring within ${config.keyExpiryWarnDays} days`]
        : []),
      ...(counts.keysNearLimit > 0
        ? [`${plural(counts.keysNearLimit, 'key')} over ${NEAR_LIMIT_RATIO * 100}% of their limit`]
        : []),
      ...(counts.keysDisabled > 0 ? [`${plural(counts.keysDisabled, 'disabled key')} to delete`] : []),
    ];
    const examples = flagged
      .filter((r) => !r.problems.includes('disabled'))
      .slice(0, 3)
      .map((r) => {
        const where =
          inventory.workspaces.length > 1 && r.key.workspaceId !== null
            ? ` in ${workspaceName.get(r.key.workspaceId) ?? r.key.workspaceId}`
            : '';
        return `${r.key.name || r.key.label}${where}: ${r.problems.join(', ')}`;
      });
    const example = examples.length > 0 ? ` (e.g. ${examples.join('; ')})` : '';
    const remedy = [
      ...(flagged.length > 0
        ? [
            `Give every key a limit, rotate old keys and delete the ones you no longer use (openrouter.ai/settings/keys). ${seeRunbook(RUNBOOK.accountKeys)}`,
          ]
        : []),
      ...(budgets.remedy === null ? [] : [budgets.remedy]),
    ].join(' ');
    const keyFindings = (words: readonly string[]) =>
      words.length > 0 ? [`${words.join(', ')} of ${scope}${example}`] : [];
    if (failing.length > 0 || budgets.failing.length > 0) {
      return {
        status: 'fail',
        summary: [...keyFindings([...failing, ...warning]), ...budgets.failing, ...budgets.warning].join(
          '; ',
        ),
        remedy,
        values,
      };
    }
    if (warning.length > 0 || budgets.warning.length > 0) {
      return {
        status: 'warn',
        summary: [...keyFindings(warning), ...budgets.warning].join('; '),
        remedy,
        values,
      };
    }
    return {
      status: 'pass',
      summary: `All ${plural(counts.enabledKeys, 'enabled key')} have a limit, are recent and not expiring (${scope}${
        counts.keysCappedByBudget > 0
          ? `; ${counts.keysCappedByBudget} capped by a guardrail or workspace budget`
          : ''
      })`,
      values,
    };
  },
};
