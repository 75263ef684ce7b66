import type { SourceFile } from '../source-file';
import { readBalanced, type Syntax } from './balanced';

/** The request fields that cap a completion's output, in every spelling the SDKs and the API use. */
export const MAX_TOKEN_NAMES = [
  'max_tokens',
  'max_completion_tokens',
  'maxTokens',
  'maxCompletionTokens',
] as const;
const MAX_TOKENS = new RegExp(`(?<![\\w$])(?:${MAX_TOKEN_NAMES.join('|')})(?![\\w$])`);
const MAX_TOKENS_SOURCE = MAX_TOKEN_NAMES.join('|');

const IDENT = '[A-Za-z_$][\\w$]*';
/** `name = {`, `name: Type = [`, `name = dict(`: a literal the call may take its options from. */
const LITERAL_DEFINITION = new RegExp(
  `(?<![\\w$.])(${IDENT})\\s*(?::[^=\\n]{0,120})?=(?![=>])\\s*(?:\\{|\\[|dict\\s*\\()`,
  'g',
);
/** `name.max_tokens = …`, `name["max_tokens"] = …`, `name.update(max_tokens=…)`. */
const PROPERTY_SET = new RegExp(
  `(?<![\\w$.])(${IDENT})\\s*(?:\\??\\.\\s*|\\[\\s*['"\`]|\\.\\s*update\\s*\\([^)]{0,200}?)(?:${MAX_TOKENS_SOURCE})(?![\\w$])`,
  'g',
);
/** `name = '…/chat/completions'` or `name: "…/chat/completions"`: names that hold the endpoint URL. */
const URL_DEFINITION = new RegExp(
  `(?<![\\w$.])(${IDENT})\\s*(?::[^=\\n'"\`]{0,120})?[:=](?![=>])[^\\n;]*chat/completions`,
  'g',
);

/** Where, in the arguments, a call takes its options from a variable. */
const FORWARDS = [
  new RegExp(`\\.\\.\\.\\s*(${IDENT})`, 'g'),
  new RegExp(`\\*\\*\\s*(${IDENT})`, 'g'),
  new RegExp(`(?:JSON\\.stringify|json\\.dumps)\\s*\\(\\s*(${IDENT})`, 'g'),
  new RegExp(
    `(?<![\\w$.])(?:body|data|json|content|params|payload)\\s*[:=]\\s*(${IDENT})\\s*(?=[,})\\n]|$)`,
    'g',
  ),
  // Shorthand properties: `fetch(url, { method: 'POST', body })`.
  /(?<![\w$.:'"])(body|data|json|payload)\s*(?=[,}])/g,
];
const BARE_REFERENCE = new RegExp(`^(${IDENT})(?:\\s*\\??\\.\\s*${IDENT})*$`);

/** Per-file lookup tables, built once for all the call sites of a file. */
export interface FileIndex {
  /** Offsets of the opening bracket of each literal assigned to a name. */
  readonly definitions: ReadonlyMap<string, readonly number[]>;
  /** Names that get a max-token field set after their definition. */
  readonly propertySets: ReadonlySet<string>;
  /** Names that hold a `/chat/completions` URL. */
  readonly urlNames: ReadonlySet<string>;
}

export function indexFile(file: SourceFile): FileIndex {
  const definitions = new Map<string, number[]>();
  for (const match of file.text.matchAll(LITERAL_DEFINITION)) {
    const name = match[1] ?? '';
    const offsets = definitions.get(name) ?? [];
    offsets.push(match.index + match[0].length - 1);
    definitions.set(name, offsets);
  }
  const propertySets = new Set(Array.from(file.text.matchAll(PROPERTY_SET), (m) => m[1] ?? ''));
  const urlNames = new Set(Array.from(file.text.matchAll(URL_DEFINITION), (m) => m[1] ?? ''));
  return { definitions, propertySets, urlNames };
}

function mentionsName(code: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(code);
}

/** True when the arguments name the `/chat/completions` endpoint, literally or through a variable. */
export function targetsChatCompletions(code: string, index: FileIndex): boolean {
  if (code.includes('chat/completions')) return true;
  for (const name of index.urlNames) if (mentionsName(code, name)) return true;
  return false;
}

/** Names the arguments take options from: spread, `**kwargs`, JSON bodies, bare positional variables. */
function forwardedNames(code: string, parts: readonly string[], index: FileIndex): Set<string> {
  const names = new Set<string>();
  for (const pattern of FORWARDS) for (const match of code.matchAll(pattern)) names.add(match[1] ?? '');
  for (const part of parts) {
    const root = BARE_REFERENCE.exec(part)?.[1];
    if (root !== undefined) names.add(root);
  }
  // The URL variable of an HTTP call is an argument too, but not where the options come from.
  for (const name of index.urlNames) names.delete(name);
  names.delete('');
  return names;
}

/** The definition of `name` that a call at `offset` most likely sees: the last one before it. */
function definitionBefore(offsets: readonly number[], offset: number): number | undefined {
  let chosen: number | undefined;
  for (const candidate of offsets) if (candidate < offset) chosen = candidate;
  return chosen ?? offsets[0];
}

/** What a call's arguments say about a max-token cap. */
export type CapEvidence = 'present' | 'absent' | 'unknown';

const MAX_NAMES_PER_LEVEL = 10;
const MAX_DEPTH = 2;

/**
 * Looks for a max-token field in the arguments and, one or two levels deep, in the literals the
 * arguments take their options from. `unknown` when options come from a variable this file does not
 * define (a function parameter, an import): the rule then stays silent rather than guess.
 */
export function capEvidence(
  file: SourceFile,
  syntax: Syntax,
  index: FileIndex,
  code: string,
  parts: readonly string[],
  offset: number,
  depth = 0,
): CapEvidence {
  if (MAX_TOKENS.test(code)) return 'present';
  let unresolved = false;
  const names = [...forwardedNames(code, parts, index)].slice(0, MAX_NAMES_PER_LEVEL);
  for (const name of names) {
    if (index.propertySets.has(name)) return 'present';
    const offsets = index.definitions.get(name);
    const at = offsets === undefined ? undefined : definitionBefore(offsets, offset);
    if (at === undefined || depth >= MAX_DEPTH) {
      unresolved = true;
      continue;
    }
    const literal = readBalanced(file.text, at, syntax);
    const nested = capEvidence(file, syntax, index, literal.code, [], at, depth + 1);
    if (nested === 'present') return 'present';
    if (nested === 'unknown') unresolved = true;
  }
  return unresolved ? 'unknown' : 'absent';
}
