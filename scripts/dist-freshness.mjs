// Whether dist/ was built from the sources as they are now: the build writes dist/.build-stamp,
// and any source file modified after it makes dist/ stale.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the bundles are built from, relative to the project root. */
const SOURCES = ['bin', 'cli', 'lambda', 'simulator', 'bench', 'lib', 'scripts/build.mjs', 'package.json'];
export const STAMP = join('dist', '.build-stamp');
export const CLI_ENTRY = join('dist', 'openrouter-audit.mjs');

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The first source file newer than `sinceMs`, or null. */
function newerSource(root, relative, sinceMs) {
  const path = join(root, relative);
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    const modified = mtimeMs(path);
    return modified !== null && modified > sinceMs ? relative : null;
  }
  for (const entry of entries) {
    const child = join(relative, entry.name);
    const found = entry.isDirectory()
      ? newerSource(root, child, sinceMs)
      : (mtimeMs(join(root, child)) ?? 0) > sinceMs
        ? child
        : null;
    if (found !== null) return found;
  }
  return null;
}

/**
 * Why dist/ cannot be trusted, or null when it is current: missing, or older than a source file.
 * A folder without the sources (an installed package) is always current: its dist/ is what it ships.
 */
export function staleReason(root) {
  const stamp = mtimeMs(join(root, STAMP));
  if (stamp === null || mtimeMs(join(root, CLI_ENTRY)) === null) return 'dist/ has not been built';
  for (const source of SOURCES) {
    const file = newerSource(root, source, stamp);
    if (file !== null) return `${file} changed after dist/ was built`;
  }
  return null;
}

export async function esbuildAvailable() {
  try {
    await import('esbuild');
    return true;
  } catch {
    return false;
  }
}

// `node scripts/dist-freshness.mjs --check`: exit 0 when dist/ is current, 1 (with the reason) when not.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--check') {
  const reason = staleReason(fileURLToPath(new URL('..', import.meta.url)));
  if (reason !== null) process.stderr.write(`openrouter-auditor: ${reason}\n`);
  process.exitCode = reason === null ? 0 : 1;
}
