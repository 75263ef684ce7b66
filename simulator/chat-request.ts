import { DEFAULT_MODEL } from './catalog';
import type { ParsedBody } from './context';
import { errorReply, type Reply } from './reply';

/** OpenRouter's limit on the `models` fallback list (seen in its 400 message, not in the spec). */
export const MAX_FALLBACK_MODELS = 3;

/** A validated `POST /chat/completions` body: the parts the simulator acts on. */
export interface ChatParams {
  /** Models to try in order: `model` first, then `models`. */
  readonly candidates: readonly [string, ...string[]];
  /** `max_completion_tokens` or `max_tokens`; null when neither was sent. */
  readonly maxTokens: number | null;
  /** A rough count of prompt tokens (4 characters a token, plus a few per message). */
  readonly promptTokens: number;
  readonly stream: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textLength(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let length = 0;
  for (const part of content) {
    if (isRecord(part) && typeof part.text === 'string') length += part.text.length;
  }
  return length;
}

const invalid = (message: string): Reply =>
  errorReply(400, message, { metadata: { error_type: 'invalid_request' } });

/** A token limit field: its value, null when absent, undefined when malformed. */
function tokenLimit(body: Record<string, unknown>, field: string): number | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return undefined;
  return value;
}

/** The model a request asks for first (`model`, else `models[0]`, else the default): what chat faults match on. */
export function requestedModel(body: ParsedBody): string {
  if (body.kind !== 'json' || !isRecord(body.value)) return DEFAULT_MODEL;
  const { model, models } = body.value;
  if (typeof model === 'string' && model !== '') return model;
  if (Array.isArray(models) && typeof models[0] === 'string') return models[0];
  return DEFAULT_MODEL;
}

export function parseChatRequest(body: ParsedBody): ChatParams | Reply {
  if (body.kind === 'invalid') return invalid('Request body is not valid JSON');
  if (body.kind === 'empty' || !isRecord(body.value)) return invalid('Request body must be a JSON object');
  const request = body.value;

  const { messages, model, models, stream } = request;
  if (!Array.isArray(messages) || messages.length === 0)
    return invalid('"messages" must be a non-empty array');
  if (model !== undefined && (typeof model !== 'string' || model === ''))
    return invalid('"model" must be a model id');
  const fallbacks: string[] = [];
  if (models !== undefined) {
    if (!Array.isArray(models) || !models.every((id): id is string => typeof id === 'string' && id !== '')) {
      return invalid('"models" must be an array of model ids');
    }
    if (models.length > MAX_FALLBACK_MODELS) return invalid("'models' array must have 3 items or fewer.");
    fallbacks.push(...models);
  }
  if (stream !== undefined && typeof stream !== 'boolean') return invalid('"stream" must be a boolean');

  const completionLimit = tokenLimit(request, 'max_completion_tokens');
  if (completionLimit === undefined) return invalid('"max_completion_tokens" must be a positive integer');
  const legacyLimit = tokenLimit(request, 'max_tokens');
  if (legacyLimit === undefined) return invalid('"max_tokens" must be a positive integer');

  const unique = [...new Set([...(typeof model === 'string' ? [model] : []), ...fallbacks])];
  const [first, ...rest] = unique.length > 0 ? unique : [DEFAULT_MODEL];

  let characters = 0;
  for (const message of messages) characters += isRecord(message) ? textLength(message.content) : 0;

  return {
    candidates: [first ?? DEFAULT_MODEL, ...rest],
    maxTokens: completionLimit ?? legacyLimit,
    promptTokens: Math.ceil(characters / 4) + 4 * messages.length + 3,
    stream: stream === true,
  };
}
