import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import type { Syntax } from './balanced';
import { CiFacts } from './ci-secret-scan';
import { codeFileOf } from './code-file';
import { indexFile } from './options-evidence';
import { isModuleScope, scopeAt } from './scope';

/** A finding that stands only if a name imported from another module turns out to hold a URL. */
export interface PendingFinding {
  readonly finding: Finding;
  /** The imported names the call's URL may come from. */
  readonly names: readonly string[];
  /** What the URL must be: a chat-completions endpoint, or any OpenRouter URL. */
  readonly needs: 'chat' | 'openrouter';
  /** True when a suppression comment at the call already silences it. */
  suppressed: boolean;
}

/**
 * What the whole repository says, collected file by file during one scan: URL constants other
 * modules may import, and the CI configuration. Holds names and paths, never file contents, so
 * memory stays bounded by the repository's size in names, not in bytes.
 */
export class RepoFacts {
  /** Names defined at module (or class) level holding a `/chat/completions` URL, in any file. */
  readonly chatUrlConstants = new Set<string>();
  /** Names defined at module (or class) level holding an OpenRouter URL, in any file. */
  readonly openrouterUrlConstants = new Set<string>();
  readonly pending: PendingFinding[] = [];
  /** CI files and the secret scanners they run. */
  readonly ci = new CiFacts();

  /** Records the URL constants a code file defines at its top level, and what it says about CI. */
  collect(file: SourceFile): void {
    this.ci.collect(file);
    // Only files that name a chat URL or OpenRouter define URL constants: most files stop here.
    if (!file.text.includes('chat/completions') && !/openrouter\.ai/i.test(file.text)) return;
    const code = codeFileOf(file);
    if (code === undefined) return;
    const index = indexFile(code.file);
    const exported = (name: string): boolean =>
      (index.anyDefinitions.get(name) ?? []).some((at) => isExported(code.file, code.syntax, at)) ||
      /^[A-Z][A-Z0-9_]*$/.test(name);
    for (const name of index.urlNames) if (exported(name)) this.chatUrlConstants.add(name);
    for (const name of index.openrouterUrlNames) if (exported(name)) this.openrouterUrlConstants.add(name);
  }

  /**
   * The repository-level findings, once every file is read: pending findings whose imported URL
   * name turned out to be a URL constant of the repository, and CI without secret scanning.
   */
  resolve(): { readonly findings: Finding[]; readonly suppressed: number } {
    const ci = this.ci.finish();
    const findings: Finding[] = [...ci.findings];
    let suppressed = ci.suppressed;
    for (const pending of this.pending) {
      const constants = pending.needs === 'chat' ? this.chatUrlConstants : this.openrouterUrlConstants;
      if (!pending.names.some((name) => constants.has(name))) continue;
      if (pending.suppressed) suppressed += 1;
      else findings.push(pending.finding);
    }
    return { findings, suppressed };
  }
}

function isExported(file: SourceFile, syntax: Syntax, at: number): boolean {
  return isModuleScope(file, scopeAt(file, syntax, at));
}

const IDENT = '[A-Za-z_$][\\w$]*';

/** Names a module brings in from other modules: `{ A, B as C }`, `from m import A`, namespaces. */
export interface Imports {
  /** Names imported one by one (under the local name, with the exported name it stands for). */
  readonly names: ReadonlyMap<string, string>;
  /** Module objects (`import * as cfg`, `import config`): `cfg.NAME` is an imported name. */
  readonly namespaces: ReadonlySet<string>;
}

const cache = new WeakMap<SourceFile, Imports>();

function addList(list: string, names: Map<string, string>): void {
  for (const item of list.split(',')) {
    const match = new RegExp(
      `^\\s*(?:type\\s+)?(${IDENT})(?:\\s+as\\s+(${IDENT})|\\s*:\\s*(${IDENT}))?\\s*$`,
    ).exec(item.replace(/\s+/g, ' '));
    if (match?.[1] !== undefined) names.set(match[2] ?? match[3] ?? match[1], match[1]);
  }
}

export function importsOf(file: SourceFile, syntax: Syntax): Imports {
  const cached = cache.get(file);
  if (cached !== undefined) return cached;
  const names = new Map<string, string>();
  const namespaces = new Set<string>();
  const text = file.text;
  if (syntax === 'js') {
    for (const m of text.matchAll(/\bimport\s+(?:type\s+)?([\w$]+\s*,\s*)?\{([^}]*)\}\s*from\b/g))
      addList(m[2] ?? '', names);
    for (const m of text.matchAll(/\bimport\s+\*\s+as\s+([\w$]+)/g)) namespaces.add(m[1] ?? '');
    for (const m of text.matchAll(/\bimport\s+([\w$]+)\s+from\b/g)) namespaces.add(m[1] ?? '');
    for (const m of text.matchAll(
      /\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*(?:await\s+)?(?:require|import)\s*\(/g,
    ))
      addList(m[1] ?? '', names);
    for (const m of text.matchAll(/\b(?:const|let|var)\s+([\w$]+)\s*=\s*require\s*\(/g))
      namespaces.add(m[1] ?? '');
  } else {
    for (const m of text.matchAll(/^\s*from\s+[\w.]+\s+import\s+(?:\(([^)]*)\)|([^\n#]+))/gm))
      addList((m[1] ?? m[2] ?? '').replace(/\\\n/g, ' '), names);
    for (const m of text.matchAll(/^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?/gm)) {
      const local = m[2] ?? (m[1] ?? '').split('.')[0] ?? '';
      namespaces.add(local);
    }
  }
  const imports = { names, namespaces };
  cache.set(file, imports);
  return imports;
}

/** The imported names the arguments use, by their exported names: `CHAT_URL`, `config.CHAT_URL`. */
export function importedNamesIn(code: string, imports: Imports): string[] {
  const used = new Set<string>();
  for (const [local, exported] of imports.names) {
    if (new RegExp(`(?<![\\w$.])${local.replace(/\$/g, '\\$')}(?![\\w$])`).test(code)) used.add(exported);
  }
  for (const namespace of imports.namespaces) {
    if (namespace === '') continue;
    for (const m of code.matchAll(
      new RegExp(`(?<![\\w$.])${namespace.replace(/\$/g, '\\$')}\\s*\\.\\s*(${IDENT})`, 'g'),
    ))
      used.add(m[1] ?? '');
  }
  used.delete('');
  return [...used];
}
