import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDITOR_ESM_BANNER, auditorBundlePaths, auditorEsbuildOptions } from '../../lib/lambda-bundling';
import { buildAuditor } from './support';

// The bench and the end-to-end tests build the Lambda bundle with esbuild's API from
// auditorEsbuildOptions(); it must be byte for byte what the stack deploys.
let deployed: string;
let assetDir: string;
let template: Template;
let outDir: string;

beforeAll(() => {
  const { app, stack } = buildAuditor({ apiKeySecret: 'openrouter-auditor/api-key' });
  const assemblyDir = app.synth().directory;
  const assets = readdirSync(assemblyDir).filter((name) => name.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  assetDir = join(assemblyDir, assets[0] ?? '');
  deployed = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
  template = Template.fromStack(stack);
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

  it('ships a source map of mappings only, without a copy of the sources', () => {
    const map = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8'));
    expect(map.mappings.length).toBeGreaterThan(0);
    expect(map.sources.length).toBeGreaterThan(0);
    expect(map.sourcesContent ?? []).toEqual([]);
  });

  it('sets NODE_OPTIONS to an option Node.js accepts there and that turns source maps on', () => {
    const options = Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties?.Environment
      ?.Variables?.NODE_OPTIONS;
    expect(options).toBe('--enable-source-maps');
    // Node refuses to start on an option it does not know in NODE_OPTIONS, so check with Node itself.
    const run = spawnSync(process.execPath, ['-e', 'process.exit(process.sourceMapsEnabled ? 0 : 3)'], {
      env: { ...process.env, NODE_OPTIONS: String(options) },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('bundles lambda/handler.ts from the project root', () => {
    const paths = auditorBundlePaths();
    expect(paths.entry).toBe(join(paths.projectRoot, 'lambda', 'handler.ts'));
    expect(paths.depsLockFilePath).toBe(join(paths.projectRoot, 'package-lock.json'));
  });
});
