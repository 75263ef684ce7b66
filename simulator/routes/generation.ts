import { authenticationError } from '../auth';
import type { RouteHandler } from '../context';
import { errorReply, jsonReply } from '../reply';

/**
 * `GET /generation?id=`: 404 until the generation is readable (`generationDelayMs` after the
 * completion, on the simulator's clock), then its stats.
 */
export const generation: RouteHandler = ({ caller, url }, state) => {
  if (caller.kind !== 'key') return authenticationError(caller);
  const id = url.searchParams.get('id');
  if (id === null || id === '') return errorReply(400, 'Missing required query parameter "id"');
  const body = state.generations.lookup(id, state.now().getTime());
  return body === undefined ? errorReply(404, 'Generation not found') : jsonReply(200, body);
};
