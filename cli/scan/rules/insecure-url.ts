import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { codeFileOf, isTestFile } from './code-file';
import { codeView, isInert } from './lexer';
import { findingAt, type ScanRule } from './rule';

/**
 * Plain-http URLs of openrouter.ai, www.openrouter.ai or any other subdomain, any path; the
 * lookahead keeps `http://openrouter.ai.example.com` (not OpenRouter) out.
 */
const INSECURE_URL = /http:\/\/((?:[a-z0-9-]+\.)*)openrouter\.ai(?![a-z0-9-]|\.[a-z0-9])([^\s'"`)<>\]},]*)/gi;

const MARKDOWN = new Set(['.md', '.mdx', '.markdown', '.rst', '.adoc', '.txt']);
/** An API path: a key is sent to it. Anything else (the home page, docs, models page) is for browsers. */
const API_PATH = /^(?::\d+)?\/api(?:\/|$)/i;
/** Where a URL that is not an API path still decides where requests go. */
const URL_SETTING =
  /(?:base_?url|baseurl|api_?base|api_?url|url|endpoint|server_?url|openai_api_base|host|openrouter|base)\W*$/i;
/** A test asserting that plain http is refused, nearby: the URL is the bad input, not a setting. */
const REJECTION =
  /toThrow|rejects|raises|assertRaises|assert_raises|throws|toBe\(false\)|assertFalse|is False|reject|invalid|insecure|refuse|not allowed|disallow|https only|must (?:be|use) https|error/i;
const REJECTION_WINDOW = 3;
/** A sentence of documentation that warns against the URL it shows. */
const WARNING =
  /\b(?:never|don't|do not|must not|should not|insecure(?!-url)|unencrypted|clear ?text|plain ?text|rejected|refused)\b/i;

/** A link a reader follows in a browser: `[text](http://…)`, `<http://…>`, `href="http://…"`, `[id]: http://…`. */
function isLinkTarget(prefix: string): boolean {
  return /\]\(\s*$|<\s*$|href\s*=\s*["']?$|^\s*\[[^\]]+\]:\s*$/i.test(prefix);
}

/** Lines of fenced code blocks in a markdown file, and whether an offset sits in inline code. */
function fencedLines(file: SourceFile): Set<number> {
  const lines = new Set<number>();
  let inFence = false;
  for (let line = 1; line <= file.lineCount; line += 1) {
    const text = file.lineText(line);
    if (/^\s*(?:```|~~~)/.test(text)) {
      inFence = !inFence;
      continue;
    }
    if (inFence || /^(?: {4}|\t)\S/.test(text)) lines.add(line);
  }
  return lines;
}

function inInlineCode(prefix: string): boolean {
  return (prefix.match(/`/g)?.length ?? 0) % 2 === 1;
}

function nearRejection(file: SourceFile, line: number): boolean {
  const from = Math.max(1, line - REJECTION_WINDOW);
  const to = Math.min(file.lineCount, line + REJECTION_WINDOW);
  for (let l = from; l <= to; l += 1) if (REJECTION.test(file.lineText(l))) return true;
  return false;
}

/**
 * Plain-http OpenRouter URLs a key would be sent to: API paths (`http://openrouter.ai/api/v1…`) and
 * base-URL settings, in code, config and documentation code blocks. Not reported: links a reader
 * follows in a browser (markdown links, prose, comments, non-API pages) and test cases that assert
 * plain http is refused.
 */
export const insecureUrlRule: ScanRule = {
  id: 'insecure-url',
  heuristic: false,
  suppressible: true,
  severity: 'error',
  summary: 'A plain-http OpenRouter API URL: the key would cross the network unencrypted.',
  check(file: SourceFile): Finding[] {
    // Regex tests, not a lower-cased copy: most files fail here, and must cost no allocation.
    if (!/http:\/\//i.test(file.text) || !/openrouter\.ai/i.test(file.text)) return [];
    const markdown = MARKDOWN.has(file.extension);
    const code = markdown ? undefined : codeFileOf(file);
    const view = code !== undefined && code.file === file ? codeView(file, code.syntax) : undefined;
    const test = isTestFile(file);
    let fences: Set<number> | undefined;
    const findings: Finding[] = [];
    for (const match of file.text.matchAll(INSECURE_URL)) {
      const path = match[2] ?? '';
      const api = API_PATH.test(path) || /^api\./i.test(match[1] ?? '');
      const prefix = file.linePrefix(match.index);
      const { line } = file.position(match.index);
      const setting = URL_SETTING.test(prefix.replace(/["'`\s:=]+$/, ''));
      if (markdown) {
        if (isLinkTarget(prefix)) continue;
        fences ??= fencedLines(file);
        const inCode = fences.has(line) || inInlineCode(prefix);
        if (!api && !(inCode && setting)) continue;
        // Documentation warning against plain http names the URL to say it must not be used.
        if (WARNING.test(file.lineText(line))) continue;
      } else {
        // A comment sends nothing: commented-out settings and references are not findings.
        if (view !== undefined && isInert(view, match.index) && isComment(file, match.index)) continue;
        if (!api && !setting) continue;
        if (test && nearRejection(file, line)) continue;
      }
      findings.push(
        findingAt(
          file,
          match.index,
          insecureUrlRule,
          'plain-http OpenRouter URL: the Authorization header would travel unencrypted; use https://openrouter.ai',
        ),
      );
    }
    return findings;
  },
};

/** True when the inert text at `offset` is a comment rather than a string. */
function isComment(file: SourceFile, offset: number): boolean {
  const prefix = file.linePrefix(offset).trimStart();
  return /^(?:\/\/|#|\/\*|\*)/.test(prefix) || /(?:\s|^)(?:\/\/|#)[^'"`]*$/.test(prefix);
}
