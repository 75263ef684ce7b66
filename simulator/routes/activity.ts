import { activityRows } from '../activity';
import { authenticationError, managementOnlyError } from '../auth';
import type { RouteHandler } from '../context';
import { errorReply, jsonReply } from '../reply';

const HASH = /^[0-9a-f]{64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `GET /activity`: management key only (a regular key was observed getting 403); optional
 * `api_key_hash` and `date` filters; `{"data": ActivityItem[]}` with no count and no paging.
 * An `api_key_hash` the account does not have gives an empty list (the docs do not say).
 */
export const activity: RouteHandler = ({ caller, url }, state) => {
  if (caller.kind !== 'key') return authenticationError(caller);
  if (!caller.isManagement) return managementOnlyError();
  const apiKeyHash = url.searchParams.get('api_key_hash') ?? undefined;
  const date = url.searchParams.get('date') ?? undefined;
  if (apiKeyHash !== undefined && !HASH.test(apiKeyHash)) {
    return errorReply(400, 'Invalid query parameter "api_key_hash": expected a 64-character hex hash');
  }
  if (date !== undefined && !DAY.test(date)) {
    return errorReply(400, 'Invalid query parameter "date": expected YYYY-MM-DD');
  }
  const rows = activityRows(state.account.spenders, state.now(), {
    ...(apiKeyHash === undefined ? {} : { apiKeyHash }),
    ...(date === undefined ? {} : { date }),
  });
  return jsonReply(200, JSON.stringify({ data: rows }));
};
