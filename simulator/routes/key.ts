import { authenticationError } from '../auth';
import type { RouteHandler } from '../context';
import { jsonReply } from '../reply';

/** `GET /key` and its deprecated alias `GET /auth/key`: the calling key, regular or management. */
export const currentKey: RouteHandler = ({ caller }) => {
  if (caller.kind !== 'key') return authenticationError(caller);
  return jsonReply(200, caller.currentKeyBody);
};
