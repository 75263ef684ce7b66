import { aliasById } from '../aliases';
import type { RouteHandler } from '../context';
import { applyEndpointHealth } from '../endpoint-health';
import { errorReply, jsonReply } from '../reply';

/**
 * `GET /models/{author}/{slug}/endpoints`: latency and throughput only for authenticated callers.
 * A `~` alias lists no hosts (observed); its target's endpoints are where the hosts are.
 */
export const modelEndpoints: RouteHandler = ({ params, caller }, state) => {
  const modelId = params.model ?? '';
  const alias = aliasById(modelId);
  if (alias !== undefined) {
    return jsonReply(200, JSON.stringify({ data: { id: alias.id, name: alias.name, endpoints: [] } }));
  }
  const body = state.account.catalog.endpointsBody(modelId, caller.kind === 'key');
  if (body === undefined) return errorReply(404, `Model ${modelId} not found`);
  return jsonReply(200, applyEndpointHealth(body, state.account.scenario, modelId));
};
