import { DEFAULT_AUDIT_TIMEOUT_MS } from '../lambda/engine/deps';
import { shapeRedactor } from '../lambda/engine/redact';
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from '../lambda/render/report';
import { SCENARIOS, type ScenarioName } from '../simulator/types';
import { FAIL_ON_LEVELS, type FailOn, isFailOn } from './scan/fail-on';
import { isScanFormat, SCAN_FORMATS, type ScanFormat } from './scan/formats';
import { UsageError } from './usage-error';

/** `openrouter-audit [audit] [options]`: the flags are a public contract, documented in cli/help.ts. */
export interface AuditArgs {
  readonly kind: 'audit';
  /** `--base-url URL`; the environment's OPENROUTER_BASE_URL is applied later, by the command. */
  readonly baseUrl?: string;
  /** `--config FILE` */
  readonly configFile?: string;
  /** `--format` @default "table" */
  readonly format: ReportFormat;
  /** `--timeout MS` @default 25000 */
  readonly timeoutMs: number;
  /** `--simulate [SCENARIO]`: audit a local simulator in this state. */
  readonly simulate?: ScenarioName;
  /** `--secret-id ID` */
  readonly secretId?: string;
  /** `--management-secret-id ID` */
  readonly managementSecretId?: string;
  /** `--preview-alert` */
  readonly previewAlert: boolean;
  /** `--output FILE`: the report goes to this file instead of stdout. */
  readonly output?: string;
}

/** `openrouter-audit scan [DIR] [--format table|json|sarif] [--fail-on LEVEL] [--all]` */
export interface ScanArgs {
  readonly kind: 'scan';
  /** @default "." */
  readonly dir: string;
  readonly format: ScanFormat;
  /** `--fail-on error|warn|info|none`; absent means the scan's default (warn). */
  readonly failOn?: FailOn;
  /** `--all`: scan files git ignores too. */
  readonly all?: true;
}

export type CliCommand = { readonly kind: 'help' } | { readonly kind: 'version' } | AuditArgs | ScanArgs;

/** The longest `--timeout` accepted: ten minutes is far beyond any sane audit. */
export const MAX_TIMEOUT_MS = 600_000;

// Keys must come from the environment (or Secrets Manager), never from argv, where they would be
// kept in shell history and shown to every user of `ps`.
const KEY_FLAG = /^--(openrouter-)?(api-?key|management-?key|mgmt-?key|key|token)$/i;

const AUDIT_VALUE_FLAGS = [
  '--base-url',
  '--config',
  '--format',
  '--timeout',
  '--secret-id',
  '--management-secret-id',
  '--output',
] as const;
type AuditValueFlag = (typeof AUDIT_VALUE_FLAGS)[number];
const isAuditValueFlag = (name: string): name is AuditValueFlag =>
  (AUDIT_VALUE_FLAGS as readonly string[]).includes(name);

/**
 * A token as echoed in an error message: key shapes masked first (a cut key would escape the
 * mask), then short, so that a pasted secret is not repeated in full.
 */
const quote = (token: string): string => {
  const masked = shapeRedactor.redact(token);
  return JSON.stringify(masked.length > 40 ? `${masked.slice(0, 20)}…` : masked);
};

/**
 * The longest value a flag takes: a Secrets Manager ARN is at most 2,048 characters, and so is
 * any sane URL or path. A longer value is a mistake (or an attack on the error line).
 */
export const MAX_FLAG_VALUE_CHARS = 2048;

interface Token {
  readonly name: string;
  readonly inline?: string;
}

function splitFlag(token: string): Token {
  const eq = token.indexOf('=');
  return eq === -1 ? { name: token } : { name: token.slice(0, eq), inline: token.slice(eq + 1) };
}

function refuseKeyFlag(name: string): void {
  if (KEY_FLAG.test(name)) {
    throw new UsageError(
      `${name} is not accepted: keys are read from the OPENROUTER_API_KEY and OPENROUTER_MANAGEMENT_KEY environment variables (or Secrets Manager with --secret-id), so they never land in shell history or process lists`,
    );
  }
}

/**
 * Parses argv (without `node` and the script). Throws UsageError, naming the flag and what is
 * allowed, for anything it does not understand. `--help` and `--version` win wherever they appear.
 */
export function parseArgs(argv: readonly string[]): CliCommand {
  const beforeSeparator = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (beforeSeparator.some((t) => t === '--help' || t === '-h')) return { kind: 'help' };
  if (beforeSeparator.some((t) => t === '--version')) return { kind: 'version' };

  const [first, ...rest] = argv;
  if (first === 'scan') return parseScan(rest);
  if (first === 'audit') return parseAudit(rest);
  if (first === 'help') return { kind: 'help' };
  return parseAudit(argv);
}

