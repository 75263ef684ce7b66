/**
 * The GitHub Action as GitHub runs it: action.yml read with a YAML parser, then each composite
 * step's `run` executed by bash with the step's `env`, `${{ inputs.* }}` replaced by the inputs
 * (or their defaults), and the files GitHub provides (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) faked in
 * a temporary workspace. The audits are of the simulator (`simulate` input).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHECK_IDS } from '../../lambda/engine/result';
import type { JsonReport } from '../../lambda/render/json';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface ActionStep {
  readonly name?: string;
  readonly id?: string;
  readonly shell?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
}
interface ActionYml {
  readonly inputs: Record<string, { readonly default?: string; readonly required?: boolean }>;
  readonly outputs: Record<string, { readonly value: string }>;
  readonly runs: { readonly using: string; readonly steps: readonly ActionStep[] };
}

const action = parse(await readFile(join(root, 'action.yml'), 'utf8')) as ActionYml;

/** GitHub's `${{ inputs.name }}` and `${{ github.action_path }}`, the only expressions the steps use. */
function expand(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([a-z_.-]+)\s*\}\}/g, (_whole, expression: string) => {
    if (expression === 'github.action_path') return root;
    const name = expression.replace(/^inputs\./, '');
    if (!expression.startsWith('inputs.') || !(name in action.inputs))
      throw new Error(`unknown expression ${expression}`);
    return inputs[name] ?? action.inputs[name]?.default ?? '';
  });
}

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'openrouter-audit-action-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

interface ActionRun {
  readonly code: number;
  readonly stdout: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** Runs every step in order, as the runner would, stopping at the first that fails. */
async function runAction(inputs: Record<string, string>): Promise<ActionRun> {
  const outputFile = join(workspace, 'github-output');
  const summaryFile = join(workspace, 'step-summary');
  let stdout = '';
  let code = 0;
  for (const step of action.runs.steps) {
    if (step.run === undefined) throw new Error(`step ${step.name} has no run`);
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, inputs)]));
    const result = await new Promise<{ code: number; stdout: string }>((done) => {
      execFile(
        'bash',
        ['-e', '-c', expand(step.run ?? '', inputs)],
        {
          cwd: workspace,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: workspace,
            GITHUB_ACTION_PATH: root,
            GITHUB_WORKSPACE: workspace,
            GITHUB_OUTPUT: outputFile,
            GITHUB_STEP_SUMMARY: summaryFile,
            RUNNER_TEMP: workspace,
            ...env,
          },
          timeout: 60_000,
        },
        (error, out) =>
          done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout: out }),
      );
    });
    stdout += result.stdout;
    code = result.code;
    if (code !== 0) break;
  }
  const read = (file: string) => readFile(file, 'utf8').catch(() => '');
  const outputs = Object.fromEntries(
    (await read(outputFile))
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { code, stdout, outputs, summary: await read(summaryFile) };
}

describe('action.yml', () => {
  it('is a composite action with the inputs CI needs', () => {
    expect(action.runs.using).toBe('composite');
    for (const input of ['config', 'formats', 'models', 'fail-on', 'api-key', 'management-key']) {
      expect(Object.keys(action.inputs)).toContain(input);
    }
    expect(action.inputs['fail-on']?.default).toBe('error');
  });

  it('declares `ok` and one output per check id, each read from the audit step', () => {
    const audit = action.runs.steps.find((s) => s.id === 'audit');
    expect(audit).toBeDefined();
    for (const output of ['ok', 'exit-code', 'junit-file', ...CHECK_IDS]) {
      expect(action.outputs[output]?.value).toBe(`\${{ steps.audit.outputs.${output} }}`);
    }
  });

  it('hands every input to the audit step (no input declared and never passed)', () => {
    const audit = action.runs.steps.find((s) => s.id === 'audit');
    const passed = Object.values(audit?.env ?? {}).map((v) => /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(v)?.[1]);
    expect(passed.sort()).toEqual(Object.keys(action.inputs).sort());
  });
});

describe('running the action against the simulator', () => {
  it('passes, writes the Markdown summary, the JUnit file and the outputs, and masks the keys', async () => {
    const apiKey = `sk-or-v1-${'9a'.repeat(32)}`;
    const run = await runAction({ simulate: 'healthy', 'api-key': apiKey });
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${apiKey}`);
    expect(run.outputs.ok).toBe('true');
    expect(run.outputs.auth).toBe('pass');
    expect(run.outputs.keys).toBe('pass');
    expect(run.summary).toMatch(/^#+ .*OpenRouter audit/m);
    expect(run.summary).toContain('auth');
    const junit = await readFile(run.outputs['junit-file'] ?? '', 'utf8');
    expect(junit).toContain('<testsuite');
    expect(run.code).toBe(0);
  });

  it('fails the step on a failed check, with an error annotation, and says which check in its output', async () => {
    const run = await runAction({ simulate: 'low-credits' });
    expect(run.outputs.ok).toBe('false');
    expect(run.outputs.credits).toBe('fail');
    expect(run.outputs['exit-code']).toBe('1');
    expect(run.stdout).toMatch(/^::error title=openrouter-audit credits \(fail\)::/m);
    expect(run.code).toBe(1);
  });

  it.each([
    ['error', 0, 'true'],
    ['warn', 1, 'false'],
  ])('with fail-on %s, a warning (a retiring model) ends the step with %i', async (failOn, code, ok) => {
    const run = await runAction({ simulate: 'model-retiring', 'fail-on': failOn });
    expect(run.outputs.models).toBe('warn');
    expect(run.outputs.ok).toBe(ok);
    expect(run.code).toBe(code);
  });

  it('checks the models given as input instead of the config’s', async () => {
    const run = await runAction({
      simulate: 'healthy',
      models: 'openai/gpt-4o-mini, anthropic/claude-3.5-haiku',
      formats: 'json',
    });
    const report = JSON.parse(await readFile(run.outputs['json-file'] ?? '', 'utf8')) as JsonReport;
    expect(report.checks.find((c) => c.id === 'models')?.summary).toContain('anthropic/claude-3.5-haiku');
    expect(run.code).toBe(0);
  });

  it('refuses an unknown fail-on with one error annotation and exit 2', async () => {
    const run = await runAction({ simulate: 'healthy', 'fail-on': 'never' });
    expect(run.stdout).toMatch(/^::error title=openrouter-audit::fail-on must be one of: fail, error, warn/m);
    expect(run.code).toBe(2);
  });
});

describe('the example workflows in docs/examples', () => {
  it.each(['pre-deploy-gate.yml', 'scheduled-audit.yml'])(
    '%s uses the action with inputs it declares',
    async (file) => {
      const workflow = parse(await readFile(join(root, 'docs', 'examples', file), 'utf8')) as {
        jobs: Record<string, { steps?: { uses?: string; with?: Record<string, string> }[] }>;
      };
      const uses = Object.values(workflow.jobs)
        .flatMap((job) => job.steps ?? [])
        .filter((step) => step.uses?.startsWith('openrouter-auditor/openrouter-auditor@'));
      expect(uses.length).toBe(1);
      for (const input of Object.keys(uses[0]?.with ?? {}))
        expect(Object.keys(action.inputs)).toContain(input);
      expect(uses[0]?.with?.['api-key']).toBe(`\${{ secrets.OPENROUTER_API_KEY }}`);
    },
  );
});
