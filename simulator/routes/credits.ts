import { authenticationError, managementOnlyError } from '../auth';
import type { RouteHandler } from '../context';
import { jsonReply } from '../reply';

const ZERO_CREDITS = JSON.stringify({ data: { total_credits: 0, total_usage: 0 } });

/**
 * `GET /credits`: management key only. A regular key gets the documented 403, or, when the
 * simulator is asked to, the 200 with zeros seen live in September 2026.
 */
export const credits: RouteHandler = ({ caller }, state) => {
  if (caller.kind !== 'key') return authenticationError(caller);
  if (!caller.isManagement) {
    return state.creditsWithRegularKey === 'zeros' ? jsonReply(200, ZERO_CREDITS) : managementOnlyError();
  }
  return jsonReply(200, state.account.creditsBody);
};
