import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * vitest globalSetup: builds dist/ once before any test file runs, so that the tests of the built
 * CLI, the package and the GitHub Action use the sources under test, and no two files rebuild it at
 * the same time.
 */
export default function buildDist(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit', timeout: 180_000 });
}
