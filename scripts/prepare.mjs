// `prepare` runs on `npm ci`/`npm install` in a clone, on `npm pack`, and when npm installs this
// package from a git URL (npm then installs the dev dependencies first). It builds dist/ when it can.
// An installed package has no sources and keeps the dist/ it shipped with. Without esbuild (`npm ci --omit=dev`) it says so in one line and lets the install finish:
// `npm run audit` then names the command that builds (scripts/ensure-dist.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildAvailable } from './dist-freshness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
if (!existsSync('bin/openrouter-audit.ts')) {
  // An installed package (a tarball allowed to run scripts): it has dist/ and no sources to build.
} else if (await esbuildAvailable()) {
  await import('./build.mjs');
} else {
  process.stderr.write(
    'openrouter-auditor: dist/ not built: esbuild (a dev dependency) is not installed; run `npm ci` (with dev dependencies) and `npm run build`\n',
  );
}
