import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { readBalanced, type Syntax } from './balanced';
import { findCallSites } from './call-sites';
import { capEvidence, indexFile, targetsChatCompletions } from './options-evidence';
import { findingAt, type ScanRule } from './rule';

const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.tsx', '.jsx', '.mts', '.cts']);

/** The note every report prints next to these findings. */
export const MISSING_MAX_TOKENS_NOTE =
  'missing-max-tokens is a heuristic: call sites are found by name and their arguments read as text, not parsed; review each finding.';

const MESSAGE =
  'chat-completion call sets no max_tokens (heuristic): without it OpenRouter\'s credit pre-check reserves the model\'s full default output, so a low balance fails with 402 "can only afford N" even for a tiny prompt; set max_tokens (or max_completion_tokens / maxTokens)';

function syntaxOf(file: SourceFile): Syntax | undefined {
  const name = file.baseName.toLowerCase();
  // Declarations hold no calls, and minified bundles are someone else's code.
  if (/\.d\.[mc]?ts$/.test(name) || /\.min\.[mc]?js$/.test(name)) return undefined;
  if (JS_EXTENSIONS.has(file.extension)) return 'js';
  if (file.extension === '.py') return 'python';
  return undefined;
}

/**
 * Chat-completion calls in JS/TS and Python that set no output cap. Call sites: SDK methods named
 * like a chat completion (`chat.completions.create`, `chat.send`, `ChatCompletion.create`,
 * LiteLLM's `completion`), or an HTTP call (`fetch`, `axios.post`, `requests.post`…) whose
 * arguments name a `/chat/completions` URL.
 */
export const missingMaxTokensRule: ScanRule = {
  id: 'missing-max-tokens',
  heuristic: true,
  suppressible: true,
  check(file: SourceFile): Finding[] {
    const syntax = syntaxOf(file);
    if (syntax === undefined) return [];
    const lower = file.lowerText;
    if (!lower.includes('completion') && !lower.includes('chat.send')) return [];
    const sites = findCallSites(file, syntax);
    if (sites.length === 0) return [];
    const index = indexFile(file);
    const findings: Finding[] = [];
    for (const site of sites) {
      const args = readBalanced(file.text, site.openParen, syntax);
      if (site.kind === 'http' && !targetsChatCompletions(args.code, index)) continue;
      if (capEvidence(file, syntax, index, args.code, args.parts, site.start) !== 'absent') continue;
      findings.push(findingAt(file, site.start, missingMaxTokensRule, MESSAGE));
    }
    return findings;
  },
};
