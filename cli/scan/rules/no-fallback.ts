import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { chatCalls, clientConstructions } from './chat-calls';
import { codeFileOf, isTestFile, MENTIONS_OPENROUTER } from './code-file';
import { type Field, fieldEvidence, indexFile } from './options-evidence';
import type { RepoFacts } from './repo-facts';
import { findingAt, type ScanRule } from './rule';

/** OpenRouter's fallback list (`models`), LiteLLM's `fallbacks`, and provider routing fallbacks. */
const FALLBACK_FIELD: Field = { names: 'models|fallbacks|fallback_models|fallbackModels|allow_fallbacks' };
const MODEL_FIELD: Field = { names: 'model|modelName|model_name' };
/** The auto router picks (and falls back between) models itself. */
const AUTO_ROUTER = 'openrouter/auto';
/** A model id in OpenRouter's `vendor/model` form: the call goes through OpenRouter. */
const ROUTED_MODEL = /(?:model|modelName|model_name)\s*[:=]\s*["'`][\w.-]+\/[\w.:-]+["'`]/;

const MESSAGE =
  'chat call names one model and no fallbacks: when that model\'s providers are down or rate-limited the request fails; OpenRouter tries the next model of a `models` list (extra_body={"models": [...]} with the OpenAI SDKs)';

/**
 * Info: chat calls at OpenRouter that name one model and no `models` fallback list. At OpenRouter
 * means the file mentions OpenRouter or the model id has OpenRouter's `vendor/model` form.
 */
export const noFallbackRule: ScanRule = {
  id: 'no-fallback',
  heuristic: true,
  suppressible: true,
  severity: 'info',
  summary: 'A chat call at OpenRouter with one model and no `models` fallback list.',
  check(source: SourceFile, facts?: RepoFacts): Finding[] {
    if (isTestFile(source)) return [];
    const code = codeFileOf(source);
    if (code === undefined) return [];
    const { file, syntax } = code;
    if (file.text.includes(AUTO_ROUTER)) return [];
    const candidates = [
      ...chatCalls(code).map((call) => ({
        start: call.site.start,
        args: call.args,
        parts: call.optionParts,
        pendingOn: call.pendingOn,
      })),
      ...clientConstructions(code)
        .filter((client) => client.kind === 'langchain' && client.atOpenRouter)
        .map((client) => ({
          start: client.start,
          args: client.args,
          parts: client.args.parts,
          pendingOn: [],
        })),
    ];
    if (candidates.length === 0) return [];
    const index = indexFile(file);
    const fileAtOpenRouter = MENTIONS_OPENROUTER.test(file.text);
    const findings: Finding[] = [];
    for (const { start, args, parts, pendingOn } of candidates) {
      if (!fileAtOpenRouter && !ROUTED_MODEL.test(args.code)) continue;
      if (fieldEvidence(file, syntax, index, MODEL_FIELD, args.code, parts, start) !== 'present') continue;
      if (fieldEvidence(file, syntax, index, FALLBACK_FIELD, args.code, parts, start) !== 'absent') continue;
      const finding = findingAt(file, start, noFallbackRule, MESSAGE);
      if (pendingOn.length === 0) findings.push(finding);
      else {
        const [placed = finding] = code.place([finding]);
        facts?.pending.push({ finding: placed, names: pendingOn, needs: 'chat', suppressed: false });
      }
    }
    return code.place(findings.sort((a, b) => a.line - b.line));
  },
};
