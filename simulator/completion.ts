import type { IncomingHttpHeaders } from 'node:http';
import { WORKSPACE_ID } from './account';
import { type CatalogModel, price } from './catalog';
import { isoTimestamp, unixSeconds } from './clock';
import type { SimulatorState } from './context';
import { generationId } from './generations';
import type { Reply } from './reply';

/** What a successful completion needs to know about its request. */
export interface CompletionInput {
  readonly model: CatalogModel;
  readonly maxTokens: number | null;
  readonly promptTokens: number;
  readonly stream: boolean;
  readonly headers: IncomingHttpHeaders;
}

const roundUsd = (value: number) => Math.round(value * 1e12) / 1e12;

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' ? value : null;
}

/** The reply words; `max_tokens` cuts it, one token a word. */
function replyWords(model: CatalogModel): string[] {
  return `Hello! This is a simulated reply from ${model.name}.`.split(' ');
}

/**
 * A successful completion: the body (JSON, or an SSE stream when asked), the `X-Generation-Id`
 * header, and the generation stats `/generation` serves once `generationDelayMs` has passed.
 */
export function completeChat(input: CompletionInput, state: SimulatorState): Reply {
  const { model } = input;
  const now = state.now();
  const id = generationId(now);
  const provider = model.endpoints[0];
  const words = replyWords(model);
  const completionTokens = Math.min(words.length, input.maxTokens ?? words.length);
  const content = words.slice(0, completionTokens).join(' ');
  const finishReason = completionTokens < words.length ? 'length' : 'stop';
  const promptCost = roundUsd(input.promptTokens * price(model, 'prompt'));
  const completionCost = roundUsd(completionTokens * price(model, 'completion'));
  const cost = roundUsd(promptCost + completionCost);
  const latency = provider.latencyP50Ms;
  const generationTime = Math.round(latency + (completionTokens / provider.throughputP50) * 1000);

  const usage = {
    prompt_tokens: input.promptTokens,
    completion_tokens: completionTokens,
    total_tokens: input.promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
    cost,
    is_byok: false,
    cost_details: {
      upstream_inference_cost: null,
      upstream_inference_prompt_cost: promptCost,
      upstream_inference_completions_cost: completionCost,
    },
  };
  const referer = header(input.headers, 'http-referer');
  state.generations.add(id, now.getTime() + state.generationDelayMs, {
    id,
    model: model.id,
    created_at: isoTimestamp(now),
    origin: referer ?? '',
    total_cost: cost,
    usage: cost,
    is_byok: false,
    data_region: 'global',
    upstream_inference_cost: null,
    cache_discount: null,
    tokens_prompt: input.promptTokens,
    tokens_completion: completionTokens,
    native_tokens_prompt: input.promptTokens,
    native_tokens_completion: completionTokens,
    native_tokens_reasoning: 0,
    native_tokens_cached: 0,
    native_tokens_completion_images: 0,
    num_media_prompt: null,
    num_media_completion: null,
    num_input_audio_prompt: null,
    num_search_results: null,
    num_fetches: null,
    latency,
    generation_time: generationTime,
    moderation_latency: null,
    finish_reason: finishReason,
    native_finish_reason: finishReason,
    provider_name: provider.providerName,
    provider_responses: [{ status: 200, provider_name: provider.providerName, latency, is_byok: false }],
    streamed: input.stream,
    cancelled: false,
    api_type: 'completions',
    app_id: null,
    http_referer: referer,
    user_agent: header(input.headers, 'user-agent'),
    external_user: null,
    upstream_id: `chatcmpl-${id.slice(-12)}`,
    router: null,
    preset_id: null,
    service_tier: null,
    web_search_engine: null,
    workspace_id: WORKSPACE_ID,
    request_id: null,
    session_id: null,
    response_cache_source_id: null,
  });

  const envelope = {
    id,
    provider: provider.providerName,
    model: model.id,
    created: unixSeconds(now),
  };
  const headers = { 'x-generation-id': id };
  if (input.stream) {
    return {
      status: 200,
      contentType: 'text/event-stream',
      headers: { ...headers, 'cache-control': 'no-cache' },
      body: sseBody(envelope, words.slice(0, completionTokens), finishReason, usage),
    };
  }
  return {
    status: 200,
    headers,
    body: JSON.stringify({
      ...envelope,
      object: 'chat.completion',
      // Null here, but stream chunks leave it out: the SDK's chunk schema does not accept null.
      system_fingerprint: null,
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: finishReason,
          native_finish_reason: finishReason,
          message: { role: 'assistant', content, refusal: null, reasoning: null },
        },
      ],
      usage,
    }),
  };
}

/** The stream as OpenRouter sends it: a keep-alive comment, one chunk a word, the finish, usage with no choices, `[DONE]`. */
function sseBody(
  envelope: Record<string, unknown>,
  words: readonly string[],
  finishReason: string,
  usage: unknown,
): string {
  const chunk = (fields: Record<string, unknown>) =>
    `data: ${JSON.stringify({ ...envelope, object: 'chat.completion.chunk', ...fields })}\n\n`;
  let body = ': OPENROUTER PROCESSING\n\n';
  words.forEach((word, index) => {
    const delta = { role: 'assistant', content: index === 0 ? word : ` ${word}` };
    body += chunk({
      choices: [{ index: 0, delta, finish_reason: null, native_finish_reason: null, logprobs: null }],
    });
  });
  const finish = { role: 'assistant', content: '' };
  body += chunk({
    choices: [
      {
        index: 0,
        delta: finish,
        finish_reason: finishReason,
        native_finish_reason: finishReason,
        logprobs: null,
      },
    ],
  });
  body += chunk({ choices: [], usage });
  return `${body}data: [DONE]\n\n`;
}
