// Bundles the command-line entry points into dist/ so that `npm run audit` starts plain JavaScript:
// no type-checking or transpiling on the audit path. Runs on `npm ci` through the `prepare` script.
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

const entries = {
  'openrouter-audit': 'bin/openrouter-audit.ts',
  simulator: 'simulator/cli.ts',
  bench: 'bench/bench.ts',
};

const missing = Object.values(entries).filter((file) => !existsSync(file));
if (missing.length > 0) throw new Error(`build: missing entry points: ${missing.join(', ')}`);

await build({
  entryPoints: entries,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // The AWS SDK and CDK stay in node_modules: they are loaded only by the paths that need them.
  packages: 'external',
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
});
