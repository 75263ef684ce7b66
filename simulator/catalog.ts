/**
 * The simulated model catalog: a handful of real, well-known models with prices (USD per token,
 * as decimal strings, exactly as OpenRouter publishes them) and their provider endpoints.
 * Prices and limits are close to the public catalog at the time of writing; they only need to
 * be plausible, not current.
 */

/** The model a request gets when it names none (an account's default model). */
export const DEFAULT_MODEL = 'openai/gpt-4o-mini';

export interface CatalogEndpoint {
  /** Display name, e.g. `OpenAI`, `Google AI Studio`. */
  readonly providerName: string;
  /** Provider slug, e.g. `openai`, `deepinfra/bf16`. */
  readonly tag: string;
  readonly quantization: string | null;
  readonly uptimePercent: number;
  /** Time to first token, p50, in ms. */
  readonly latencyP50Ms: number;
  /** Tokens per second, p50. */
  readonly throughputP50: number;
  readonly supportsImplicitCaching: boolean;
}

export interface CatalogModel {
  readonly id: string;
  readonly canonicalSlug: string;
  readonly name: string;
  /** Unix seconds. */
  readonly created: number;
  readonly description: string;
  readonly contextLength: number;
  readonly inputModalities: readonly string[];
  readonly outputModalities: readonly string[];
  readonly tokenizer: string;
  readonly instructType: string | null;
  /** USD per token as decimal strings; `prompt` and `completion` always present. */
  readonly pricing: Readonly<Record<string, string>> & {
    readonly prompt: string;
    readonly completion: string;
  };
  /** The default maximum output: what a request without `max_tokens` is priced at. */
  readonly maxCompletionTokens: number;
  readonly isModerated: boolean;
  readonly supportedParameters: readonly string[];
  readonly huggingFaceId: string | null;
  readonly knowledgeCutoff: string | null;
  readonly endpoints: readonly [CatalogEndpoint, ...CatalogEndpoint[]];
}

const CHAT_PARAMETERS = [
  'max_tokens',
  'temperature',
  'top_p',
  'stop',
  'frequency_penalty',
  'presence_penalty',
  'seed',
];
const TOOL_PARAMETERS = ['tools', 'tool_choice', 'response_format', 'structured_outputs'];

function endpoint(
  providerName: string,
  tag: string,
  figures: Partial<Omit<CatalogEndpoint, 'providerName' | 'tag'>> = {},
): CatalogEndpoint {
  return {
    providerName,
    tag,
    quantization: figures.quantization ?? null,
    uptimePercent: figures.uptimePercent ?? 99.9,
    latencyP50Ms: figures.latencyP50Ms ?? 450,
    throughputP50: figures.throughputP50 ?? 80,
    supportsImplicitCaching: figures.supportsImplicitCaching ?? false,
  };
}

