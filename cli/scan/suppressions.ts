import { oneLine } from '../../lambda/render/text';
import { maskSecrets } from './mask';
import { SCAN_RULES } from './rules/index';
import type { ScanRule } from './rules/rule';
import type { SourceFile } from './source-file';
import type { Finding, ScanNote } from './types';

/** The text that makes a comment a suppression, in whatever comment syntax the file uses. */
export const SUPPRESSION_MARKER = 'openrouter-audit-ignore';

/**
 * `openrouter-audit-ignore` or `openrouter-audit-ignore-next-line` as a whole word. Matched as text
 * on the line, not parsed as a comment, so line, hash, block and HTML comments all work; an HTML
 * comment may close right after it (`…-ignore-->`).
 */
const DIRECTIVE = /openrouter-audit-ignore(-next-line)?(?=-->|[^\w-]|$)/g;
/** Where a rule list ends: the reason (` -- why`), the comment's end, or another directive. */
const LIST_END = /\s--(?=\s|$)|\*\/|-->|openrouter-audit-ignore/;
/** Longest unknown rule name quoted back in a note: the name is the file's text, not ours. */
const MAX_QUOTED_NAME = 40;

const RULES: ReadonlyMap<string, ScanRule> = new Map(SCAN_RULES.map((rule) => [rule.id, rule]));

/** One suppression comment, as written. */
export interface Suppression {
  /** `line`: silences findings on its own line; `next-line`: on the line after it. */
  readonly scope: 'line' | 'next-line';
  /**
   * The names after the colon, as written (unknown names included, so they can be reported);
   * undefined when there is no list, which silences every suppressible rule.
   */
  readonly rules: readonly string[] | undefined;
}

/**
 * The suppressions written on one line: `openrouter-audit-ignore[-next-line][: rule, rule][ -- reason]`.
 * The reason is for the human reading the code; the scan does not print it.
 */
export function parseSuppressions(line: string): Suppression[] {
  const found: Suppression[] = [];
  for (const match of line.matchAll(DIRECTIVE)) {
    const scope = match[1] === undefined ? 'line' : 'next-line';
    const rest = line.slice(match.index + match[0].length);
    const colon = /^\s*:/.exec(rest);
    if (colon === null) {
      found.push({ scope, rules: undefined });
      continue;
    }
    const listed = rest.slice(colon[0].length);
    const end = listed.search(LIST_END);
    const names = (end < 0 ? listed : listed.slice(0, end))
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    found.push({ scope, rules: names.length === 0 ? undefined : names });
  }
  return found;
}

/** What suppression comments did to one file's findings. */
export interface SuppressionOutcome {
  /** The findings still reported, in their original order. */
  readonly findings: Finding[];
  /** How many findings a suppression silenced. */
  readonly suppressed: number;
  /** Suppressions refused (key rules) or naming unknown rules. */
  readonly notes: ScanNote[];
}

const refusedMessage = (rule: string): string =>
  `a suppression comment cannot silence ${rule}, so the finding stands: a key committed to a repository is never an acceptable exception (revoke it, load keys from a secret store or the environment, build test keys at run time)`;

function unknownRuleMessage(name: string): string {
  const shown = oneLine(maskSecrets(name)).slice(0, MAX_QUOTED_NAME);
  return `the suppression comment names an unknown rule "${shown}" and silences nothing under that name (rules: ${[...RULES.keys()].join(', ')})`;
}

/**
 * Drops the findings that a suppression on their line, or a `-next-line` suppression on the line
 * before, covers. Findings of rules that are not suppressible stay, with a note saying why. Only
 * suppressions next to a finding are read: a comment that silences nothing costs nothing.
 */
export function applySuppressions(file: SourceFile, findings: readonly Finding[]): SuppressionOutcome {
  if (findings.length === 0 || !file.text.includes(SUPPRESSION_MARKER)) {
    return { findings: [...findings], suppressed: 0, notes: [] };
  }
  const parsed = new Map<number, Suppression[]>();
  const suppressionsOn = (line: number): Suppression[] => {
    let found = parsed.get(line);
    if (found === undefined) {
      found = line >= 1 ? parseSuppressions(file.lineText(line)) : [];
      parsed.set(line, found);
    }
    return found;
  };
  // Keyed by line and message: two findings under one comment give one note.
  const notes = new Map<string, ScanNote>();
  const note = (line: number, message: string): void => {
    notes.set(`${line}\n${message}`, { file: file.path, line, message });
  };

  const kept: Finding[] = [];
  let suppressed = 0;
  for (const finding of findings) {
    const applicable = [
      ...suppressionsOn(finding.line)
        .filter((s) => s.scope === 'line')
        .map((s) => ({ suppression: s, line: finding.line })),
      ...suppressionsOn(finding.line - 1)
        .filter((s) => s.scope === 'next-line')
        .map((s) => ({ suppression: s, line: finding.line - 1 })),
    ];
    let covered = false;
    for (const { suppression, line } of applicable) {
      for (const name of suppression.rules ?? []) if (!RULES.has(name)) note(line, unknownRuleMessage(name));
      if (suppression.rules === undefined || suppression.rules.includes(finding.rule)) covered = true;
    }
    if (!covered) {
      kept.push(finding);
    } else if (RULES.get(finding.rule)?.suppressible !== true) {
      // Fails closed: a rule this module does not know is not suppressible either.
      kept.push(finding);
      note(finding.line, refusedMessage(finding.rule));
    } else {
      suppressed += 1;
    }
  }
  return { findings: kept, suppressed, notes: [...notes.values()] };
}
