import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { codeFileOf, isTestFile } from './code-file';
import { codeView, isInert } from './lexer';
import { findingAt, type ScanRule } from './rule';

/** `max_retries=0`, `maxRetries: 0`, and the OpenRouter SDK's `retryConfig: { strategy: 'none' }`. */
const RETRIES_OFF =
  /(?<![\w$])(?:max_retries|maxRetries)\s*[:=]\s*0(?![\w.])|strategy\s*[:=]\s*["']none["']/g;
/** Only where an OpenAI-compatible client (or the OpenRouter SDK, or LangChain) is configured. */
const CLIENT_CONTEXT = /OpenAI|OpenRouter|ChatOpenAI|with_options|withOptions|retryConfig/;
const CONTEXT_LINES = 8;

const MESSAGE =
  "retries turned off on the OpenRouter client: a single 429 or 5xx (rate limits, a provider's hiccup) then fails the request outright; keep the SDK's retries with backoff (the default, 2 for the OpenAI SDKs) or set a small number";

/** Clients configured with no retries. Test files are left out: tests turn retries off on purpose. */
export const clientRetriesRule: ScanRule = {
  id: 'client-retries',
  heuristic: false,
  suppressible: true,
  severity: 'warn',
  summary:
    'An OpenAI-compatible or OpenRouter client with retries turned off (max_retries=0, maxRetries: 0).',
  check(source: SourceFile): Finding[] {
    // Plain substring tests first: they are what almost every file stops at.
    if (!source.text.includes('etries') && !source.text.includes('strategy')) return [];
    if (isTestFile(source)) return [];
    const code = codeFileOf(source);
    if (code === undefined) return [];
    const { file, syntax } = code;
    if (!CLIENT_CONTEXT.test(file.text)) return [];
    const view = codeView(file, syntax);
    const findings: Finding[] = [];
    for (const match of file.text.matchAll(RETRIES_OFF)) {
      if (isInert(view, match.index)) continue;
      const { line } = file.position(match.index);
      let context = '';
      for (let l = Math.max(1, line - CONTEXT_LINES); l <= line; l += 1) context += `${file.lineText(l)}\n`;
      if (!CLIENT_CONTEXT.test(context)) continue;
      findings.push(findingAt(file, match.index, clientRetriesRule, MESSAGE));
    }
    return code.place(findings);
  },
};
