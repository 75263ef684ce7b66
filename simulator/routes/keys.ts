import { authenticationError, managementOnlyError } from '../auth';
import type { RouteHandler, RouteRequest } from '../context';
import { errorReply, jsonReply, type Reply } from '../reply';

/** Undefined for the management key; the 401 or 403 otherwise. */
export function managementCaller({ caller }: RouteRequest): Reply | undefined {
  if (caller.kind !== 'key') return authenticationError(caller);
  return caller.isManagement ? undefined : managementOnlyError();
}

/** A non-negative integer query parameter; `undefined` when absent, `null` when malformed. */
export function integerParam(url: URL, name: string): number | undefined | null {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,9}$/.test(raw)) return null;
  return Number(raw);
}

/**
 * `GET /keys`: pages of 100, most recent first; disabled keys only with `include_disabled=true`;
 * one workspace's keys (`workspace_id`, the default workspace when omitted).
 */
export const listKeys: RouteHandler = (request, state) => {
  const denied = managementCaller(request);
  if (denied !== undefined) return denied;
  const offset = integerParam(request.url, 'offset');
  if (offset === null)
    return errorReply(400, 'Invalid query parameter "offset": expected a non-negative integer');
  const includeDisabled = request.url.searchParams.get('include_disabled');
  if (includeDisabled !== null && includeDisabled !== 'true' && includeDisabled !== 'false') {
    return errorReply(400, 'Invalid query parameter "include_disabled": expected "true" or "false"');
  }
  // By default, keys in the default workspace (openrouter-api-more.md §1).
  const workspace = request.url.searchParams.get('workspace_id');
  const list = workspace === null ? state.account.keys : state.account.keysByWorkspace.get(workspace);
  if (list === undefined) return errorReply(404, 'Workspace not found');
  return jsonReply(200, list.page(offset ?? 0, includeDisabled === 'true'));
};

/** `GET /keys/{hash}`. */
export const getKey: RouteHandler = (request, state) => {
  const denied = managementCaller(request);
  if (denied !== undefined) return denied;
  const body = state.account.allKeys.find(request.params.hash ?? '');
  return body === undefined ? errorReply(404, 'Resource not found') : jsonReply(200, body);
};
