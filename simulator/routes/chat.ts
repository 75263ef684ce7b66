import { USER_ID } from '../account';
import { authenticationError } from '../auth';
import { affordabilityError } from '../billing';
import type { CatalogModel } from '../catalog';
import { parseChatRequest } from '../chat-request';
import { completeChat } from '../completion';
import type { RouteHandler, SimulatorState } from '../context';
import { errorReply, type Reply } from '../reply';
import { periodUsage } from '../usage-periods';

const ERRORS_DOCS = 'https://openrouter.ai/docs/api/reference/errors-and-debugging';

function modelNotFound(modelId: string, requested: readonly string[]): Reply {
  return errorReply(400, `${modelId} is not a valid model ID`, {
    metadata: { error_type: 'invalid_request' },
    extra: {
      availability: {
        code: 'model_not_found',
        retryable: false,
        requested_models: requested,
        docs_url: ERRORS_DOCS,
      },
    },
    userId: USER_ID,
  });
}

function providerDown(model: CatalogModel): Reply {
  return errorReply(502, 'Provider returned error', {
    metadata: {
      raw: 'upstream connect error',
      provider_name: model.endpoints[0].providerName,
      error_type: 'provider_unavailable',
    },
    userId: USER_ID,
  });
}

/** OpenRouter's own per-minute limit: `Retry-After` plus the `X-RateLimit-*` trio, copied into the metadata. */
function rateLimited(state: SimulatorState): Reply {
  const resetMs = Math.ceil((state.now().getTime() + 1) / 60_000) * 60_000;
  const limitHeaders = {
    'X-RateLimit-Limit': '20',
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset': String(resetMs),
  };
  return errorReply(429, 'Rate limit exceeded: requests-per-min. Slow down and retry after the reset time.', {
    metadata: { headers: limitHeaders, error_type: 'rate_limit_exceeded' },
    headers: { ...limitHeaders, 'Retry-After': '1' },
  });
}

/**
 * `POST /chat/completions` (non-streaming, or a whole SSE stream at once): regular key only;
 * `model` then `models` (at most 3) are tried in order, and the first that can serve answers,
 * its id in the response's `model`. If none can, the last one's error is returned.
 */
export const chatCompletions: RouteHandler = (request, state) => {
  const { caller } = request;
  if (caller.kind !== 'key') return authenticationError(caller);
  if (caller.isManagement) {
    // The exact wording for a management key on an inference route is not documented.
    return errorReply(403, 'Management keys cannot be used for inference. Use a regular API key.');
  }
  const params = parseChatRequest(request.body);
  if ('status' in params) return params;

  const { account } = state;
  const models: CatalogModel[] = [];
  for (const id of params.candidates) {
    const model = account.catalog.byId.get(id);
    if (model === undefined) return modelNotFound(id, params.candidates);
    models.push(model);
  }
  const last = models[models.length - 1];
  if (last === undefined) return modelNotFound(params.candidates[0], params.candidates);
  if (account.chatOutage === 'rate-limited') return rateLimited(state);
  const overRate = state.load.admit();
  if (overRate !== undefined) return overRate;
  if (account.chatOutage === 'provider-down') return providerDown(last);

  const key = account.apiKeyFigures;
  const purse = {
    balance: account.balance,
    key,
    keyLimitRemaining: periodUsage(key, state.now()).limitRemaining,
  };
  let refusal: Reply | undefined;
  for (const model of models) {
    refusal = state.load.providerFailure(model);
    if (refusal !== undefined) continue;
    refusal = affordabilityError(model, params.maxTokens, params.promptTokens, purse);
    if (refusal === undefined) {
      const { maxTokens, promptTokens, stream } = params;
      return completeChat({ model, maxTokens, promptTokens, stream, headers: request.headers }, state);
    }
  }
  return refusal ?? errorReply(500, 'Internal Server Error');
};
