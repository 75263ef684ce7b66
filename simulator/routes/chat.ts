import { USER_ID } from '../account';
import { authenticationError } from '../auth';
import { affordabilityError } from '../billing';
import type { CatalogModel } from '../catalog';
import { parseChatRequest } from '../chat-request';
import { completeChat } from '../completion';
import type { RouteHandler, SimulatorState } from '../context';
import { errorReply, type Reply } from '../reply';
import type { ChatRefusal } from '../scenarios';
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

/** A scenario's refusal: a budget 403, the in-flight 402 with Retry-After, an availability error. */
function refused(refusal: ChatRefusal, requested: readonly string[]): Reply {
  const metadata = { ...refusal.metadata, ...(refusal.errorType ? { error_type: refusal.errorType } : {}) };
  return errorReply(refusal.status, refusal.message, {
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(refusal.availability
      ? {
          extra: {
            error_type: refusal.errorType,
            http_status: refusal.status,
            availability: { ...refusal.availability, requested_models: requested },
          },
        }
      : {}),
    ...(refusal.headers ? { headers: refusal.headers } : {}),
    userId: USER_ID,
  });
}

/**
 * OpenAI's and Azure's answer to `max_tokens` below their floor, as OpenRouter relays it: HTTP 400
 * "Provider returned error" with the upstream error in `metadata.raw` (openrouter-api-more.md §6).
 */
function belowProviderMinimum(model: CatalogModel, asked: number, floor: number): Reply {
  const provider = model.endpoints[0].providerName;
  const raw = JSON.stringify({
    error: {
      message: `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= ${floor}, but got ${asked} instead.`,
      type: 'invalid_request_error',
      param: 'max_output_tokens',
      code: 'integer_below_min_value',
    },
  });
  return errorReply(400, 'Provider returned error', {
    metadata: { raw, provider_name: provider },
    userId: USER_ID,
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
    const model = account.catalog.byId.get(account.catalog.resolve(id));
    if (model === undefined) return modelNotFound(id, params.candidates);
    models.push(model);
  }
  const last = models[models.length - 1];
  if (last === undefined) return modelNotFound(params.candidates[0], params.candidates);
  if (account.chatOutage === 'rate-limited') return rateLimited(state);
  const overRate = state.load.admit();
  if (overRate !== undefined) return overRate;
  if (account.chatOutage === 'provider-down') return providerDown(last);
  const scripted = account.chatRefusal;
  if (scripted !== null && (scripted.times === undefined || account.refusalsSent.count < scripted.times)) {
    account.refusalsSent.count += 1;
    return refused(scripted, params.candidates);
  }
  const floor = account.minTokens[last.id];
  if (floor !== undefined && params.maxTokens !== null && params.maxTokens < floor) {
    return belowProviderMinimum(last, params.maxTokens, floor);
  }

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
