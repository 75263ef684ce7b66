import type { AuditResult, CheckResult } from '../engine/result';
import { muteNote } from './mute-note';
import { type RenderOptions, redactOutput, redactResult } from './options';
import { tallyStatuses } from './tally';
import { INVISIBLE } from './text';

const SUITE = 'openrouter-audit';

// Characters XML 1.0 forbids even as character references: C0 controls other than tab/LF/CR,
// lone surrogates, U+FFFE and U+FFFF. They become U+FFFD so the document stays well-formed.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for XML content or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(INVISIBLE, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values additionally keep their line breaks, which parsers would otherwise fold to spaces. */
const attr = (text: string): string =>
  escapeXml(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');

const seconds = (ms: number): string => (Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0.000');

function details(check: CheckResult): string {
  const lines = [check.summary + muteNote(check)];
  if (check.remedy !== undefined) lines.push(`Remedy: ${check.remedy}`);
  lines.push(`Values: ${JSON.stringify(check.values)}`);
  return escapeXml(lines.join('\n'));
}

function testcase(check: CheckResult): string {
  const open = `    <testcase name="${attr(check.id)}" classname="${SUITE}" time="${seconds(check.durationMs)}"`;
  switch (check.status) {
    case 'pass':
      return `${open}>\n      <system-out>${details(check)}</system-out>\n    </testcase>`;
    case 'warn':
      return `${open}>\n      <system-out>WARN: ${details(check)}</system-out>\n    </testcase>`;
    case 'fail':
      return `${open}>\n      <failure message="${attr(check.summary + muteNote(check))}" type="fail">${details(check)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${attr(check.summary + muteNote(check))}" type="error">${details(check)}</error>\n    </testcase>`;
    case 'skip':
      return `${open}>\n      <skipped message="${attr(check.summary)}"/>\n    </testcase>`;
  }
}

/**
 * `--format junit`: a JUnit XML report with one testsuite "openrouter-audit" and one testcase per
 * check. fail → `<failure>`, error → `<error>`, skip → `<skipped/>`; pass and warn pass, with the summary (prefixed `WARN:`) in `<system-out>`.
 */
export function renderJunit(result: AuditResult, options: RenderOptions = {}): string {
  const safe = redactResult(result, options);
  const tally = tallyStatuses(safe);
  const counts =
    `tests="${safe.checks.length}" failures="${tally.fail}" errors="${tally.error}" skipped="${tally.skip}" ` +
    `time="${seconds(safe.durationMs)}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${SUITE}" ${counts}>`,
    `  <testsuite name="${SUITE}" ${counts} timestamp="${attr(safe.startedAt)}">`,
    ...safe.checks.map(testcase),
    '  </testsuite>',
    '</testsuites>',
  ];
  return redactOutput(`${lines.join('\n')}\n`, options);
}
