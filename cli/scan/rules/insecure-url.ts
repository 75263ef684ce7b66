import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { findingAt, type ScanRule } from './rule';

/**
 * Plain-http URLs of openrouter.ai, www.openrouter.ai or any other subdomain, any path; the
 * lookahead keeps `http://openrouter.ai.example.com` (not OpenRouter) out.
 */
const INSECURE_URL = /http:\/\/(?:[a-z0-9-]+\.)*openrouter\.ai(?![a-z0-9-]|\.[a-z0-9])/gi;

/** Plain-http OpenRouter URLs: the key would cross the network in clear text on the first hop. */
export const insecureUrlRule: ScanRule = {
  id: 'insecure-url',
  heuristic: false,
  suppressible: true,
  check(file: SourceFile): Finding[] {
    const lower = file.lowerText;
    if (!lower.includes('http://') || !lower.includes('openrouter.ai')) return [];
    return Array.from(file.text.matchAll(INSECURE_URL), (match) =>
      findingAt(
        file,
        match.index,
        insecureUrlRule,
        'plain-http OpenRouter URL: the Authorization header would travel unencrypted; use https://openrouter.ai',
      ),
    );
  },
};
