import { excerptOf } from '../mask';
import type { SourceFile } from '../source-file';
import type { Finding, ScanRuleId } from '../types';

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
  check(file: SourceFile): Finding[];
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
  };
}
