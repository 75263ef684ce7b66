import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import { describeError, isHttpStatus, remedyForError } from '../engine/describe-error';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';

/** `auth`: the API key authenticates, is a regular (inference) key, and a configured management key is one. */
export const authCheck: Check = {
  id: 'auth',
  title: 'API key authenticates',
  async run({ deps, shared }: CheckContext): Promise<CheckOutcome> {
    if (deps.apiKeyProblem !== undefined || !deps.api.hasApiKey) {
      return {
        status: 'fail',
        summary: `No usable API key: ${deps.apiKeyProblem ?? 'none was given'}`,
        remedy: `Provide the OpenRouter API key (OPENROUTER_API_KEY, or the secret). ${seeRunbook(RUNBOOK.invalidKey)}`,
      };
    }
    // Verified together with the API key, not after it: one round trip. It never rejects.
    const management = checkManagementKey({ deps, shared });
    let key: Awaited<ReturnType<typeof shared.currentKey>>;
    try {
      key = await shared.currentKey();
    } catch (error) {
      const rejected = isHttpStatus(error, 401, 403);
      return {
        status: rejected ? 'fail' : 'error',
        summary: rejected
          ? `OpenRouter rejected the API key (${describeError(error)})`
          : `Could not verify the API key: ${describeError(error)}`,
        remedy: rejected
          ? `Create a new key, store it in place of the old one and re-run. ${seeRunbook(RUNBOOK.invalidKey)}`
          : remedyForError(error),
      };
    }
    const values = { label: key.label, isFreeTier: key.isFreeTier, isManagementKey: key.isManagementKey };
    if (key.isManagementKey) {
      return {
        status: 'fail',
        summary: `The API key ${key.label} is a management key: it cannot call completions`,
        remedy: `Use a regular API key as the API key, and pass the management key separately (OPENROUTER_MANAGEMENT_KEY). ${seeRunbook(RUNBOOK.invalidKey)}`,
        values,
      };
    }
    const managementOutcome = await management;
    if (managementOutcome)
      return { ...managementOutcome, values: { ...values, ...managementOutcome.values } };
    const extra = deps.api.hasManagementKey ? ' (management key verified)' : '';
    return { status: 'pass', summary: `API key ${key.label} authenticates${extra}`, values };
  },
};

async function checkManagementKey({
  deps,
  shared,
}: Pick<CheckContext, 'deps' | 'shared'>): Promise<CheckOutcome | undefined> {
  if (deps.managementKeyProblem !== undefined) {
    return {
      status: 'fail',
      summary: `The management key is configured but unusable: ${deps.managementKeyProblem}`,
      remedy: `Fix the management key secret, or remove it to run without the management checks. ${seeRunbook(RUNBOOK.invalidKey)}`,
    };
  }
  if (!deps.api.hasManagementKey) return undefined;
  try {
    const info = await shared.managementKeyInfo();
    if (info.isManagementKey) return undefined;
    return {
      status: 'fail',
      summary: `The management key ${info.label} is a regular key: the account checks cannot run`,
      remedy: `Create a management key at openrouter.ai/settings/management-keys and use it as the management key. ${seeRunbook(RUNBOOK.invalidKey)}`,
      values: { managementKeyLabel: info.label },
    };
  } catch (error) {
    const rejected = isHttpStatus(error, 401, 403);
    return {
      status: rejected ? 'fail' : 'error',
      summary: `${rejected ? 'OpenRouter rejected the management key' : 'Could not verify the management key'} (${describeError(error)})`,
      remedy: rejected
        ? `Replace the management key. ${seeRunbook(RUNBOOK.invalidKey)}`
        : remedyForError(error),
    };
  }
}
