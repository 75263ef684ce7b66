import type { SourceFile } from '../source-file';
import type { Syntax } from './balanced';
import { codeView, isInert } from './lexer';

/** How a chat-completion request is made at a call site. */
export type CallKind =
  /** An SDK method that is a chat completion by its name (`chat.completions.create`, `chat.send`…). */
  | 'sdk'
  /** A generic HTTP call (`fetch`, `axios.post`, `requests.post`…): one only if its URL is `/chat/completions`. */
  | 'http'
  /** The Vercel AI SDK's `generateText` / `streamText` / `generateObject` / `streamObject`: one only with an OpenRouter model. */
  | 'ai-sdk';

export interface CallSite {
  readonly kind: CallKind;
  /** Offset of the callee's first character (where the finding points). */
  readonly start: number;
  /** Offset of the call's opening parenthesis. */
  readonly openParen: number;
}

/**
 * A callee (dotted name, optional chaining allowed, line breaks between links allowed) followed by
 * `(`. A leading `.` catches chains on a call result: `(await client()).chat.completions.create(`.
 */
const CALL = /(?<![\w$])(?:\??\.\s*)?[A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)*\s*\(/g;

/** Links that sit between a client and its method without changing what is called. */
const PASS_THROUGH = new Set(['with_raw_response', 'withRawResponse', 'with_streaming_response', 'beta']);
const COMPLETION_METHODS = new Set(['create', 'stream', 'parse']);
const FETCH_LIKE = new Set(['fetch', '$fetch', 'ofetch', 'axios', 'got', 'ky', 'urlopen', 'Request']);
const HTTP_METHODS = new Set(['post', 'request', 'Request']);
const AI_SDK_CALLS = new Set(['generateText', 'streamText', 'generateObject', 'streamObject']);

function classify(links: readonly string[], syntax: Syntax): CallKind | undefined {
  const [last = '', prev = '', prev2 = ''] = [...links].reverse();
  if (prev2 === 'chat' && prev === 'completions' && COMPLETION_METHODS.has(last)) return 'sdk';
  if (prev === 'chat' && last === 'send') return 'sdk';
  if (prev === 'ChatCompletion' && (last === 'create' || last === 'acreate')) return 'sdk';
  if (last === 'createChatCompletion') return 'sdk';
  // LiteLLM's `completion(...)` / `litellm.completion(...)`: a Python idiom; in JS the bare name is
  // too common to mean a chat completion.
  if (syntax === 'python' && (last === 'completion' || last === 'acompletion')) {
    if (links.length === 1 || (links.length === 2 && prev === 'litellm')) return 'sdk';
  }
  if (syntax === 'js' && links.length === 1 && AI_SDK_CALLS.has(last)) return 'ai-sdk';
  if (links.length === 1 && FETCH_LIKE.has(last)) return 'http';
  if (links.length >= 2 && HTTP_METHODS.has(last)) return 'http';
  return undefined;
}

/**
 * A call that is really text (in a string or a comment: `describe('chat.send() - streaming', …)`),
 * or the definition of a function of that name.
 */
function isNotACall(file: SourceFile, start: number, syntax: Syntax): boolean {
  if (isInert(codeView(file, syntax), start)) return true;
  const prefix = file.linePrefix(start);
  const lead = prefix.trimStart();
  if (lead.startsWith('//') || lead.startsWith('/*') || lead.startsWith('*')) return true;
  if (syntax === 'python' && lead.startsWith('#')) return true;
  return /\b(?:def|function)\s+$/.test(prefix);
}

/** Every call in the file that may send a chat completion. */
export function findCallSites(file: SourceFile, syntax: Syntax): CallSite[] {
  const sites: CallSite[] = [];
  for (const match of file.text.matchAll(CALL)) {
    const callee = match[0];
    // A leading `.` means a receiver expression precedes the callee: keep a stand-in link for it.
    const links = callee
      .slice(0, -1)
      .replace(/[\s?]/g, '')
      .split('.')
      .map((link) => (link === '' ? '<expression>' : link))
      .filter((link) => !PASS_THROUGH.has(link));
    const kind = classify(links, syntax);
    if (kind === undefined) continue;
    const start = match.index + (callee.length - callee.replace(/^[?.\s]+/, '').length);
    if (isNotACall(file, start, syntax)) continue;
    sites.push({ kind, start, openParen: match.index + callee.length - 1 });
  }
  return sites;
}
