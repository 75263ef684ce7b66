import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import { describeError } from '../engine/describe-error';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import type { CurrentKey, KeyInfo, KeyInventory } from '../openrouter/types';
import {
  daysBetween,
  futureCreationProblem,
  needsAuth,
  parseDate,
  round,
  UNTRUSTED_DATA_REMEDY,
  unreadableFields,
} from './support';

/**
 * `key-age`: the API key is rotated often enough and does not expire unnoticed. Its creation date
 * comes from the account's key list (management key), else from the caller (the Lambda passes the
 * secret version's date), else the check skips.
 */
export const keyAgeCheck: Check = {
  id: 'key-age',
  title: 'API key rotation age and expiry',
  async run(context): Promise<CheckOutcome> {
    const { config, deps, now, shared } = context;
    // The key list is requested together with GET /key, not after it: matching needs both answers
    // and neither request needs the other, so the check costs one round trip instead of two.
    // Settled at once, so that a failure is never an unhandled rejection when /key fails first.
    const keyList = deps.api.hasManagementKey ? settle(shared.keyInventory()) : undefined;
    let key: CurrentKey;
    try {
      key = await shared.currentKey();
    } catch {
      return needsAuth('Key age');
    }
    const unreadable = unreadableFields(key.problems, ['expires_at', 'workspace_id']);
    if (unreadable !== null) return unreadable;
    const created = await creationDate(context, key, keyList);
    if (created.match) {
      const implausible = futureCreationProblem([created.match], now);
      if (implausible !== null) {
        return { status: 'error', summary: `Could not read ${implausible}`, remedy: UNTRUSTED_DATA_REMEDY };
      }
    }
    const expiresAt = parseDate(created.match?.expiresAt ?? key.expiresAt);
    const ageDays = created.date ? daysBetween(created.date, now) : null;
    const daysToExpiry = expiresAt ? daysBetween(now, expiresAt) : null;
    const values = {
      keyAgeDays: ageDays === null ? null : round(ageDays, 1),
      createdAt: created.date?.toISOString() ?? null,
      createdAtSource: created.source,
      expiresAt: expiresAt?.toISOString() ?? null,
      daysToExpiry: daysToExpiry === null ? null : round(daysToExpiry, 1),
    };
    const rotate = `Rotate the key: create a new one, store it, verify with the CLI, then delete the old one. ${seeRunbook(RUNBOOK.keyRotation)}`;

    if (daysToExpiry !== null && daysToExpiry <= 0) {
      return {
        status: 'fail',
        summary: `API key ${key.label} expired on ${values.expiresAt}`,
        remedy: rotate,
        values,
      };
    }
    if (ageDays !== null && ageDays > config.maxKeyAgeDays) {
      return {
        status: 'fail',
        summary: `API key ${key.label} is ${Math.floor(ageDays)} days old, over the ${config.maxKeyAgeDays}-day rotation limit`,
        remedy: rotate,
        values,
      };
    }
    if (daysToExpiry !== null && daysToExpiry <= config.keyExpiryWarnDays) {
      return {
        status: 'warn',
        summary: `API key ${key.label} expires in ${Math.ceil(daysToExpiry)} days (${values.expiresAt})`,
        remedy: rotate,
        values,
      };
    }
    if (ageDays !== null && ageDays > config.keyAgeWarnDays) {
      return {
        status: 'warn',
        summary: `API key ${key.label} is ${Math.floor(ageDays)} days old; rotation is due by day ${config.maxKeyAgeDays}`,
        remedy: rotate,
        values,
      };
    }
    if (ageDays === null) {
      return {
        status: 'skip',
        summary: `Key age unknown: ${created.why}${daysToExpiry === null ? '' : `; expires in ${Math.ceil(daysToExpiry)} days`}`,
        values,
      };
    }
    const expiry = daysToExpiry === null ? 'no expiry set' : `expires in ${Math.ceil(daysToExpiry)} days`;
    return {
      status: 'pass',
      summary: `API key ${key.label} is ${Math.floor(ageDays)} days old (from ${created.source}); ${expiry}`,
      values,
    };
  },
};

interface CreationDate {
  readonly date: Date | null;
  readonly source: string | null;
  readonly match?: KeyInfo;
  /** Why no date was found. */
  readonly why?: string;
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

/**
 * The inventory's keys, plus the key's own workspace when the inventory could not reach it (no
 * workspaces API: only the default workspace was listed): `GET /key` names the workspace, and
 * `GET /keys?workspace_id=` lists it directly.
 */
async function withOwnWorkspace(
  deps: CheckContext['deps'],
  inventory: KeyInventory,
  key: CurrentKey,
  options: { signal: AbortSignal; deadlineAt: number },
): Promise<Settled<readonly KeyInfo[]>> {
  const workspace = key.workspaceId;
  const reached =
    workspace === null ||
    inventory.workspaces.some((w) => w.id === workspace) ||
    inventory.keys.some((k) => k.workspaceId === workspace);
  if (reached) return { ok: true, value: inventory.keys };
  const own = await settle(deps.api.listWorkspaceKeys(workspace, options));
  return own.ok
    ? { ok: true, value: [...inventory.keys, ...own.value] }
    : { ok: true, value: inventory.keys };
}

async function creationDate(
  { deps, signal, deadlineAt }: CheckContext,
  key: CurrentKey,
  keyList: Promise<Settled<KeyInventory>> | undefined,
): Promise<CreationDate> {
  const options = { signal, deadlineAt };
  let why = 'no management key to read the creation date, and none supplied';
  if (keyList !== undefined) {
    const inventory = await keyList;
    const keys = inventory.ok ? await withOwnWorkspace(deps, inventory.value, key, options) : inventory;
    if (keys.ok) {
      const match = findKey(keys.value, key);
      const date = parseDate(match?.createdAt);
      if (match && date) return { date, source: 'the account key list', match };
      const where = key.workspaceId === null ? '' : ` (its workspace ${key.workspaceId})`;
      why = `the key ${key.label} was not found in the account's key list${where}`;
    } else {
      why = `the account's key list could not be read (${describeError(keys.error)})`;
    }
  }
  if (deps.keyCreatedAt) return { date: deps.keyCreatedAt.date, source: deps.keyCreatedAt.source };
  return { date: null, source: null, why };
}

/**
 * GET /key has no hash or creation date: match its masked label in the key list, breaking ties
 * (the mask is short) with the figures both answers share.
 */
export function findKey(keys: readonly KeyInfo[], key: CurrentKey): KeyInfo | undefined {
  // Labels repeat across workspaces more easily than within one: look in the key's own workspace
  // (`workspace_id` of GET /key) first, and elsewhere only when the API named none.
  const own =
    key.workspaceId === null
      ? keys
      : keys.filter((k) => k.workspaceId === null || k.workspaceId === key.workspaceId);
  const sameLabel = own.filter((k) => k.label === key.label);
  if (sameLabel.length <= 1) return sameLabel[0];
  const same = (a: number | null, b: number | null) =>
    a === b || (a !== null && b !== null && Math.abs(a - b) < 1e-9);
  const score = (k: KeyInfo) =>
    Number(same(k.limit, key.limit)) +
    Number(k.limitReset === key.limitReset) +
    Number(same(k.usage, key.usage)) +
    Number(same(k.usageDaily, key.usageDaily)) +
    Number(same(k.usageWeekly, key.usageWeekly)) +
    Number(same(k.usageMonthly, key.usageMonthly)) +
    Number((k.expiresAt ?? null) === (key.expiresAt ?? null)) +
    Number(!k.disabled);
  return sameLabel.reduce((best, k) => (score(k) > score(best) ? k : best));
}
