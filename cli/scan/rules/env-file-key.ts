import { excerptOf, maskSecrets } from '../mask';
import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { isEnvFile, isEnvTemplate } from './env-file-names';
import { EXAMPLE_KEY_MESSAGE, exampleKeyRule } from './example-key';
import { isPublishedExampleKey } from './example-keys';
import { holdsOpenRouterKey } from './hardcoded-key';
import { docsOf, type ScanRule } from './rule';

/** `NAME=value`, optionally after `export`; value up to the end of the line. */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;
/** A variable that by its name holds an OpenRouter credential. */
const OPENROUTER_SECRET_NAME = /openrouter/i;
const SECRET_WORD = /key|token|secret/i;
/** A value that starts like a key and is long enough to be one (or a truncated one). */
const KEY_LIKE_VALUE = /sk-or-v1-[0-9a-z]{16,}/i;
/** Values that stand for "fill me in", not for a key. */
const PLACEHOLDER =
  /^(?:|<.*>|\$\{.*\}|\$[A-Za-z_]\w*|.*\.\.\..*|.*\*\*\*.*|.*x{3,}.*|(?:your|change|replace|todo|placeholder|example|dummy|none|null|redacted)\b.*)$/i;

const MESSAGE =
  'env file holds an OpenRouter key: revoke the key, remove the file from the repository (and its history), git-ignore it and commit only a .env.example with placeholders';

function unquote(value: string): string {
  const trimmed = value.replace(/\s+#.*$/, '').trim();
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  return quoted ? (quoted[2] ?? '') : trimmed;
}

/** The printed form of an assignment: the name and a masked value, never the value itself. */
function maskedAssignment(name: string, value: string): string {
  const keys = value.match(/sk-or-v1-[0-9a-z]{8,}/gi);
  return `${name}=${keys ? keys.map(maskSecrets).join(' ') : '***'}`;
}

/**
 * Committed `.env` / `.env.*` files holding an OpenRouter key. Real env files are flagged for a
 * real-shaped key or for any real-looking value of an OPENROUTER_*KEY* variable; templates
 * (`.env.example`…) only for a real-shaped key, since placeholders are their purpose. OpenRouter's
 * published example keys are `example-key` (info). In a git work tree only files git tracks or
 * would track are scanned, so a git-ignored `.env` (the recommended setup) is not a finding.
 */
export const envFileKeyRule: ScanRule = {
  id: 'env-file-key',
  heuristic: false,
  suppressible: false,
  severity: 'error',
  summary: 'A committed .env file holding an OpenRouter key.',
  check(file: SourceFile): Finding[] {
    if (!isEnvFile(file.baseName)) return [];
    const template = isEnvTemplate(file.baseName);
    const findings: Finding[] = [];
    const lines = file.text.split('\n');
    lines.forEach((rawLine, index) => {
      const line = rawLine.replace(/\r$/, '');
      const assignment = ASSIGNMENT.exec(line);
      const name = assignment?.[1];
      const value = unquote(assignment?.[2] ?? '');
      const realShaped = holdsOpenRouterKey(line);
      const namedKey =
        !template &&
        name !== undefined &&
        OPENROUTER_SECRET_NAME.test(name) &&
        SECRET_WORD.test(name) &&
        !PLACEHOLDER.test(value);
      const keyLike = !template && KEY_LIKE_VALUE.test(value) && !PLACEHOLDER.test(value);
      const column = realShaped ? line.search(/sk-or-v1-/i) + 1 : 1;
      const example = /sk-or-v1-[0-9a-z]+/i.exec(value)?.[0];
      if (!realShaped && example !== undefined && isPublishedExampleKey(example)) {
        findings.push({
          rule: 'example-key',
          file: file.path,
          line: index + 1,
          column: line.search(/sk-or-v1-/i) + 1,
          message: EXAMPLE_KEY_MESSAGE,
          excerpt: name === undefined ? excerptOf(line, 1) : maskedAssignment(name, value),
          heuristic: false,
          severity: exampleKeyRule.severity,
          docs: docsOf('example-key'),
        });
        return;
      }
      if (!realShaped && !namedKey && !keyLike) return;
      findings.push({
        rule: 'env-file-key',
        file: file.path,
        line: index + 1,
        column,
        message: MESSAGE,
        // A commented-out key is still printed masked; an assignment is printed as NAME=masked.
        excerpt: name === undefined ? excerptOf(line, column) : maskedAssignment(name, value),
        heuristic: false,
        severity: 'error',
        docs: docsOf('env-file-key'),
      });
    });
    return findings;
  },
};
