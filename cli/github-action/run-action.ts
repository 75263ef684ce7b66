import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AuditResult, CheckStatus } from '../../lambda/engine/result';
import { type ReportFormat, renderReport } from '../../lambda/render/report';
import { SIMULATE_CONFIG } from '../audit-command';
import type { CliIo, TextSink } from '../io';
import { runCli } from '../main';
import { type ActionInputs, FAILING_STATUSES, InputError, readInputs } from './inputs';

/** What the action's step needs of its process; tests pass their own. */
export interface ActionIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The workspace: relative `config` and `output-dir` resolve here. */
  readonly cwd: string;
}

const FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
  json: 'openrouter-audit.json',
  junit: 'openrouter-audit.junit.xml',
  markdown: 'openrouter-audit.md',
  table: 'openrouter-audit.txt',
};

/** Workflow-command data: GitHub's escaping of `%`, CR and LF. */
const commandData = (text: string): string =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * The GitHub Action (action.yml): masks the keys, runs one audit through the CLI (JSON to a file),
 * then writes the Markdown report to the job summary, the requested report files, an annotation per
 * problem and the step outputs (`ok`, `exit-code`, one per check id). Returns the step's exit code:
 * 0 when no check has a status that `fail-on` rejects, 1 when one has, 2 when nothing was audited.
 */
export async function runAction(io: ActionIo): Promise<number> {
  // First, before anything could print them: GitHub hides these strings in the rest of the log.
  for (const name of ['INPUT_API_KEY', 'INPUT_MANAGEMENT_KEY']) {
    const key = io.env[name]?.trim();
    if (key) io.stdout.write(`::add-mask::${key}\n`);
  }
  let inputs: ActionInputs;
  try {
    inputs = readInputs(io.env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stdout.write(`::error title=openrouter-audit::${commandData(error.message)}\n`);
    return 2;
  }

  const outputDir = resolve(io.cwd, inputs.outputDir);
  await mkdir(outputDir, { recursive: true });
  const jsonFile = join(outputDir, FILE_NAMES.json);
  // A report left by an earlier run must never be read as this run's.
  await rm(jsonFile, { force: true });
  const args = ['--format', 'json', '--output', jsonFile];
  if (inputs.simulate !== undefined) args.push('--simulate', inputs.simulate);
  if (inputs.baseUrl !== undefined) args.push('--base-url', inputs.baseUrl);
  if (inputs.timeout !== undefined) args.push('--timeout', inputs.timeout);
  const config = await configArgument(inputs, io);
  if (config === null) return 2;
  if (config !== undefined) args.push('--config', config);

  const cliIo: CliIo = {
    stdout: io.stdout,
    stderr: io.stderr,
    isTTY: false,
    cwd: io.cwd,
    env: {
      ...io.env,
      ...(inputs.apiKey === undefined ? {} : { OPENROUTER_API_KEY: inputs.apiKey }),
      ...(inputs.managementKey === undefined ? {} : { OPENROUTER_MANAGEMENT_KEY: inputs.managementKey }),
    },
  };
  const exitCode = await runCli(args, cliIo);
  let result: AuditResult;
  try {
    // The CLI's own JSON report: the JSON contract is AuditResult's fields, in its order.
    result = JSON.parse(await readFile(jsonFile, 'utf8')) as AuditResult;
  } catch {
    io.stdout.write('::error title=openrouter-audit::the audit could not run (see the lines above)\n');
    await writeOutputs(io.env, { ok: 'false', 'exit-code': String(exitCode) });
    return 2;
  }

  io.stdout.write(renderReport('table', result));
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await appendFile(summaryFile, `${renderReport('markdown', result)}\n`);

  const files: Record<string, string> = { 'json-file': jsonFile };
  for (const format of inputs.formats) {
    if (format === 'json') continue;
    const file = join(outputDir, FILE_NAMES[format]);
    await writeFile(file, renderReport(format, result), 'utf8');
    files[`${format}-file`] = file;
  }

  const failing: readonly CheckStatus[] = FAILING_STATUSES[inputs.failOn];
  for (const check of result.checks) {
    if (check.status === 'pass' || check.status === 'skip') continue;
    const level = failing.includes(check.status) ? 'error' : 'warning';
    const text = check.remedy === undefined ? check.summary : `${check.summary} — ${check.remedy}`;
    io.stdout.write(
      `::${level} title=openrouter-audit ${check.id} (${check.status})::${commandData(text)}\n`,
    );
  }
  const ok = !result.checks.some((check) => failing.includes(check.status));
  await writeOutputs(io.env, {
    ok: String(ok),
    'exit-code': String(exitCode),
    'report-dir': outputDir,
    ...files,
    ...Object.fromEntries(result.checks.map((check) => [check.id, check.status])),
  });
  return ok ? 0 : 1;
}

/**
 * `--config` for the CLI: the given file, or, when `models` is set, a copy of it (or of the
 * defaults) with those models, written to the runner's temp folder. null: already reported.
 */
async function configArgument(inputs: ActionInputs, io: ActionIo): Promise<string | null | undefined> {
  if (inputs.models === undefined) return inputs.config;
  let base: unknown = inputs.simulate === undefined ? {} : { dailyBudgetUsd: SIMULATE_CONFIG.dailyBudgetUsd };
  if (inputs.config !== undefined) {
    try {
      base = JSON.parse(await readFile(resolve(io.cwd, inputs.config), 'utf8'));
    } catch {
      io.stdout.write(
        `::error title=openrouter-audit::config ${commandData(inputs.config)}: cannot read it as JSON to apply the models input\n`,
      );
      return null;
    }
  }
  const merged = { ...(typeof base === 'object' && base !== null ? base : {}), models: inputs.models };
  const file = join(io.env.RUNNER_TEMP ?? tmpdir(), `openrouter-audit-config-${process.pid}.json`);
  await writeFile(file, JSON.stringify(merged), 'utf8');
  return file;
}

/** Step outputs, in the GITHUB_OUTPUT file when there is one. */
async function writeOutputs(
  env: Readonly<Record<string, string | undefined>>,
  outputs: Readonly<Record<string, string>>,
): Promise<void> {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  const lines = Object.entries(outputs).map(([name, value]) => `${name}=${value.replace(/[\r\n]+/g, ' ')}\n`);
  await appendFile(file, lines.join(''), 'utf8');
}
