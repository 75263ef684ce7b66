import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { chatCalls, clientConstructions } from './chat-calls';
import { codeFileOf } from './code-file';
import { capEvidence, indexFile } from './options-evidence';
import type { RepoFacts } from './repo-facts';
import { findingAt, type ScanRule } from './rule';

/** The note every report prints next to these findings. */
export const MISSING_MAX_TOKENS_NOTE =
  'missing-max-tokens is a heuristic: call sites are found by name and their arguments read as text, not parsed; review each finding.';

const MESSAGE =
  'chat-completion call sets no max_tokens (heuristic): without it OpenRouter\'s credit pre-check reserves the model\'s full default output, so a low balance fails with 402 "can only afford N" even for a tiny prompt; set max_tokens (or max_completion_tokens / maxTokens)';

const LANGCHAIN_MESSAGE =
  'LangChain chat model aimed at OpenRouter sets no max_tokens (heuristic): every call it makes reserves the model\'s full default output in OpenRouter\'s credit pre-check, so a low balance fails with 402 "can only afford N"; pass max_tokens= (Python) or maxTokens: (JS)';

/**
 * Chat completions in JS/TS, Python and notebook code cells that set no output cap: SDK methods
 * named like a chat completion (`chat.completions.create`, `chat.send`, `ChatCompletion.create`,
 * LiteLLM's `completion`), HTTP calls (`fetch`, `axios.post`, `requests.post`…) to a
 * `/chat/completions` URL (literal, a variable in scope, or a constant imported from another
 * module), and LangChain `ChatOpenAI` models pointed at OpenRouter.
 */
export const missingMaxTokensRule: ScanRule = {
  id: 'missing-max-tokens',
  heuristic: true,
  suppressible: true,
  severity: 'warn',
  summary: 'A chat completion (SDK, HTTP or LangChain model at OpenRouter) that sets no max_tokens.',
  check(source: SourceFile, facts?: RepoFacts): Finding[] {
    const code = codeFileOf(source);
    if (code === undefined) return [];
    const { file, syntax } = code;
    const findings: Finding[] = [];
    const calls = chatCalls(code);
    const clients = clientConstructions(code);
    if (calls.length === 0 && clients.length === 0) return [];
    const index = indexFile(file);
    for (const call of calls) {
      if (capEvidence(file, syntax, index, call.args.code, call.optionParts, call.site.start) !== 'absent')
        continue;
      const finding = findingAt(file, call.site.start, missingMaxTokensRule, MESSAGE);
      if (call.pendingOn.length === 0) findings.push(finding);
      else {
        const [placed = finding] = code.place([finding]);
        facts?.pending.push({ finding: placed, names: call.pendingOn, needs: 'chat', suppressed: false });
      }
    }
    for (const client of clients) {
      if (client.kind !== 'langchain' || !client.atOpenRouter) continue;
      const evidence = capEvidence(file, syntax, index, client.args.code, client.args.parts, client.start);
      if (evidence !== 'absent' || boundLater(file, client.start)) continue;
      findings.push(findingAt(file, client.start, missingMaxTokensRule, LANGCHAIN_MESSAGE));
    }
    return code.place(findings);
  },
};

/** `llm = ChatOpenAI(…)` followed by `llm.bind(max_tokens=…)` / `.bind({ maxTokens })`. */
function boundLater(file: SourceFile, start: number): boolean {
  const assigned = /([A-Za-z_$][\w$.]*)\s*(?::[^=\n]*)?=\s*(?:new\s+)?$/.exec(file.linePrefix(start))?.[1];
  if (assigned === undefined) return false;
  const name = assigned.replace(/[.$]/g, (c) => `\\${c}`);
  return new RegExp(
    `${name}\\s*\\.\\s*(?:bind|with_config|withConfig)\\s*\\([^)]*(?:max_tokens|maxTokens)`,
  ).test(file.text);
}
