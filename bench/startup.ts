import { AUDITOR_NODE_OPTIONS } from '../lib/lambda-bundling';
import type { LambdaBundles } from './lambda-bundle';
import { interleaved, median } from './measure';
import { nodeExitMs, nodeFirstByteMs } from './processes';

/** Medians (ms) of the process timings, all measured interleaved in the same run. */
export interface StartupTimes {
  /** `node -e 0`: the machine's baseline. */
  readonly nodeBaselineMs: number;
  /** Start plus `import()` of the deployed bundle (SDK external), with the function's NODE_OPTIONS. */
  readonly lambdaImportMs: number;
  /** The same with the SDK bundled. */
  readonly lambdaBundledImportMs: number;
  /** Start plus `import()` of the AWS SDK clients the deployed bundle leaves external, and nothing else. */
  readonly sdkOnlyImportMs: number;
  /** Start plus `import()` of the bundle with the SDK stubbed out: everything but the SDK. */
  readonly withoutSdkImportMs: number;
  /** `node dist/openrouter-audit.mjs --help`: launch to the first byte of stdout. */
  readonly cliHelpFirstByteMs: number;
  /**
   * `node dist/openrouter-audit.mjs --simulate --format json`: launch to exit of a full audit of
   * the in-process simulator at zero latency (start-up, every check, the report).
   */
  readonly cliAuditMs: number;
}

/** Node flags the deployed function runs with (its NODE_OPTIONS), so the import is timed as Lambda runs it. */
const LAMBDA_NODE_FLAGS = AUDITOR_NODE_OPTIONS.split(/\s+/).filter((flag) => flag !== '');

const importArgs = (url: string) => [
  ...LAMBDA_NODE_FLAGS,
  '--input-type=module',
  '-e',
  `await import(${JSON.stringify(url)});`,
];

/** Imports bare module ids, resolved from the working directory's node_modules as Lambda resolves its SDK. */
const importAllArgs = (ids: readonly string[]) => [
  ...LAMBDA_NODE_FLAGS,
  '--input-type=module',
  '-e',
  `await Promise.all(${JSON.stringify(ids)}.map((id) => import(id)));`,
];

export async function measureStartup(
  bundles: LambdaBundles,
  cliEntry: string,
  runs: number,
  cwd: string,
): Promise<StartupTimes> {
  const samples = await interleaved(runs, {
    baseline: () => nodeExitMs(['-e', '0'], cwd),
    lambda: () => nodeExitMs(importArgs(bundles.sdkExternal.url), cwd),
    lambdaBundled: () => nodeExitMs(importArgs(bundles.sdkBundled.url), cwd),
    sdkOnly: () => nodeExitMs(importAllArgs(bundles.sdkExternal.externals), cwd),
    withoutSdk: () => nodeExitMs(importArgs(bundles.sdkStubbed.url), cwd),
    cli: () => nodeFirstByteMs([cliEntry, '--help'], cwd),
    audit: () => nodeExitMs([cliEntry, '--simulate', '--format', 'json'], cwd),
  });
  return {
    nodeBaselineMs: median(samples.baseline),
    lambdaImportMs: median(samples.lambda),
    lambdaBundledImportMs: median(samples.lambdaBundled),
    sdkOnlyImportMs: median(samples.sdkOnly),
    withoutSdkImportMs: median(samples.withoutSdk),
    cliHelpFirstByteMs: median(samples.cli),
    cliAuditMs: median(samples.audit),
  };
}
