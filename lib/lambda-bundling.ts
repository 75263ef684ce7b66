import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/*
 * The one place that says how the auditor Lambda is bundled. The construct's NodejsFunction uses
 * `auditorBundlingOptions()`; the bench and the end-to-end tests build the identical bundle with
 * esbuild's JS API and `auditorEsbuildOptions()`. Change both here or neither.
 */

/** esbuild target: the Lambda runtime is Node.js 24 (Runtime.NODEJS_24_X). */
export const AUDITOR_ESBUILD_TARGET = 'node24';

/**
 * ESM bundles have no `require`; some CommonJS dependencies call it for Node built-ins. The alias
 * keeps the banner's import from clashing with a bundled module's own `createRequire`.
 */
export const AUDITOR_ESM_BANNER =
  "import { createRequire as __auditorCreateRequire } from 'node:module'; const require = __auditorCreateRequire(import.meta.url);";

/** The Lambda runtime ships AWS SDK v3; bundling it would double the bundle for no gain. */
export const AUDITOR_EXTERNAL_MODULES: readonly string[] = ['@aws-sdk/*'];

/** Prefer packages' ES module builds in the ESM bundle. */
export const AUDITOR_MAIN_FIELDS: readonly string[] = ['module', 'main'];

/** Stack traces in the logs point at the TypeScript sources through the bundled source map. */
export const AUDITOR_NODE_OPTIONS = '--enable-source-maps';

/** Absolute paths of the handler entry and of the project the bundle is built in. */
export interface AuditorBundlePaths {
  /** lambda/handler.ts, exporting `handler`. */
  readonly entry: string;
  /** The repository root (esbuild's working directory, where node_modules lives). */
  readonly projectRoot: string;
  /** package-lock.json, which NodejsFunction hashes and uses to find the project root. */
  readonly depsLockFilePath: string;
}

/**
 * The folder holding lambda/handler.ts and package-lock.json, found upwards from this module: it
 * is lib/ when the CDK app runs from sources, and dist/bench/chunks/ when the bench runs bundled.
 */
function findProjectRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'lambda', 'handler.ts')) && existsSync(join(dir, 'package-lock.json')))
      return dir;
    if (dirname(dir) === dir) return dirname(here);
  }
}

export function auditorBundlePaths(): AuditorBundlePaths {
  const projectRoot = findProjectRoot();
  return {
    entry: join(projectRoot, 'lambda', 'handler.ts'),
    projectRoot,
    depsLockFilePath: join(projectRoot, 'package-lock.json'),
  };
}

/** Bundling options for the construct's NodejsFunction (local esbuild only: Docker is never used). */
export function auditorBundlingOptions(): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: AUDITOR_ESBUILD_TARGET,
    minify: true,
    sourceMap: true,
    // Stack traces need the mappings, not a copy of every source file: the map shrinks to a third.
    sourcesContent: false,
    banner: AUDITOR_ESM_BANNER,
    externalModules: [...AUDITOR_EXTERNAL_MODULES],
    bundleAwsSDK: false,
    mainFields: [...AUDITOR_MAIN_FIELDS],
    forceDockerBundling: false,
  };
}

/**
 * The same bundle through esbuild's JS API: `await build({ ...auditorEsbuildOptions(), outfile: 'out/index.mjs' })`.
 * Lambda loads `index.mjs` and calls its `handler` export.
 */
export function auditorEsbuildOptions(): BuildOptions {
  return {
    entryPoints: [auditorBundlePaths().entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: AUDITOR_ESBUILD_TARGET,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: AUDITOR_ESM_BANNER },
    external: [...AUDITOR_EXTERNAL_MODULES],
    mainFields: [...AUDITOR_MAIN_FIELDS],
    absWorkingDir: auditorBundlePaths().projectRoot,
    logLevel: 'warning',
  };
}

/**
 * NodejsFunction silently falls back to Docker when it cannot find a local esbuild; there is no
 * Docker here (nor in most CI), so say what is missing instead.
 */
export function assertLocalEsbuild(): void {
  try {
    createRequire(import.meta.url).resolve('esbuild');
  } catch (cause) {
    throw new Error(
      'OpenRouterAuditor bundles its Lambda with a local esbuild: install it as a dev dependency (npm install --save-dev esbuild)',
      { cause },
    );
  }
}
