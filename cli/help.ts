import { DEFAULT_AUDIT_TIMEOUT_MS } from '../lambda/engine/deps';
import { REPORT_FORMATS } from '../lambda/render/report';
import { SCENARIOS } from '../simulator/types';
import { MAX_TIMEOUT_MS } from './args';
import { DEFAULT_FAIL_ON, FAIL_ON_LEVELS } from './scan/fail-on';
import { SCAN_FORMATS } from './scan/formats';

/**
 * `--help`. Examples use `$OPENROUTER_API_KEY`, never a key-shaped string: the CLI must not print
 * anything that looks like a secret, even as an illustration (a test holds it to that).
 */
export function helpText(version: string): string {
  return `openrouter-audit ${version}: production-readiness audit of an OpenRouter integration

Usage:
  openrouter-audit [audit] [options]        audit the account and key (the default command)
  openrouter-audit scan [DIR] [scan options]
                                            check a repository's code against the checklist: keys,
                                            http:// URLs, max_tokens, timeouts, retries, fallbacks,
                                            secret scanning in CI (rules: docs/scan-rules.md);
                                            a deliberate finding is silenced by a comment on the line before:
                                            openrouter-audit-ignore-next-line: RULE -- reason (keys never are)

Audit options:
  --base-url URL               API root (default https://openrouter.ai/api/v1; env OPENROUTER_BASE_URL).
                               Plain http:// is refused except for 127.0.0.1, localhost and [::1].
  --config FILE                audit config as JSON (models, thresholds; see the README); unknown
                               fields are an error
  --format FORMAT              ${REPORT_FORMATS.join(' | ')} (default table). table is coloured only on a
                               terminal and never when NO_COLOR is set; markdown fits a CI job summary
  --timeout MS                 overall deadline of the audit, 1 to ${MAX_TIMEOUT_MS} (default ${DEFAULT_AUDIT_TIMEOUT_MS})
  --simulate [SCENARIO]        start the local OpenRouter simulator and audit it with its fake keys
                               (no key, no network). SCENARIO (default healthy) is one of:
                               ${SCENARIOS.join(', ')}
  --secret-id ID               read the API key from this AWS Secrets Manager secret (bare key or
                               JSON {"apiKey", "managementKey"}) with the default AWS credentials
  --management-secret-id ID    read the management key from this Secrets Manager secret
  --preview-alert              after the report, print the alert this result would send (subject
                               and body); on stderr when the report is json or junit on stdout
  --output FILE                write the report to FILE instead of stdout
  -h, --help                   show this help
  --version                    print the version

Scan options:
  --format FORMAT              ${SCAN_FORMATS.join(' | ')} (default table); sarif for code-scanning uploads
  --fail-on LEVEL              ${FAIL_ON_LEVELS.join(' | ')}: the lowest severity that exits 1
                               (default ${DEFAULT_FAIL_ON}: errors and warnings fail, info is only reported)
  --all                        also scan files git ignores (default in a git work tree: tracked files
                               and untracked ones git does not ignore; outside git, every file)

Environment:
  OPENROUTER_API_KEY           the API key to audit (keys are never accepted as flags)
  OPENROUTER_MANAGEMENT_KEY    optional management key: enables the credits balance, key-age and
                               keys checks
  OPENROUTER_BASE_URL          API root, when --base-url is not given
  NO_COLOR                     any non-empty value turns colour off

Exit codes:
  0  no check failed or errored (warnings and skips allowed); scan: no finding at or above --fail-on
  1  at least one check failed or errored; scan: at least one finding at or above --fail-on
  2  bad usage or bad configuration (one line on stderr says why)

Examples:
  npm run audit -- --simulate                      see every check pass against the simulator
  npm run audit -- --simulate low-credits          see the credits check fail, with its remedy
  openrouter-audit --config audit.json             with $OPENROUTER_API_KEY exported from your secret store
  openrouter-audit --format markdown >> "$GITHUB_STEP_SUMMARY"
  openrouter-audit --format junit --output openrouter-audit.xml
  openrouter-audit --secret-id prod/openrouter --preview-alert
  openrouter-audit scan . --format json
  openrouter-audit scan . --format sarif > openrouter-audit.sarif   # for github/codeql-action/upload-sarif
`;
}
