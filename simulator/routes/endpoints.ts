import type { RouteHandler } from '../context';
import { errorReply, jsonReply } from '../reply';

/** `GET /models/{author}/{slug}/endpoints`: latency and throughput only for authenticated callers. */
export const modelEndpoints: RouteHandler = ({ params, caller }, state) => {
  const modelId = params.model ?? '';
  const body = state.account.catalog.endpointsBody(modelId, caller.kind === 'key');
  return body === undefined ? errorReply(404, `Model ${modelId} not found`) : jsonReply(200, body);
};
