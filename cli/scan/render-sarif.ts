import { pathToFileURL } from 'node:url';
import { shapeRedactor } from '../../lambda/engine/redact';
import { VERSION } from '../version';
import { DEFAULT_FAIL_ON, type FailOn } from './fail-on';
import { SCAN_RULES } from './rules/index';
import type { ScanReport, Severity } from './types';

/** SARIF's levels for our severities: `warn` is SARIF's `warning`, `info` its `note`. */
const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  error: 'error',
  warn: 'warning',
  info: 'note',
};

/** A URI reference relative to the scanned root (SARIF: `%SRCROOT%`), each segment percent-encoded. */
const uriOf = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/**
 * `--format sarif`: a SARIF 2.1.0 log for code-scanning uploads (GitHub's upload-sarif and others):
 * one run, every rule in tool.driver.rules, one result per finding with its rule, level, message and
 * location relative to the scanned root. Suppressed findings are not listed, as in the other formats.
 */
export function renderScanSarif(report: ScanReport, _failOn: FailOn = DEFAULT_FAIL_ON): string {
  const rules = SCAN_RULES.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.summary },
    // No helpUri: SARIF wants an absolute URI, and the docs ship with the tool, not at a fixed address.
    help: {
      text: `Why it matters and how to fix it: docs/scan-rules.md#${rule.id}`,
      markdown: `Why it matters and how to fix it: [docs/scan-rules.md#${rule.id}](docs/scan-rules.md#${rule.id})`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      heuristic: rule.heuristic,
      suppressible: rule.suppressible,
      tags: ['openrouter', 'security'],
    },
  }));
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const results = report.findings.map((finding) => ({
    ruleId: finding.rule,
    ruleIndex: ruleIndex.get(finding.rule) ?? 0,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(finding.file), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: finding.line,
            ...(finding.column === undefined ? {} : { startColumn: finding.column }),
            snippet: { text: finding.excerpt },
          },
        },
      },
    ],
    properties: { heuristic: finding.heuristic, severity: finding.severity },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'openrouter-audit',
            semanticVersion: VERSION,
            rules,
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: pathToFileURL(`${report.root.replace(/\/+$/, '')}/`).href },
        },
        results,
      },
    ],
  };
  return shapeRedactor.redact(`${JSON.stringify(log, null, 2)}\n`);
}
