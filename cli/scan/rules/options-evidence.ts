import type { SourceFile } from '../source-file';
import { readBalanced, type Syntax } from './balanced';
import { visibleDefinition } from './scope';

/** The request fields that cap a completion's output, in every spelling the SDKs and the API use. */
export const MAX_TOKEN_NAMES = [
  'max_tokens',
  'max_completion_tokens',
  'maxTokens',
  'maxCompletionTokens',
  'max_output_tokens',
  'maxOutputTokens',
] as const;
const MAX_TOKENS_SOURCE = MAX_TOKEN_NAMES.join('|');

/** A request field the evidence search looks for: its names as one regex alternation. */
export interface Field {
  /** Word-bounded alternation, e.g. `max_tokens|maxTokens`. */
  readonly names: string;
}

export const MAX_TOKENS_FIELD: Field = { names: MAX_TOKENS_SOURCE };

const IDENT = '[A-Za-z_$][\\w$]*';
/** `name = {`, `name: Type = [`, `name = dict(`: a literal the call may take its options from. */
const LITERAL_DEFINITION = new RegExp(
  `(?<![\\w$.])(${IDENT})\\s*(?::[^=\\n]{0,120})?=(?![=>])\\s*(?:\\{|\\[|dict\\s*\\()`,
  'g',
);
/**
 * `name = other.copy()`, `copy.deepcopy(other)`, `dict(other)`, `structuredClone(other)`,
 * `Object.assign({}, other)`, `json.dumps(other)`, `JSON.stringify(other)`: a copy or a serialised
 * form of another variable, whose fields are the other's.
 */
const ALIAS_DEFINITION = new RegExp(
  `(?<![\\w$.])(${IDENT})\\s*(?::[^=\\n]{0,120})?=(?![=>])\\s*(?:` +
    `(${IDENT})\\s*\\.\\s*copy\\s*\\(\\s*\\)` +
    `|(?:copy\\s*\\.\\s*(?:deep)?copy|dict|structuredClone|(?:_|lodash)\\s*\\.\\s*clone(?:Deep)?|json\\s*\\.\\s*dumps|JSON\\s*\\.\\s*stringify)\\s*\\(\\s*(${IDENT})\\s*[,)]` +
    `|Object\\s*\\.\\s*assign\\s*\\(\\s*\\{\\s*\\}\\s*,\\s*(${IDENT})\\s*[,)]` +
    `|JSON\\s*\\.\\s*parse\\s*\\(\\s*JSON\\s*\\.\\s*stringify\\s*\\(\\s*(${IDENT})\\s*\\)` +
    ')',
  'g',
);

/** Any plain assignment (or object property) `name = …` / `name: …`: what a URL name holds. */
const ANY_DEFINITION = new RegExp(
  `(?<![\\w$.])((?:self|this|cls)\\s*\\.\\s*)?(${IDENT})\\s*(?::[^=\\n'"\`]{0,120})?[:=](?![=>:])`,
  'g',
);

/**
 * `name = '…/chat/completions'`, `name: "…/chat/completions"`, `self.name = …`: names that may hold
 * the endpoint URL.
 */
const URL_DEFINITION = new RegExp(
  `(?<![\\w$.])(?:(?:self|this|cls)\\s*\\.\\s*)?(${IDENT})\\s*(?::[^=\\n'"\`]{0,120})?[:=](?![=>])[^\\n;]*chat/completions`,
  'g',
);
/** Same for any OpenRouter URL, the names a client's base URL or an HTTP call may come from. */
const OPENROUTER_URL_DEFINITION = new RegExp(
  `(?<![\\w$.])(?:(?:self|this|cls)\\s*\\.\\s*)?(${IDENT})\\s*(?::[^=\\n'"\`]{0,120})?[:=](?![=>])[^\\n;]*openrouter\\.ai`,
  'gi',
);