function parseAudit(argv: readonly string[]): AuditArgs {
  const values = new Map<AuditValueFlag, string>();
  let simulate: ScenarioName | undefined;
  let simulateSeen = false;
  let previewAlert = false;

  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? '';
    if (token === '--') {
      if (i + 1 < argv.length) throw new UsageError(`unexpected argument ${quote(argv[i + 1] ?? '')}`);
      break;
    }
    if (!token.startsWith('-')) {
      throw new UsageError(
        `unexpected argument ${quote(token)}: the audit takes only options (to scan a directory: openrouter-audit scan DIR)`,
      );
    }
    const { name, inline } = splitFlag(token);
    refuseKeyFlag(name);
    if (name === '--simulate') {
      if (simulateSeen) throw new UsageError('--simulate is given twice');
      simulateSeen = true;
      const next = argv[i + 1];
      let scenario = inline;
      if (scenario === undefined && next !== undefined && !next.startsWith('-')) {
        scenario = next;
        i += 1;
      }
      simulate = parseScenario(scenario ?? 'healthy');
      continue;
    }
    if (name === '--preview-alert') {
      if (inline !== undefined) throw new UsageError('--preview-alert takes no value');
      previewAlert = true;
      continue;
    }
    if (!isAuditValueFlag(name)) throw new UsageError(`unknown option ${quote(name)}`);
    if (values.has(name)) throw new UsageError(`${name} is given twice`);
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${name} needs a value`);
      value = next;
      i += 1;
    }
    if (value.trim() === '') throw new UsageError(`${name} needs a non-empty value`);
    if (value.length > MAX_FLAG_VALUE_CHARS) {
      throw new UsageError(
        `${name} is longer than ${MAX_FLAG_VALUE_CHARS.toLocaleString('en-US')} characters`,
      );
    }
    values.set(name, value);
  }

  if (simulate !== undefined) {
    for (const conflicting of ['--base-url', '--secret-id', '--management-secret-id'] as const) {
      if (values.has(conflicting)) {
        throw new UsageError(
          `${conflicting} cannot be combined with --simulate, which audits a local simulator with its own fake keys`,
        );
      }
    }
  }

  const baseUrl = values.get('--base-url');
  const configFile = values.get('--config');
  const secretId = values.get('--secret-id');
  const managementSecretId = values.get('--management-secret-id');
  const output = values.get('--output');
  return {
    kind: 'audit',
    format: parseFormat(values.get('--format') ?? 'table'),
    timeoutMs: parseTimeout(values.get('--timeout')),
    previewAlert,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(configFile === undefined ? {} : { configFile }),
    ...(simulate === undefined ? {} : { simulate }),
    ...(secretId === undefined ? {} : { secretId }),
    ...(managementSecretId === undefined ? {} : { managementSecretId }),
    ...(output === undefined ? {} : { output }),
  };
}

function parseScan(argv: readonly string[]): ScanArgs {
  let dir: string | undefined;
  let format: ScanFormat | undefined;
  let failOn: FailOn | undefined;
  let all = false;
  let afterSeparator = false;
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? '';
    if (!afterSeparator && token === '--') {
      afterSeparator = true;
      continue;
    }
    if (afterSeparator || !token.startsWith('-') || token === '-') {
      if (dir !== undefined)
        throw new UsageError(`scan takes one directory; unexpected argument ${quote(token)}`);
      dir = token;
      continue;
    }
    const { name, inline } = splitFlag(token);
    refuseKeyFlag(name);
    if (name === '--all') {
      if (inline !== undefined) throw new UsageError('--all takes no value');
      all = true;
      continue;
    }
    if (name !== '--format' && name !== '--fail-on')
      throw new UsageError(
        `unknown option ${quote(name)} for scan (scan accepts only --format ${SCAN_FORMATS.join('|')}, --fail-on ${FAIL_ON_LEVELS.join('|')} and --all)`,
      );
    if ((name === '--format' ? format : failOn) !== undefined) throw new UsageError(`${name} is given twice`);
    let value = inline;
    if (value === undefined) {
      value = argv[i + 1];
      i += 1;
    }
    if (name === '--fail-on') {
      if (!isFailOn(value)) throw new UsageError(`--fail-on must be one of: ${FAIL_ON_LEVELS.join(', ')}`);
      failOn = value;
      continue;
    }
    if (!isScanFormat(value)) {
      throw new UsageError(`--format for scan must be one of: ${SCAN_FORMATS.join(', ')}`);
    }
    format = value;
  }
  return {
    kind: 'scan',
    dir: dir ?? '.',
    format: format ?? 'table',
    ...(failOn === undefined ? {} : { failOn }),
    ...(all ? { all: true as const } : {}),
  };
}

function parseFormat(value: string): ReportFormat {
  if (isReportFormat(value)) return value;
  throw new UsageError(`--format must be one of: ${REPORT_FORMATS.join(', ')} (got ${quote(value)})`);
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_AUDIT_TIMEOUT_MS;
  const ms = /^[0-9]{1,7}$/.test(value) ? Number(value) : Number.NaN;
  if (ms >= 1 && ms <= MAX_TIMEOUT_MS) return ms;
  throw new UsageError(
    `--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (got ${quote(value)})`,
  );
}

function parseScenario(value: string): ScenarioName {
  const scenario = SCENARIOS.find((s) => s === value);
  if (scenario !== undefined) return scenario;
  throw new UsageError(
    `--simulate: unknown scenario ${quote(value)}; valid scenarios: ${SCENARIOS.join(', ')}`,
  );
}