export const CATALOG: readonly CatalogModel[] = [
  {
    id: 'openai/gpt-4o-mini',
    canonicalSlug: 'openai/gpt-4o-mini-2024-07-18',
    name: 'OpenAI: GPT-4o-mini',
    created: 1721260800,
    description: "GPT-4o mini is OpenAI's small, affordable model for fast, lightweight tasks.",
    contextLength: 128_000,
    inputModalities: ['text', 'image', 'file'],
    outputModalities: ['text'],
    tokenizer: 'GPT',
    instructType: null,
    pricing: {
      prompt: '0.00000015',
      completion: '0.0000006',
      request: '0',
      image: '0.000217',
      input_cache_read: '0.000000075',
    },
    maxCompletionTokens: 16_384,
    isModerated: true,
    supportedParameters: [...CHAT_PARAMETERS, ...TOOL_PARAMETERS, 'logprobs', 'top_logprobs', 'logit_bias'],
    huggingFaceId: null,
    knowledgeCutoff: '2023-10-01',
    endpoints: [
      endpoint('OpenAI', 'openai', { latencyP50Ms: 380, throughputP50: 95, supportsImplicitCaching: true }),
      endpoint('Azure', 'azure', { latencyP50Ms: 520, throughputP50: 110, uptimePercent: 99.5 }),
    ],
  },
  {
    id: 'openai/gpt-4o',
    canonicalSlug: 'openai/gpt-4o',
    name: 'OpenAI: GPT-4o',
    created: 1715558400,
    description: "GPT-4o is OpenAI's multimodal flagship model with text and image input.",
    contextLength: 128_000,
    inputModalities: ['text', 'image', 'file'],
    outputModalities: ['text'],
    tokenizer: 'GPT',
    instructType: null,
    pricing: {
      prompt: '0.0000025',
      completion: '0.00001',
      request: '0',
      image: '0.003613',
      input_cache_read: '0.00000125',
    },
    maxCompletionTokens: 16_384,
    isModerated: true,
    supportedParameters: [...CHAT_PARAMETERS, ...TOOL_PARAMETERS, 'logprobs', 'top_logprobs', 'logit_bias'],
    huggingFaceId: null,
    knowledgeCutoff: '2023-10-01',
    endpoints: [
      endpoint('OpenAI', 'openai', { latencyP50Ms: 520, throughputP50: 70, supportsImplicitCaching: true }),
      endpoint('Azure', 'azure', { latencyP50Ms: 640, throughputP50: 75 }),
    ],
  },
  {
    id: 'openai/o1',
    canonicalSlug: 'openai/o1-2024-12-17',
    name: 'OpenAI: o1',
    created: 1734459999,
    description:
      "OpenAI's o1 reasons before it answers; its long default output makes an uncapped request expensive.",
    contextLength: 200_000,
    inputModalities: ['text', 'image', 'file'],
    outputModalities: ['text'],
    tokenizer: 'GPT',
    instructType: null,
    pricing: {
      prompt: '0.000015',
      completion: '0.00006',
      request: '0',
      image: '0.021675',
      input_cache_read: '0.0000075',
    },
    maxCompletionTokens: 100_000,
    isModerated: true,
    supportedParameters: ['max_tokens', 'seed', 'reasoning', 'include_reasoning', ...TOOL_PARAMETERS],
    huggingFaceId: null,
    knowledgeCutoff: '2023-10-01',
    endpoints: [
      endpoint('OpenAI', 'openai', { latencyP50Ms: 4200, throughputP50: 60, supportsImplicitCaching: true }),
    ],
  },
  {
    id: 'anthropic/claude-3.5-haiku',
    canonicalSlug: 'anthropic/claude-3-5-haiku',
    name: 'Anthropic: Claude 3.5 Haiku',
    created: 1730678400,
    description: "Claude 3.5 Haiku is Anthropic's fastest model, for quick, high-volume tasks.",
    contextLength: 200_000,
    inputModalities: ['text', 'image'],
    outputModalities: ['text'],
    tokenizer: 'Claude',
    instructType: null,
    pricing: {
      prompt: '0.0000008',
      completion: '0.000004',
      request: '0',
      image: '0',
      input_cache_read: '0.00000008',
      input_cache_write: '0.000001',
    },
    maxCompletionTokens: 8192,
    isModerated: true,
    supportedParameters: ['max_tokens', 'temperature', 'top_p', 'top_k', 'stop', 'tools', 'tool_choice'],
    huggingFaceId: null,
    knowledgeCutoff: '2024-07-01',
    endpoints: [
      endpoint('Anthropic', 'anthropic', { latencyP50Ms: 610, throughputP50: 55 }),
      endpoint('Google Vertex', 'google-vertex', { latencyP50Ms: 700, throughputP50: 52 }),
      endpoint('Amazon Bedrock', 'amazon-bedrock', {
        latencyP50Ms: 760,
        throughputP50: 50,
        uptimePercent: 99.2,
      }),
    ],
  },
  {
    id: 'google/gemini-2.0-flash-001',
    canonicalSlug: 'google/gemini-2.0-flash-001',
    name: 'Google: Gemini 2.0 Flash',
    created: 1738769413,
    description: 'Gemini Flash 2.0 offers a fast time to first token and a one-million-token context.',
    contextLength: 1_048_576,
    inputModalities: ['text', 'image', 'file', 'audio'],
    outputModalities: ['text'],
    tokenizer: 'Gemini',
    instructType: null,
    pricing: {
      prompt: '0.0000001',
      completion: '0.0000004',
      request: '0',
      image: '0.0000258',
      audio: '0.0000007',
      input_cache_read: '0.000000025',
      input_cache_write: '0.0000001833',
    },
    maxCompletionTokens: 8192,
    isModerated: false,
    supportedParameters: [...CHAT_PARAMETERS, ...TOOL_PARAMETERS],
    huggingFaceId: null,
    knowledgeCutoff: '2024-08-01',
    endpoints: [
      endpoint('Google AI Studio', 'google-ai-studio', {
        latencyP50Ms: 420,
        throughputP50: 160,
        supportsImplicitCaching: true,
      }),
      endpoint('Google Vertex', 'google-vertex', { latencyP50Ms: 480, throughputP50: 150 }),
    ],
  },
  {
    id: 'meta-llama/llama-3.1-8b-instruct',
    canonicalSlug: 'meta-llama/llama-3.1-8b-instruct',
    name: 'Meta: Llama 3.1 8B Instruct',
    created: 1721692800,
    description: "Meta's 8B instruct model: fast and inexpensive for simple tasks.",
    contextLength: 131_072,
    inputModalities: ['text'],
    outputModalities: ['text'],
    tokenizer: 'Llama3',
    instructType: 'llama3',
    pricing: { prompt: '0.00000002', completion: '0.00000003' },
    maxCompletionTokens: 16_384,
    isModerated: false,
    supportedParameters: [...CHAT_PARAMETERS, 'top_k', 'min_p', 'repetition_penalty', 'tools', 'tool_choice'],
    huggingFaceId: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
    knowledgeCutoff: '2023-12-01',
    endpoints: [
      endpoint('DeepInfra', 'deepinfra/bf16', {
        quantization: 'bf16',
        latencyP50Ms: 300,
        throughputP50: 120,
      }),
      endpoint('Groq', 'groq', { quantization: 'unknown', latencyP50Ms: 180, throughputP50: 750 }),
      endpoint('Together', 'together/fp8', {
        quantization: 'fp8',
        latencyP50Ms: 350,
        throughputP50: 140,
        uptimePercent: 98.7,
      }),
    ],
  },
  {
    id: 'meta-llama/llama-3.1-8b-instruct:free',
    canonicalSlug: 'meta-llama/llama-3.1-8b-instruct',
    name: 'Meta: Llama 3.1 8B Instruct (free)',
    created: 1721692800,
    description: "The free variant of Meta's 8B instruct model, with OpenRouter's free-model rate limits.",
    contextLength: 131_072,
    inputModalities: ['text'],
    outputModalities: ['text'],
    tokenizer: 'Llama3',
    instructType: 'llama3',
    pricing: { prompt: '0', completion: '0' },
    maxCompletionTokens: 4096,
    isModerated: false,
    supportedParameters: ['max_tokens', 'temperature', 'top_p', 'stop', 'seed'],
    huggingFaceId: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
    knowledgeCutoff: '2023-12-01',
    endpoints: [
      endpoint('Chutes', 'chutes/bf16', {
        quantization: 'bf16',
        latencyP50Ms: 900,
        throughputP50: 45,
        uptimePercent: 96.4,
      }),
    ],
  },
  {
    id: 'mistralai/mistral-small-3.1-24b-instruct',
    canonicalSlug: 'mistralai/mistral-small-3.1-24b-instruct-2503',
    name: 'Mistral: Mistral Small 3.1 24B',
    created: 1742238937,
    description: 'Mistral Small 3.1 is a 24B multimodal model with a 128k context.',
    contextLength: 128_000,
    inputModalities: ['text', 'image'],
    outputModalities: ['text'],
    tokenizer: 'Mistral',
    instructType: null,
    pricing: { prompt: '0.0000001', completion: '0.0000003' },
    maxCompletionTokens: 32_768,
    isModerated: false,
    supportedParameters: [...CHAT_PARAMETERS, ...TOOL_PARAMETERS],
    huggingFaceId: 'mistralai/Mistral-Small-3.1-24B-Instruct-2503',
    knowledgeCutoff: null,
    endpoints: [
      endpoint('Mistral', 'mistral', { latencyP50Ms: 410, throughputP50: 110 }),
      endpoint('DeepInfra', 'deepinfra/fp8', { quantization: 'fp8', latencyP50Ms: 380, throughputP50: 95 }),
    ],
  },
];

/** A price string as a number (prices here are always valid decimal strings). */
export function price(model: CatalogModel, field: 'prompt' | 'completion'): number {
  return Number(model.pricing[field]);
}
