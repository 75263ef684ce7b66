/**
 * Workspaces, guardrails and workspace budgets (openrouter-api-more.md §1-2): management key
 * only, `{data, total_count}` pages with `offset` and `limit` (1-100, default 50).
 */
import type { RouteHandler, RouteRequest } from '../context';
import { errorReply, jsonReply, type Reply } from '../reply';
import { integerParam, managementCaller } from './keys';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

/** One page of a counted list, or the 400 for bad paging parameters. */
function countedPage(request: RouteRequest, items: readonly unknown[]): Reply {
  const offset = integerParam(request.url, 'offset');
  const limit = integerParam(request.url, 'limit');
  if (offset === null)
    return errorReply(400, 'Invalid query parameter "offset": expected a non-negative integer');
  if (limit === null || (limit !== undefined && (limit < 1 || limit > MAX_LIMIT))) {
    return errorReply(400, `Invalid query parameter "limit": expected an integer from 1 to ${MAX_LIMIT}`);
  }
  const start = offset ?? 0;
  const data = items.slice(start, start + (limit ?? DEFAULT_LIMIT));
  return jsonReply(200, JSON.stringify({ data, total_count: items.length }));
}

/** `GET /workspaces`; an account without the workspaces API answers 403 or 404 (both readings are served). */
export const listWorkspaces: RouteHandler = (request, state) => {
  const denied = managementCaller(request);
  if (denied !== undefined) return denied;
  const { account } = state;
  if (account.workspacesApi === 404) return errorReply(404, 'Not Found');
  if (account.workspacesApi === 403) return errorReply(403, 'Workspaces are not enabled for this account');
  return countedPage(request, account.workspaces);
};

/** `GET /guardrails?workspace_id=` (the default workspace when omitted). */
export const listGuardrails: RouteHandler = (request, state) => {
  const denied = managementCaller(request);
  if (denied !== undefined) return denied;
  const workspace = request.url.searchParams.get('workspace_id') ?? state.account.workspaces[0]?.id;
  return countedPage(
    request,
    state.account.guardrails.filter((g) => g.workspace_id === workspace),
  );
};

/** `GET /guardrails/assignments/keys`: every key assignment of the account. */
export const listKeyAssignments: RouteHandler = (request, state) => {
  const denied = managementCaller(request);
  if (denied !== undefined) return denied;
  return countedPage(request, state.account.guardrailAssignments);
};

/** `GET /workspaces/{id}/budgets` (id or slug). */
export const workspaceBudgets: RouteHandler = (request, state) => {
  const denied = managementCaller(request);
  if (denied !== undefined) return denied;
  const { account } = state;
  const id = request.params.workspace ?? '';
  const workspace = account.workspaces.find((w) => w.id === id || w.slug === id);
  if (workspace === undefined) return errorReply(404, 'Workspace not found');
  const data = account.workspaceBudgets.filter((b) => b.workspace_id === workspace.id);
  return jsonReply(200, JSON.stringify({ data, include_byok_in_budgets: false }));
};
