/**
 * The account's key inventory across workspaces. `GET /keys` lists the default workspace unless
 * `workspace_id` is passed (openrouter-api-more.md §1), so a bare listing misses every other
 * workspace: the inventory lists the workspaces, then each workspace's keys through the one
 * paging machinery (key-pages.ts), several workspaces at once, all under the caller's deadline.
 */
import { OpenRouterError } from './errors';
import type { KeyPageFetcher } from './key-pages';
import type { KeyInfo, KeyInventory, WorkspaceInfo } from './types';

/** At most this many workspaces are listed at once (each pages with its own growing window). */
export const MAX_WORKSPACES_IN_FLIGHT = 4;

export interface InventorySources {
  /** Every workspace; rejects with OpenRouterError. */
  readonly listWorkspaces: () => Promise<readonly WorkspaceInfo[]>;
  /** Every key of one workspace (null: the default workspace, no `workspace_id`). */
  readonly listWorkspaceKeys: (workspaceId: string | null) => Promise<readonly KeyInfo[]>;
}

/** `/workspaces` answers that mean "no workspaces API on this account", not "broken". */
function workspacesUnavailable(error: unknown): string | null {
  if (
    error instanceof OpenRouterError &&
    error.code === 'HTTP_STATUS' &&
    (error.status === 403 || error.status === 404)
  ) {
    return `GET /workspaces answered HTTP ${error.status}`;
  }
  return null;
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      const item = items[index] as T;
      try {
        results[index] = await run(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // allSettled first so that no sibling's rejection is left unhandled, then the first failure wins.
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  return results;
}

/** The same key twice (on two pages, or in two workspaces) means the listing cannot be trusted. */
function rejectDuplicates(keys: readonly KeyInfo[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.hash)) {
      throw new OpenRouterError(
        'BAD_RESPONSE',
        `GET /keys: hash ${key.hash.slice(0, 12)}… is listed twice, expected each key once`,
        { endpoint: '/keys' },
      );
    }
    seen.add(key.hash);
  }
}

export async function listKeyInventory(sources: InventorySources): Promise<KeyInventory> {
  let workspaces: readonly WorkspaceInfo[];
  try {
    workspaces = await sources.listWorkspaces();
  } catch (error) {
    const why = workspacesUnavailable(error);
    if (why === null) throw error;
    const keys = await sources.listWorkspaceKeys(null);
    rejectDuplicates(keys);
    return { keys, workspaces: [], defaultWorkspaceOnly: why };
  }
  if (workspaces.length === 0) {
    const keys = await sources.listWorkspaceKeys(null);
    rejectDuplicates(keys);
    return { keys, workspaces: [], defaultWorkspaceOnly: 'GET /workspaces listed no workspace' };
  }
  const perWorkspace = await mapLimited(workspaces, MAX_WORKSPACES_IN_FLIGHT, (w) =>
    sources.listWorkspaceKeys(w.id),
  );
  const keys = perWorkspace.flat();
  rejectDuplicates(keys);
  return { keys, workspaces, defaultWorkspaceOnly: null };
}

/** Re-exported for the client: one fetcher type for every paged key listing. */
export type { KeyPageFetcher };
