// Runs before `npm run audit`, `simulator` and `bench` in a clone, so that an edited check is never
// audited with yesterday's dist/: a stale or missing dist/ is rebuilt (one line on stderr says
// so), or, without esbuild, the run stops with one line naming the command to run.
import { fileURLToPath } from 'node:url';
import { esbuildAvailable, staleReason } from './dist-freshness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const reason = staleReason(root);
if (reason !== null) {
  if (await esbuildAvailable()) {
    process.stderr.write(`openrouter-auditor: ${reason}; rebuilding (npm run build)\n`);
    process.chdir(root);
    await import('./build.mjs');
  } else {
    process.stderr.write(
      `openrouter-auditor: ${reason}, and esbuild (a dev dependency) is not installed: run \`npm ci && npm run build\`\n`,
    );
    process.exitCode = 2;
  }
}
