import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type AuditConfig, DEFAULT_CONFIG, parseAuditConfig } from '../lambda/engine/config';
import type { AuditDeps } from '../lambda/engine/deps';
import { Redactor } from '../lambda/engine/redact';
import { type AuditResult, countsAsProblem } from '../lambda/engine/result';
import { runAudit } from '../lambda/engine/run-audit';
import { proxySettings } from '../lambda/http/proxy-settings';
import { resolveBaseUrl } from '../lambda/openrouter/base-url';
import { createOpenRouterClient } from '../lambda/openrouter/client';
import { resolveTimeouts } from '../lambda/openrouter/client-options';
import { isOpenRouterError } from '../lambda/openrouter/errors';
import { renderReport } from '../lambda/render/report';
import type { Simulator } from '../simulator/types';
import type { AuditArgs } from './args';
import { shouldUseColor } from './color';
import { loadConfigFile } from './config-file';
import { EXIT, type ExitCode } from './exit-codes';
import type { CliIo, TextSink } from './io';
import { KEY_ENV, type ResolvedKeys, resolveKeys } from './resolve-keys';
import { stderrLogger } from './stderr-logger';
import { UsageError } from './usage-error';

const BASE_URL_ENV = 'OPENROUTER_BASE_URL';

/**
 * The config `--simulate` uses when no `--config` is given: the defaults plus a daily budget, so
 * that the demo exercises every check (the `spend` check skips without a budget) and the
 * `over-budget` scenario has something to exceed. The healthy simulator spends 1.2 USD a day.
 */
export const SIMULATE_CONFIG: AuditConfig = parseAuditConfig(
  // The key budget gives the key-over-budget scenario something to exceed (issue 14).
  { dailyBudgetUsd: 50, keyBudgets: [{ match: 'batch-jobs-*', dailyUsd: 5 }] },
  'simulate config',
);

/** Where the audit sends its requests and with which keys. */
interface Target {
  readonly baseUrl?: string;
  readonly keys: ResolvedKeys;
  readonly simulator?: Simulator;
}

/**
 * `openrouter-audit [audit]`: validates everything it can before the first request (config file,
 * base URL), audits, renders the report and returns 0, 1 or 2. Every byte written goes through a
 * Redactor that knows the keys in use.
 */
export async function runAuditCommand(args: AuditArgs, io: CliIo): Promise<ExitCode> {
  const cwd = io.cwd ?? process.cwd();
  const redactor = new Redactor();
  const config: AuditConfig =
    args.configFile !== undefined
      ? await loadConfigFile(args.configFile, cwd)
      : args.simulate !== undefined
        ? SIMULATE_CONFIG
        : DEFAULT_CONFIG;
  // Before any request: a report that cannot be written must not cost a billable probe first.
  if (args.output !== undefined) await checkOutputPath(resolve(cwd, args.output), args.output);
  const target = await openTarget(args, io);
  try {
    // The environment's keys too, even when --simulate or a secret replaced them: unused is not unprintable.
    for (const key of [
      target.keys.apiKey,
      target.keys.managementKey,
      target.simulator?.apiKey,
      target.simulator?.managementKey,
      io.env[KEY_ENV.apiKey],
      io.env[KEY_ENV.managementKey],
    ]) {
      redactor.add(key);
    }
    const logger = stderrLogger(io.stderr, redactor);
    if (target.simulator) {
      io.stderr.write(
        redactor.redact(
          `openrouter-audit: auditing the local simulator at ${target.simulator.baseUrl} (scenario ${args.simulate ?? 'healthy'}${args.configFile === undefined ? `, dailyBudgetUsd ${SIMULATE_CONFIG.dailyBudgetUsd}` : ''})\n`,
        ),
      );
    }

    const proxy = await proxyDispatcher(io.env);
    const client = createOpenRouterClient({
      ...(proxy === null ? {} : { dispatcher: proxy.dispatcher }),
      ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }),
      ...(target.keys.apiKey === undefined ? {} : { apiKey: target.keys.apiKey }),
      ...(target.keys.managementKey === undefined ? {} : { managementKey: target.keys.managementKey }),
      logger,
    });
    let result: AuditResult;
    try {
      const deps: AuditDeps = {
        api: client,
        now: () => new Date(),
        logger,
        ...(target.keys.apiKeyProblem === undefined ? {} : { apiKeyProblem: target.keys.apiKeyProblem }),
        ...(target.keys.managementKeyProblem === undefined
          ? {}
          : { managementKeyProblem: target.keys.managementKeyProblem }),
        ...(target.keys.keyCreatedAt === undefined ? {} : { keyCreatedAt: target.keys.keyCreatedAt }),
      };
      result = await runAudit(config, deps, { timeoutMs: args.timeoutMs });
    } finally {
      await client.close();
      await proxy?.close();
    }

    const report = renderReport(args.format, result, {
      redactor,
      color: args.output === undefined && shouldUseColor(io),
    });
    if (args.output === undefined) io.stdout.write(report);
    else await writeReport(resolve(cwd, args.output), args.output, report);

    if (args.previewAlert) {
      const machineReadableOnStdout =
        args.output === undefined && (args.format === 'json' || args.format === 'junit');
      await writeAlertPreview(result, redactor, machineReadableOnStdout ? io.stderr : io.stdout);
    }
    return !result.ok || result.checks.some(countsAsProblem) ? EXIT.problems : EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Redacted here, where the keys are known: the caller only knows key shapes.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr.write(
      `${redactor.redact(`openrouter-audit: the audit could not run: ${reason}`).replace(/[\r\n]+/g, ' ')}\n`,
    );
    return EXIT.problems;
  } finally {
    await target.simulator?.close();
  }
}