/** Where, in the arguments, a call takes its options from a variable. */
const FORWARDS = [
  new RegExp(`\\.\\.\\.\\s*(${IDENT})`, 'g'),
  new RegExp(`\\*\\*\\s*(${IDENT})`, 'g'),
  new RegExp(`(?:JSON\\.stringify|json\\.dumps)\\s*\\(\\s*(${IDENT})`, 'g'),
  new RegExp(
    `(?<![\\w$.])(?:body|data|json|content|params|payload|extra_body|model_kwargs)\\s*[:=]\\s*(${IDENT})\\s*(?=[,})\\n]|$)`,
    'g',
  ),
  // Shorthand properties: `fetch(url, { method: 'POST', body })`.
  /(?<![\w$.:'"])(body|data|json|payload)\s*(?=[,}])/g,
];
const BARE_REFERENCE = new RegExp(`^(${IDENT})(?:\\s*\\??\\.\\s*${IDENT})*$`);

interface Alias {
  readonly at: number;
  readonly target: string;
}

/** Per-file lookup tables, built once for all the call sites of a file. */
export interface FileIndex {
  /** Offsets of the opening bracket of each literal assigned to a name. */
  readonly definitions: ReadonlyMap<string, readonly number[]>;
  /** Copies: `payload = base.copy()` makes `payload` hold what `base` holds. */
  readonly aliases: ReadonlyMap<string, readonly Alias[]>;
  /** Names that hold a `/chat/completions` URL somewhere in the file. */
  readonly urlNames: ReadonlySet<string>;
  /** Names that hold an OpenRouter URL somewhere in the file. */
  readonly openrouterUrlNames: ReadonlySet<string>;
  /** Every definition of every name: offsets of the name, for scope-aware lookups. */
  readonly anyDefinitions: ReadonlyMap<string, readonly number[]>;
  /** Definitions of attributes (`self.url = …`, `this.url = …`), visible in the whole file. */
  readonly attributeDefinitions: ReadonlyMap<string, readonly number[]>;
  /** Where each name gets fields set after its definition (`name["max_tokens"] = …`), per field. */
  propertySets(field: Field): ReadonlySet<string>;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

const indexes = new WeakMap<SourceFile, FileIndex>();

export function indexFile(file: SourceFile): FileIndex {
  const cached = indexes.get(file);
  if (cached !== undefined) return cached;
  const text = file.text;
  // Literals and copies are looked up only when a call forwards its options: built on first use.
  let definitions: Map<string, number[]> | undefined;
  let aliases: Map<string, Alias[]> | undefined;
  const literalDefinitions = (): Map<string, number[]> => {
    if (definitions === undefined) {
      definitions = new Map();
      for (const match of text.matchAll(LITERAL_DEFINITION)) {
        push(definitions, match[1] ?? '', match.index + match[0].length - 1);
      }
    }
    return definitions;
  };
  const copies = (): Map<string, Alias[]> => {
    if (aliases === undefined) {
      aliases = new Map();
      // Each pattern runs only when its anchor word is in the file: most files have none, and pay nothing.
      if (/copy|dict|structuredClone|assign|dumps|stringify|clone/.test(text)) {
        for (const match of text.matchAll(ALIAS_DEFINITION)) {
          const target = match[2] ?? match[3] ?? match[4] ?? match[5];
          if (target !== undefined) push(aliases, match[1] ?? '', { at: match.index, target });
        }
      }
    }
    return aliases;
  };
  const urlNames = text.includes('chat/completions')
    ? new Set(Array.from(text.matchAll(URL_DEFINITION), (m) => m[1] ?? ''))
    : new Set<string>();
  const openrouterUrlNames = /openrouter\.ai/i.test(text)
    ? new Set(Array.from(text.matchAll(OPENROUTER_URL_DEFINITION), (m) => m[1] ?? ''))
    : new Set<string>();
  const anyDefinitions = new Map<string, number[]>();
  const attributeDefinitions = new Map<string, number[]>();
  const wanted = new Set([...urlNames, ...openrouterUrlNames]);
  if (wanted.size > 0) {
    for (const match of text.matchAll(ANY_DEFINITION)) {
      const name = match[2] ?? '';
      if (!wanted.has(name)) continue;
      // An attribute (`self.url = …`) is read from every method of its class: no scope of its own.
      if (match[1] !== undefined) push(attributeDefinitions, name, match.index);
      else push(anyDefinitions, name, match.index);
    }
  }
  const propertyCache = new Map<string, ReadonlySet<string>>();
  const index: FileIndex = {
    get definitions() {
      return literalDefinitions();
    },
    get aliases() {
      return copies();
    },
    urlNames,
    openrouterUrlNames,
    anyDefinitions,
    attributeDefinitions,
    propertySets(field: Field): ReadonlySet<string> {
      let found = propertyCache.get(field.names);
      if (found === undefined) {
        const pattern = new RegExp(
          `(?<![\\w$.])(${IDENT})\\s*(?:\\??\\.\\s*|\\[\\s*['"\`]|\\.\\s*(?:update|setdefault)\\s*\\([^)]{0,200}?)(?:${field.names})(?![\\w$])`,
          'g',
        );
        found = new Set(Array.from(text.matchAll(pattern), (m) => m[1] ?? ''));
        propertyCache.set(field.names, found);
      }
      return found;
    },
  };
  indexes.set(file, index);
  return index;
}

function mentionsName(code: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(code);
}

/** The text a definition at `at` assigns: the rest of its line, or of its bracketed value. */
function definedValue(file: SourceFile, at: number): string {
  const end = file.text.indexOf('\n', at);
  return file.text.slice(at, end === -1 ? file.text.length : end);
}

/**
 * True when the arguments name the `/chat/completions` endpoint, literally or through a variable
 * whose definition visible from the call (not one in another function) holds it.
 */
export function targetsChatCompletions(
  code: string,
  index: FileIndex,
  file?: SourceFile,
  syntax?: Syntax,
  offset?: number,
): boolean {
  if (code.includes('chat/completions')) return true;
  return resolvesTo(code, index.urlNames, index, /chat\/completions/, file, syntax, offset);
}

/** True when the arguments name an OpenRouter URL, literally or through a visible variable. */
export function targetsOpenRouter(
  code: string,
  index: FileIndex,
  file: SourceFile,
  syntax: Syntax,
  offset: number,
): boolean {
  if (/openrouter\.ai/i.test(code)) return true;
  return resolvesTo(code, index.openrouterUrlNames, index, /openrouter\.ai/i, file, syntax, offset);
}

function resolvesTo(
  code: string,
  names: ReadonlySet<string>,
  index: FileIndex,
  holds: RegExp,
  file: SourceFile | undefined,
  syntax: Syntax | undefined,
  offset: number | undefined,
): boolean {
  for (const name of names) {
    if (!mentionsName(code, name)) continue;
    if (file === undefined || syntax === undefined || offset === undefined) return true;
    const attribute = new RegExp(`(?:self|this|cls)\\s*\\.\\s*${name.replace(/\$/g, '\\$')}(?![\\w$])`);
    if (attribute.test(code)) {
      const attributes = index.attributeDefinitions.get(name) ?? [];
      if (attributes.some((at) => holds.test(definedValue(file, at)))) return true;
      continue;
    }
    const at = visibleDefinition(file, syntax, index.anyDefinitions.get(name) ?? [], offset);
    if (at !== undefined && holds.test(definedValue(file, at))) return true;
  }
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
  for (const name of index.openrouterUrlNames) names.delete(name);
  // `self.url`, `this.options`: the object itself is not where a call's options come from.
  for (const name of ['', 'self', 'this', 'cls']) names.delete(name);
  return names;
}

/** What a call's arguments say about a request field. */
export type Evidence = 'present' | 'absent' | 'unknown';

const MAX_NAMES_PER_LEVEL = 10;
const MAX_DEPTH = 3;

/**
 * Looks for a field in the arguments and, a few levels deep, in the literals (and copies of
 * literals) the arguments take their options from. `unknown` when options come from a variable
 * this file does not define (a function parameter, an import): rules then stay silent rather than guess.
 */
export function fieldEvidence(
  file: SourceFile,
  syntax: Syntax,
  index: FileIndex,
  field: Field,
  code: string,
  parts: readonly string[],
  offset: number,
  depth = 0,
): Evidence {
  const present = new RegExp(`(?<![\\w$])(?:${field.names})(?![\\w$])`);
  if (present.test(code)) return 'present';
  let unresolved = false;
  const queue = [...forwardedNames(code, parts, index)].slice(0, MAX_NAMES_PER_LEVEL);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const name = queue.shift() ?? '';
    if (seen.has(name)) continue;
    seen.add(name);
    if (index.propertySets(field).has(name)) return 'present';
    const literals = index.definitions.get(name) ?? [];
    const copies = index.aliases.get(name) ?? [];
    const candidates = [...literals, ...copies.map((c) => c.at)];
    const at = candidates.length === 0 ? undefined : visibleDefinition(file, syntax, candidates, offset);
    if (at === undefined || depth >= MAX_DEPTH) {
      unresolved = true;
      continue;
    }
    const copy = copies.find((c) => c.at === at);
    if (copy !== undefined) {
      // A copy holds what its source holds: follow it at the same level.
      if (seen.size < MAX_NAMES_PER_LEVEL * 2) queue.push(copy.target);
      continue;
    }
    const literal = readBalanced(file.text, at, syntax);
    const nested = fieldEvidence(file, syntax, index, field, literal.code, [], at, depth + 1);
    if (nested === 'present') return 'present';
    if (nested === 'unknown') unresolved = true;
  }
  return unresolved ? 'unknown' : 'absent';
}

/** The max-token evidence of a call (kept under its old name for the rule and its tests). */
export function capEvidence(
  file: SourceFile,
  syntax: Syntax,
  index: FileIndex,
  code: string,
  parts: readonly string[],
  offset: number,
): Evidence {
  return fieldEvidence(file, syntax, index, MAX_TOKENS_FIELD, code, parts, offset);
}

export type CapEvidence = Evidence;
