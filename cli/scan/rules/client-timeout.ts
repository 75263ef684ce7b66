import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { readBalanced } from './balanced';
import { chatCalls, clientConstructions, unresolvedImports } from './chat-calls';
import { codeFileOf, isTestFile, MENTIONS_OPENROUTER } from './code-file';
import { codeView, isInert } from './lexer';
import { type Field, fieldEvidence, indexFile, targetsOpenRouter } from './options-evidence';
import type { RepoFacts } from './repo-facts';
import { findingAt, type ScanRule } from './rule';

/** Options that bound a request's time, or hand the transport to code that may (a custom client). */
const TIMEOUT_FIELD: Field = {
  names:
    'timeout|timeoutMs|timeout_ms|request_timeout|requestTimeout|http_client|httpClient|httpAgent|fetchOptions|signal|abortSignal',
};

/**
 * HTTP clients with no timeout unless given one: `requests`, `axios`, `fetch`, `got`, `urlopen`,
 * `ofetch`. Not listed: httpx (5 s default), aiohttp (5 min), ky (10 s): they time out on their own.
 */
const HTTP_CALL =
  /(?<![\w$.])(?:requests\s*\.\s*(?:post|get|request)|axios(?:\s*\.\s*(?:post|get|request))?|fetch|got(?:\s*\.\s*(?:post|get))?|urllib\s*\.\s*request\s*\.\s*urlopen|urlopen|\$fetch|ofetch)\s*\(/g;

const CLIENT_MESSAGE =
  'OpenRouter client without a timeout: a provider that stalls holds the request (and your user) for the SDK default — 10 minutes for the OpenAI SDKs, none for the OpenRouter SDK and LangChain; set timeout= (Python) / timeout: (JS) / timeoutMs to what your caller can wait';
const HTTP_MESSAGE =
  'HTTP call to OpenRouter without a timeout: requests, fetch and axios wait forever (or minutes) on a stalled provider; pass timeout= (requests), signal: AbortSignal.timeout(ms) (fetch) or timeout: (axios)';

/**
 * OpenAI-compatible clients (OpenAI, AsyncOpenAI, the OpenRouter SDK, LangChain ChatOpenAI) aimed
 * at OpenRouter, and HTTP calls to OpenRouter, that set no timeout. Test files are left out: a
 * test's client never serves a user.
 */
export const clientTimeoutRule: ScanRule = {
  id: 'client-timeout',
  heuristic: true,
  suppressible: true,
  severity: 'warn',
  summary: 'An OpenAI-compatible client or an HTTP call aimed at OpenRouter with no timeout.',
  check(source: SourceFile, facts?: RepoFacts): Finding[] {
    if (isTestFile(source)) return [];
    const code = codeFileOf(source);
    if (code === undefined) return [];
    const { file, syntax } = code;
    if (!/openrouter|openai/i.test(file.text)) return [];
    const index = indexFile(file);
    const findings: Finding[] = [];
    // Per-request timeouts (`create(..., timeout=30)`, `with_options(timeout=…)`) make the client's own moot.
    const perRequest =
      /\b(?:with_options|withOptions)\s*\([^)]*timeout/.test(file.text) ||
      chatCalls(code).some((call) => /\b(?:timeout|timeoutMs|signal)\b/.test(call.args.code));
    if (!perRequest) {
      for (const client of clientConstructions(code)) {
        if (!client.atOpenRouter && client.pendingOn.length === 0) continue;
        const evidence = fieldEvidence(
          file,
          syntax,
          index,
          TIMEOUT_FIELD,
          client.args.code,
          client.args.parts,
          client.start,
        );
        if (evidence !== 'absent') continue;
        const finding = findingAt(file, client.start, clientTimeoutRule, CLIENT_MESSAGE);
        if (client.atOpenRouter) findings.push(finding);
        else {
          const [placed = finding] = code.place([finding]);
          facts?.pending.push({
            finding: placed,
            names: client.pendingOn,
            needs: 'openrouter',
            suppressed: false,
          });
        }
      }
    }
    const view = () => codeView(file, syntax);
    const mentionsOpenRouter = MENTIONS_OPENROUTER.test(file.text);
    const text = file.text;
    const httpCalls =
      text.includes('fetch') ||
      text.includes('requests') ||
      text.includes('axios') ||
      text.includes('got') ||
      text.includes('urlopen')
        ? text.matchAll(HTTP_CALL)
        : [];
    for (const match of httpCalls) {
      const args = readBalanced(file.text, match.index + match[0].length - 1, syntax);
      // Cheap test first: most HTTP calls in a codebase are not aimed at OpenRouter.
      if (
        !mentionsOpenRouter &&
        !/chat\/completions|openrouter/i.test(args.code) &&
        index.urlNames.size === 0
      )
        continue;
      if (isInert(view(), match.index)) continue;
      if (/\b(?:def|function)\s+$/.test(file.linePrefix(match.index))) continue;
      const chat = chatCalls(code).find((call) => call.site.start === match.index);
      const atOpenRouter =
        targetsOpenRouter(args.code, index, file, syntax, match.index) ||
        (mentionsOpenRouter && chat !== undefined && chat.pendingOn.length === 0);
      // The URL may be a constant imported from a module that holds an OpenRouter URL.
      const pendingOn = atOpenRouter ? [] : unresolvedImports(args.code, code, index);
      if (!atOpenRouter && pendingOn.length === 0) continue;
      // Options follow the URL; axios.post's second argument is the body, which holds none.
      const optionParts = args.parts.slice(/^axios\s*\.\s*post/.test(match[0]) ? 2 : 1);
      const options = optionParts.join(', ');
      if (fieldEvidence(file, syntax, index, TIMEOUT_FIELD, options, optionParts, match.index) !== 'absent')
        continue;
      const finding = findingAt(file, match.index, clientTimeoutRule, HTTP_MESSAGE);
      if (pendingOn.length === 0) findings.push(finding);
      else {
        const [placed = finding] = code.place([finding]);
        facts?.pending.push({ finding: placed, names: pendingOn, needs: 'openrouter', suppressed: false });
      }
    }
    return code.place(findings);
  },
};