/**
 * The proxy from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, with the client's own connect and keep-alive
 * settings, or null (the client then builds its own Agent). Its modules load only when a proxy is set.
 */
async function proxyDispatcher(env: CliIo['env']) {
  const settings = proxySettings(env);
  if (settings === null) return null;
  const { createProxyDispatcher } = await import('../lambda/http/proxy-dispatcher');
  const timeouts = resolveTimeouts({});
  return createProxyDispatcher(settings, {
    connect: { timeout: timeouts.connectTimeoutMs },
    headersTimeout: timeouts.headersTimeoutMs,
    bodyTimeout: timeouts.bodyTimeoutMs,
    keepAliveTimeout: 10_000,
  });
}

/** Validates the base URL and finds the keys, or starts the simulator; sends no request to OpenRouter. */
async function openTarget(args: AuditArgs, io: CliIo): Promise<Target> {
  if (args.simulate !== undefined) {
    const { startSimulator } = await import('../simulator/server');
    const simulator = await startSimulator({ scenario: args.simulate });
    return {
      baseUrl: simulator.baseUrl,
      keys: { apiKey: simulator.apiKey, managementKey: simulator.managementKey },
      simulator,
    };
  }
  const fromEnv = io.env[BASE_URL_ENV]?.trim();
  const baseUrl = args.baseUrl ?? (fromEnv ? fromEnv : undefined);
  if (baseUrl !== undefined) {
    try {
      resolveBaseUrl(baseUrl);
    } catch (error) {
      if (!isOpenRouterError(error)) throw error;
      throw new UsageError(`${args.baseUrl === undefined ? BASE_URL_ENV : '--base-url'}: ${error.message}`);
    }
  }
  const keys = await resolveKeys(
    {
      ...(args.secretId === undefined ? {} : { secretId: args.secretId }),
      ...(args.managementSecretId === undefined ? {} : { managementSecretId: args.managementSecretId }),
    },
    io,
    // The reads count against --timeout like the audit: a hung Secrets Manager must not hang CI.
    { signal: AbortSignal.timeout(args.timeoutMs) },
  );
  return { ...(baseUrl === undefined ? {} : { baseUrl }), keys };
}

/**
 * `--output` must name a file in a directory that exists and that we may write to, and not a
 * directory itself; checked without creating anything.
 */
async function checkOutputPath(path: string, shown: string): Promise<void> {
  const refuse = (why: string) => new UsageError(`--output ${shown}: ${why}`);
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw refuse('is a directory; give a file name');
  const directory = dirname(path);
  const parent = await stat(directory).catch(() => null);
  if (parent === null) throw refuse(`the directory ${directory} does not exist`);
  if (!parent.isDirectory()) throw refuse(`${directory} is not a directory`);
  try {
    await access(existing === null ? directory : path, constants.W_OK);
  } catch {
    throw refuse(
      existing === null ? `the directory ${directory} is not writable` : 'the file is not writable',
    );
  }
}

async function writeReport(path: string, shown: string, report: string): Promise<void> {
  try {
    await writeFile(path, report, 'utf8');
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
    throw new UsageError(`--output ${shown}: cannot write the file (${code})`);
  }
}

/** The alert preview; its renderer (and node:crypto, for the alert's fingerprint) loads only for --preview-alert. */
async function writeAlertPreview(result: AuditResult, redactor: Redactor, sink: TextSink): Promise<void> {
  const { previewAlert } = await import('../lambda/alerts/render-alert');
  const { subject, text } = previewAlert(result, {
    environmentName: '',
    dashboardUrl: '',
    runAt: new Date(result.startedAt),
    redactor,
  });
  sink.write(
    redactor.redact(
      `\n--- Alert preview (what the scheduled auditor would send) ---\nSubject: ${subject}\n\n${text}`,
    ),
  );
}
