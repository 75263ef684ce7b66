/**
 * The sample outputs shown in docs/, produced by the real engine, client and renderers against the
 * simulator, as `npm run audit -- --simulate [SCENARIO]` prints them. The clock is fixed; the only
 * figures that still vary per run (wall times) are pinned to round values before rendering.
 */

import { SIMULATE_CONFIG } from '../../cli/audit-command';
import { previewAlert } from '../../lambda/alerts/render-alert';
import { silentLogger } from '../../lambda/engine/logger';
import { Redactor } from '../../lambda/engine/redact';
import type { AuditResult, CheckResult, JsonValue } from '../../lambda/engine/result';
import { runAudit } from '../../lambda/engine/run-audit';
import { createOpenRouterClient } from '../../lambda/openrouter/client';
import { renderReport } from '../../lambda/render/report';
import { startSimulator } from '../../simulator/server';
import type { ScenarioName, Simulator } from '../../simulator/types';

/** A Wednesday noon (UTC): the week's and the day's spend are mid-period, as on a typical run. */
export const SAMPLE_NOW = new Date('2026-11-25T12:00:00.000Z');
/** Wall times shown in the samples; real runs differ, so these are fixed rather than measured. */
export const SAMPLE_AUDIT_MS = 412;
export const SAMPLE_CHECK_MS = 35;
export const SAMPLE_LATENCY_MS = 310;

export interface DocSample {
  /**
   * The info string of the fenced block. `json5` for the JSON report: GitHub highlights it, and Biome
   * leaves it as printed (it reflows `json` blocks, which would make the sample differ from the output).
   */
  readonly lang: string;
  readonly text: string;
}

/** Every sample by name, as `<!-- sample:NAME -->` blocks in the docs name them. */
export async function generateSamples(): Promise<ReadonlyMap<string, DocSample>> {
  const sim = await startSimulator({ now: () => SAMPLE_NOW });
  const redactor = new Redactor().add(sim.apiKey).add(sim.managementKey);
  try {
    const healthy = await auditScenario(sim, 'healthy');
    const lowCredits = await auditScenario(sim, 'low-credits');
    const { subject, text } = previewAlert(lowCredits, {
      environmentName: '',
      dashboardUrl: '',
      runAt: new Date(lowCredits.startedAt),
      redactor,
    });
    return new Map<string, DocSample>([
      ['healthy-table', { lang: 'text', text: renderReport('table', healthy, { redactor }) }],
      ['low-credits-table', { lang: 'text', text: renderReport('table', lowCredits, { redactor }) }],
      ['json-report', { lang: 'json5', text: renderReport('json', lowCredits, { redactor }) }],
      ['alert-low-credits', { lang: 'text', text: redactor.redact(`Subject: ${subject}\n\n${text}`) }],
    ]);
  } finally {
    await sim.close();
  }
}

async function auditScenario(sim: Simulator, scenario: ScenarioName): Promise<AuditResult> {
  sim.setScenario(scenario);
  const api = createOpenRouterClient({
    baseUrl: sim.baseUrl,
    apiKey: sim.apiKey,
    managementKey: sim.managementKey,
  });
  try {
    const result = await runAudit(SIMULATE_CONFIG, { api, now: () => SAMPLE_NOW, logger: silentLogger });
    return withFixedTimes(result);
  } finally {
    await api.close();
  }
}

/** The result with its wall times (durations, probe latencies and the summary that quotes one) pinned. */
export function withFixedTimes(result: AuditResult): AuditResult {
  return {
    ...result,
    durationMs: SAMPLE_AUDIT_MS,
    checks: result.checks.map((check): CheckResult => {
      const probes = check.values.probes;
      return {
        ...check,
        summary: check.summary.replace(/\b(answered in|took) \d+ ms\b/g, `$1 ${SAMPLE_LATENCY_MS} ms`),
        values: Array.isArray(probes) ? { ...check.values, probes: probes.map(fixLatency) } : check.values,
        durationMs: SAMPLE_CHECK_MS,
      };
    }),
  };
}

function fixLatency(probe: JsonValue): JsonValue {
  if (!isRecord(probe)) return probe;
  return typeof probe.latencyMs === 'number' ? { ...probe, latencyMs: SAMPLE_LATENCY_MS } : probe;
}

// Array.isArray does not narrow a readonly array out of a union.
function isRecord(value: JsonValue): value is { readonly [k: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
