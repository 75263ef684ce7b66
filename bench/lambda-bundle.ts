import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { auditorEsbuildOptions } from '../lib/lambda-bundling';

/**
 * The Lambda bundle exactly as the stack builds it (lib/lambda-bundling.ts, the options the
 * construct's NodejsFunction uses), once with the AWS SDK left to the runtime (as deployed) and
 * once with it bundled, written under node_modules/.cache so that the external `@aws-sdk/*`
 * imports resolve from the project's node_modules when the bundle is imported.
 */

export interface LambdaBundle {
  /** `file:` URL of index.mjs, for `import()`. */
  readonly url: string;
  /** Bytes of index.mjs (minified, without its source map). */
  readonly bytes: number;
  /** Bytes in the output per npm package (or `own code`), largest first, from esbuild's metafile. */
  readonly composition: readonly { readonly name: string; readonly bytes: number }[];
  /** Bare module ids the bundle leaves to the runtime (`node:` built-ins excluded). */
  readonly externals: readonly string[];
}

export interface LambdaBundles {
  readonly sdkExternal: LambdaBundle;
  readonly sdkBundled: LambdaBundle;
  /**
   * Diagnostic, never deployed: every `@aws-sdk/*` import replaced by an empty stub, to time the
   * import of everything but the SDK (the handler builds no client at import, so it loads).
   */
  readonly sdkStubbed: LambdaBundle;
  /** Deletes the bundles. */
  dispose(): Promise<void>;
}

/** Resolves `@aws-sdk/*` to a CommonJS module whose every export is an empty class. */
const stubAwsSdk: Plugin = {
  name: 'stub-aws-sdk',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\// }, (args) => ({ path: args.path, namespace: 'aws-sdk-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'aws-sdk-stub' }, () => ({
      contents: 'module.exports = new Proxy({}, { get: () => class {} });',
      loader: 'js',
    }));
  },
};

export async function buildLambdaBundles(projectRoot: string): Promise<LambdaBundles> {
  const { build } = await import('esbuild');
  const cache = join(projectRoot, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, 'openrouter-auditor-bench-'));
  try {
    const bundle = async (
      name: string,
      external: readonly string[] | undefined,
      plugins: Plugin[] = [],
    ): Promise<LambdaBundle> => {
      const outfile = join(dir, name, 'index.mjs');
      const options = auditorEsbuildOptions();
      const result = await build({
        ...options,
        ...(external === undefined ? {} : { external: [...external] }),
        outfile,
        metafile: true,
        plugins,
      });
      const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
      const byPackage = new Map<string, number>();
      for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
        const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'own code';
        byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
      }
      const externals = new Set(
        (output?.imports ?? []).filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path),
      );
      return {
        url: pathToFileURL(outfile).href,
        bytes: (await stat(outfile)).size,
        composition: [...byPackage]
          .map(([name, bytes]) => ({ name, bytes }))
          .sort((a, b) => b.bytes - a.bytes),
        externals: [...externals].sort(),
      };
    };
    const sdkExternal = await bundle('sdk-external', undefined);
    // The same options with nothing external: bundleAwsSDK: true in NodejsFunction terms.
    const sdkBundled = await bundle('sdk-bundled', []);
    const sdkStubbed = await bundle('sdk-stubbed', [], [stubAwsSdk]);
    return { sdkExternal, sdkBundled, sdkStubbed, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
