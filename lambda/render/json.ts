import type { AuditResult, CheckResult, JsonValue } from '../engine/result';
import { type RenderOptions, redactOutput, redactResult } from './options';
import { escapeInvisibleInJson } from './text';

/** One check in the JSON report; key order is part of the public contract. */
export interface JsonCheck {
  readonly id: CheckResult['id'];
  readonly status: CheckResult['status'];
  readonly summary: string;
  readonly remedy?: string;
  readonly values: { readonly [name: string]: JsonValue };
  readonly durationMs: number;
  readonly muted?: true;
  readonly mutedUntil?: string;
  readonly muteReason?: string;
}

/** The JSON report (`--format json`): a public contract. Add fields, never rename or reorder. */
export interface JsonReport {
  readonly ok: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly checks: readonly JsonCheck[];
}

/** Builds the report object with its keys in contract order, whatever order the result was built in. */
export function toJsonReport(result: AuditResult): JsonReport {
  return {
    ok: result.ok,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    checks: result.checks.map((check) => ({
      id: check.id,
      status: check.status,
      summary: check.summary,
      ...(check.remedy === undefined ? {} : { remedy: check.remedy }),
      values: check.values,
      durationMs: check.durationMs,
      ...(check.muted === true
        ? { muted: true as const, mutedUntil: check.mutedUntil ?? '', muteReason: check.muteReason ?? '' }
        : {}),
    })),
  };
}

/** `--format json`: the report as indented JSON, newline-terminated. */
export function renderJson(result: AuditResult, options: RenderOptions = {}): string {
  const report = toJsonReport(redactResult(result, options));
  return redactOutput(`${escapeInvisibleInJson(JSON.stringify(report, null, 2))}\n`, options);
}
