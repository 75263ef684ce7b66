// Bundles the command-line entry points into dist/ so that `npm run audit` starts plain JavaScript:
// no type-checking or transpiling on the audit path. Runs on `npm ci` and `npm pack` through the
// `prepare` script (scripts/prepare.mjs) and on `npm run build`.
//
// Two builds, because they ship differently:
// - the CLI and the simulator: what the npm package contains (package.json "files"). Everything the
//   audit needs (undici, zod) is bundled in, so an install brings no runtime dependency but the
//   AWS SDK client that only `--secret-id` loads, lazily.
// - the bench: a developer tool, left in dist/bench/, importing esbuild and aws-cdk-lib from
//   node_modules; it is never packed.
import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const cliEntries = {
  'openrouter-audit': 'bin/openrouter-audit.ts',
  simulator: 'simulator/cli.ts',
  'github-action': 'cli/github-action/main.ts',
};
const benchEntries = { bench: 'bench/bench.ts' };

const missing = [...Object.values(cliEntries), ...Object.values(benchEntries)].filter(
  (file) => !existsSync(file),
);
if (missing.length > 0) throw new Error(`build: missing entry points: ${missing.join(', ')}`);

/**
 * undici's HTTP/2 session code loads `node:http2` (and with it `node:tls`) when the client module
 * loads. The auditor never offers h2 (undici's `allowH2` defaults to false, so ALPN asks for
 * http/1.1 only): the module is replaced by one that says so if it were ever reached.
 */
const withoutHttp2 = {
  name: 'undici-without-http2',
  setup(build) {
    build.onResolve({ filter: /client-h2\.js$/ }, (args) =>
      args.importer.includes('undici') ? { path: 'undici-client-h2', namespace: 'no-http2' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-http2' }, () => ({
      contents:
        "module.exports = function connectH2() { throw new Error('openrouter-audit is built without HTTP/2 (allowH2 is never set)'); };",
      loader: 'js',
    }));
  },
};

const common = {
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  // Bundled CommonJS (undici) calls `require` for Node built-ins; ESM has none of its own.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
};

const cli = await build({
  ...common,
  entryPoints: cliEntries,
  chunkNames: 'chunks/[name]-[hash]',
  // Prefer packages' ES module builds: esbuild can drop what an ESM build does not use.
  mainFields: ['module', 'main'],
  // The SDK is a dependency (package.json), imported only by `--secret-id`: bundling it would load
  // and ship a megabyte that most runs never touch.
  external: ['@aws-sdk/*'],
  plugins: [withoutHttp2],
  // Whitespace and syntax only: names stay readable in stack traces and in the tests of the bundle.
  minifyWhitespace: true,
  minifySyntax: true,
});

const bench = await build({
  ...common,
  entryPoints: benchEntries,
  outdir: 'dist/bench',
  chunkNames: 'chunks/[name]-[hash]',
  // The bench measures the tools themselves (esbuild, aws-cdk-lib): it uses them from node_modules.
  packages: 'external',
});

// Chunks of an earlier build would otherwise be packed with the new ones. Removed after the new
// files are written (never the whole folder first), so a CLI started meanwhile finds its files.
const written = new Set(
  [...Object.keys(cli.metafile.outputs), ...Object.keys(bench.metafile.outputs)].map((file) =>
    relative('.', file),
  ),
);
for (const entry of await readdir('dist', { recursive: true, withFileTypes: true })) {
  const file = relative('.', join(entry.parentPath ?? entry.path, entry.name));
  if (entry.isFile() && /\.mjs(\.map)?$/.test(file) && !written.has(file)) await rm(file);
}

// What `npm run audit` compares with the sources (scripts/ensure-dist.mjs).
await writeFile('dist/.build-stamp', `${new Date().toISOString()}\n`);
