import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { isEnvFile } from './env-file-names';
import { findingAt, type ScanRule } from './rule';

/** An OpenRouter API key: the prefix and 64 hex digits (any case, as secretlint's rule). */
const OPENROUTER_KEY = /sk-or-v1-[0-9a-f]{64}/gi;

/** A real-shaped OpenRouter key anywhere in a text file (env files have their own rule). */
export const hardcodedKeyRule: ScanRule = {
  id: 'hardcoded-key',
  heuristic: false,
  suppressible: false,
  check(file: SourceFile): Finding[] {
    if (isEnvFile(file.baseName) || !file.lowerText.includes('sk-or-v1-')) return [];
    return Array.from(file.text.matchAll(OPENROUTER_KEY), (match) =>
      findingAt(
        file,
        match.index,
        hardcodedKeyRule,
        'hard-coded OpenRouter key: revoke it now (it is in the history), then load the key from a secret store or the environment',
      ),
    );
  },
};

/** True when a string holds a real-shaped OpenRouter key. */
export function holdsOpenRouterKey(text: string): boolean {
  return /sk-or-v1-[0-9a-f]{64}/i.test(text);
}
