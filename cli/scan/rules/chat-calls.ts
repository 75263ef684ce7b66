import type { SourceFile } from '../source-file';
import { type BalancedText, readBalanced } from './balanced';
import { type CallSite, findCallSites } from './call-sites';
import { type CodeFile, MENTIONS_OPENROUTER } from './code-file';
import { codeView, isInert } from './lexer';
import { type FileIndex, indexFile, targetsChatCompletions, targetsOpenRouter } from './options-evidence';
import { importedNamesIn, importsOf } from './repo-facts';

/** A chat-completion request in the code: where it is, its arguments, and how sure we are it is one. */
export interface ChatCall {
  readonly site: CallSite;
  readonly args: BalancedText;
  /** The arguments that may carry request options: all of an SDK call's, an HTTP call's after its URL. */
  readonly optionParts: readonly string[];
  /**
   * Empty when the call surely is a chat completion; otherwise the imported names its URL comes
   * from, one of which must be a chat-completions URL constant of the repository.
   */
  readonly pendingOn: readonly string[];
}

const calls = new WeakMap<SourceFile, ChatCall[]>();

/** Every chat-completion call of a code file: SDK methods, and HTTP calls to `/chat/completions`. */
export function chatCalls(code: CodeFile): ChatCall[] {
  const cached = calls.get(code.file);
  if (cached !== undefined) return cached;
  const { file, syntax } = code;
  const found: ChatCall[] = [];
  // An HTTP call whose first argument is a bare name may take its URL from an imported constant.
  // Substring tests before regexes: most files stop here, and a regex scan of each costs more.
  const text = file.text;
  const mayImportUrl =
    text.includes('import') &&
    (text.includes('fetch') ||
      text.includes('post') ||
      text.includes('request') ||
      text.includes('urlopen')) &&
    /(?:fetch|post|request|urlopen)\s*\(\s*[A-Za-z_$][\w$.]*\s*[,)]/.test(text);
  // The AI SDK's calls count when the file imports it and names OpenRouter (its provider or URL).
  const aiSdk = /from\s+['"]ai['"]/.test(text) && MENTIONS_OPENROUTER.test(text);
  if (text.includes('ompletion') || text.includes('chat.send') || mayImportUrl || aiSdk) {
    const index = indexFile(file);
    for (const site of findCallSites(file, syntax)) {
      const args = readBalanced(file.text, site.openParen, syntax);
      if (site.kind === 'ai-sdk') {
        if (aiSdk && usesOpenRouterProvider(args.code, text)) {
          found.push({ site, args, optionParts: args.parts, pendingOn: [] });
        }
        continue;
      }
      if (site.kind === 'sdk') {
        found.push({ site, args, optionParts: args.parts, pendingOn: [] });
        continue;
      }
      const optionParts = args.parts.slice(1);
      if (targetsChatCompletions(args.code, index, file, syntax, site.start)) {
        found.push({ site, args, optionParts, pendingOn: [] });
        continue;
      }
      const imported = unresolvedImports(args.code, code, index);
      if (imported.length > 0) found.push({ site, args, optionParts, pendingOn: imported });
    }
  }
  calls.set(code.file, found);
  return found;
}

/**
 * An AI SDK call whose model comes from OpenRouter: `openrouter('…')`, or a provider the file makes
 * with `createOpenRouter(…)` or `createOpenAI({ baseURL: '…openrouter…' })`.
 */
function usesOpenRouterProvider(argsCode: string, text: string): boolean {
  if (MENTIONS_OPENROUTER.test(argsCode)) return true;
  for (const m of text.matchAll(/([A-Za-z_$][\w$]*)\s*=\s*(createOpenRouter|createOpenAI)\s*\(([^)]*)\)/g)) {
    const [, name = '', factory, options = ''] = m;
    if (factory === 'createOpenAI' && !MENTIONS_OPENROUTER.test(options)) continue;
    if (new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*[.(]`).test(argsCode)) return true;
  }
  return false;
}

/** Imported names in the arguments that the file does not define itself (the URL may be one). */
export function unresolvedImports(argsCode: string, code: CodeFile, index: FileIndex): string[] {
  const imports = importsOf(code.file, code.syntax);
  if (imports.names.size === 0 && imports.namespaces.size === 0) return [];
  // Only the first argument (or a url= / url: one) names the endpoint.
  const first = argsCode.split(',')[0] ?? '';
  const named = /(?:^|[,{(\s])(?:url|endpoint)\s*[:=]\s*([^,}\n]+)/.exec(argsCode)?.[1] ?? '';
  return importedNamesIn(`${first} ${named}`, imports).filter((name) => !index.anyDefinitions.has(name));
}

/** A client object that talks to a chat API: what its constructor is called and where. */
export interface ClientConstruction {
  /** `OpenAI`, `AsyncOpenAI`, `OpenRouter`, `ChatOpenAI`… */
  readonly kind: 'openai' | 'openrouter-sdk' | 'langchain';
  readonly start: number;
  readonly args: BalancedText;
  /** True when the constructor's arguments aim it at OpenRouter (base URL, key or env names). */
  readonly atOpenRouter: boolean;
  /** Imported names its base URL may come from, when that is the only hint (else empty). */
  readonly pendingOn: readonly string[];
}

const CONSTRUCTOR =
  /(?<![\w$.])(?:new\s+)?(?:openai\s*\.\s*)?(OpenAI|AsyncOpenAI|OpenRouter|AsyncOpenRouter|ChatOpenAI|ChatOpenRouter)\s*\(/g;

const constructions = new WeakMap<SourceFile, ClientConstruction[]>();

export function clientConstructions(code: CodeFile): ClientConstruction[] {
  const cached = constructions.get(code.file);
  if (cached !== undefined) return cached;
  const { file, syntax } = code;
  const found: ClientConstruction[] = [];
  if (/OpenAI|OpenRouter/.test(file.text)) {
    const index = indexFile(file);
    const view = codeView(file, syntax);
    for (const match of file.text.matchAll(CONSTRUCTOR)) {
      if (isInert(view, match.index)) continue;
      const prefix = file.linePrefix(match.index);
      if (/\b(?:class|def|function|interface|type|extends|implements)\s+$/.test(prefix)) continue;
      if (/\b(?:class|interface)\s+\w+\s*\(?\s*$/.test(prefix)) continue;
      const name = match[1] ?? '';
      const kind = name.includes('OpenRouter')
        ? name === 'ChatOpenRouter'
          ? 'langchain'
          : 'openrouter-sdk'
        : name === 'ChatOpenAI'
          ? 'langchain'
          : 'openai';
      const args = readBalanced(file.text, match.index + match[0].length - 1, syntax);
      const atOpenRouter =
        kind === 'openrouter-sdk' ||
        name === 'ChatOpenRouter' ||
        MENTIONS_OPENROUTER.test(args.code) ||
        targetsOpenRouter(args.code, index, file, syntax, match.index);
      const pendingOn = atOpenRouter ? [] : unresolvedBaseUrlImports(args.code, code, index);
      found.push({ kind, start: match.index, args, atOpenRouter, pendingOn });
    }
  }
  constructions.set(code.file, found);
  return found;
}

function unresolvedBaseUrlImports(argsCode: string, code: CodeFile, index: FileIndex): string[] {
  const base =
    /(?:base_url|baseURL|baseUrl|openai_api_base|api_base|serverURL|server_url)\s*[:=]\s*([^,}\n]+)/.exec(
      argsCode,
    )?.[1];
  if (base === undefined) return [];
  return importedNamesIn(base, importsOf(code.file, code.syntax)).filter(
    (name) => !index.anyDefinitions.has(name),
  );
}
