import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { isEnvFile } from './env-file-names';
import { EXAMPLE_KEY_MESSAGE, exampleKeyRule } from './example-key';
import { isPublishedExampleKey } from './example-keys';
import { findingAt, type ScanRule } from './rule';

/**
 * An OpenRouter API key: the prefix and 64 hex digits (any case, as secretlint's rule). A longer
 * run of hex is still secret material, so nothing may follow or precede it to be a finding.
 */
const OPENROUTER_KEY = /sk-or-v1-[0-9a-f]{64}/gi;

/** A published example, exactly: not the start of a longer string. */
function isExampleAt(text: string, match: string, index: number): boolean {
  return isPublishedExampleKey(match) && !/[0-9a-z]/i.test(text[index + match.length] ?? '');
}

/**
 * A real-shaped OpenRouter key anywhere in a text file (env files have their own rule). OpenRouter's
 * own published example keys are reported as `example-key` (info) instead.
 */
export const hardcodedKeyRule: ScanRule = {
  id: 'hardcoded-key',
  heuristic: false,
  suppressible: false,
  severity: 'error',
  summary: 'A real-shaped OpenRouter API key (sk-or-v1- and 64 hex digits) in a committed file.',
  check(file: SourceFile): Finding[] {
    if (isEnvFile(file.baseName) || !/sk-or-v1-/i.test(file.text)) return [];
    return Array.from(file.text.matchAll(OPENROUTER_KEY), (match) =>
      isExampleAt(file.text, match[0], match.index)
        ? findingAt(file, match.index, exampleKeyRule, EXAMPLE_KEY_MESSAGE)
        : findingAt(
            file,
            match.index,
            hardcodedKeyRule,
            'hard-coded OpenRouter key: revoke it now (it is in the history), then load the key from a secret store or the environment',
          ),
    );
  },
};

/** True when a string holds a real-shaped OpenRouter key that is not a published example. */
export function holdsOpenRouterKey(text: string): boolean {
  for (const match of text.matchAll(OPENROUTER_KEY))
    if (!isExampleAt(text, match[0], match.index)) return true;
  return false;
}
