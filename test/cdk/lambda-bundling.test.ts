import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDITOR_ESM_BANNER, auditorBundlePaths, auditorEsbuildOptions } from '../../lib/lambda-bundling';
import { buildAuditor } from './support';

// The bench and the end-to-end tests build the Lambda bundle with esbuild's API from
// auditorEsbuildOptions(); it must be byte for byte what the stack deploys.
let deployed: string;
let outDir: string;

beforeAll(() => {
  const { app } = buildAuditor({ apiKeySecret: 'openrouter-auditor/api-key' });
  const assemblyDir = app.synth().directory;
  const assets = readdirSync(assemblyDir).filter((name) => name.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  deployed = readFileSync(join(assemblyDir, assets[0] ?? '', 'index.mjs'), 'utf8');
  outDir = mkdtempSync(join(tmpdir(), 'auditor-bundle-'));
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('lambda bundling', () => {
  it("builds with auditorEsbuildOptions() exactly the bundle the stack's NodejsFunction deploys", async () => {
    const outfile = join(outDir, 'index.mjs');
    await build({ ...auditorEsbuildOptions(), outfile });
    expect(readFileSync(outfile, 'utf8') === deployed).toBe(true);
  });

  it('is an ESM bundle with a require shim, a source map and the AWS SDK left to the runtime', () => {
    expect(deployed.startsWith(AUDITOR_ESM_BANNER)).toBe(true);
    expect(deployed).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    // Secrets Manager is needed before the audit; CloudWatch is imported lazily while it runs.
    expect(deployed).toMatch(/from\s*"@aws-sdk\/client-secrets-manager"/);
    expect(deployed).toMatch(/import\("@aws-sdk\/client-cloudwatch"\)/);
    expect(deployed).not.toMatch(/GraniteServiceVersion20100801/);
  });

  it('bundles lambda/handler.ts from the project root', () => {
    const paths = auditorBundlePaths();
    expect(paths.entry).toBe(join(paths.projectRoot, 'lambda', 'handler.ts'));
    expect(paths.depsLockFilePath).toBe(join(paths.projectRoot, 'package-lock.json'));
  });
});
