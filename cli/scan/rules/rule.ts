import { excerptOf } from '../mask';
import type { SourceFile } from '../source-file';
import type { Finding, ScanRuleId, Severity } from '../types';
import type { RepoFacts } from './repo-facts';

/** The docs page with one section per rule; each finding links to its rule's section. */
export const SCAN_RULES_DOC = 'docs/scan-rules.md';

export const docsOf = (rule: ScanRuleId): string => `${SCAN_RULES_DOC}#${rule}`;

/** A scan rule: a pure function of one file. It never throws on odd content; it just finds less. */
export interface ScanRule {
  readonly id: ScanRuleId;
  /** True when the rule returns guesses a human should confirm. */
  readonly heuristic: boolean;
  /**
   * False when no `openrouter-audit-ignore` comment may silence the rule's findings: a key committed
   * to a repository is never an acceptable exception, whatever the comment beside it says.
   */
  readonly suppressible: boolean;
  /** How much the rule's findings matter. */
  readonly severity: Severity;
  /** One line: what the rule looks for (SARIF's rule description, the docs' first line). */
  readonly summary: string;
  /**
   * Findings in one file. `facts` collects what the whole repository says (URL constants a module
   * exports, CI files); rules that need the whole repository finish in `finish`.
   */
  check(file: SourceFile, facts?: RepoFacts): Finding[];
}

/** The finding for a match at a character offset, with the line's masked excerpt. */
export function findingAt(file: SourceFile, offset: number, rule: ScanRule, message: string): Finding {
  const { line, column } = file.position(offset);
  return {
    rule: rule.id,
    file: file.path,
    line,
    column,
    message,
    excerpt: excerptOf(file.lineText(line), column),
    heuristic: rule.heuristic,
    severity: rule.severity,
    docs: docsOf(rule.id),
  };
}
