import { AUDITOR_NODE_OPTIONS } from '../lib/lambda-bundling';
import { costDrivers } from './cost-model';
import { keyPageRounds } from './critical-path';
import type { DeploymentCost } from './deployment-cost';
import type { LambdaBundle } from './lambda-bundle';
import type { LatencyFigures } from './latency-figures';
import type { ScaleFigures } from './scale';
import type { ScanFigures } from './scan-figure';
import { BENCH_MODELS, CHECKLIST_LATENCY_MS, RUNS, SCALE_EXTRA_KEYS, SCALE_LATENCY_MS } from './scenario';
import type { StartupTimes } from './startup';
import { type Figure, figuresTable, kib, markdownTable, ms, ratio, usd } from './table';

/** Targets of issue 6. */
export const TARGETS = {
  criticalPathFactor: 1.25,
  criticalPathSlackMs: 50,
  checklistSpeedup: 3,
  scaleWallMs: 3000,
  scaleRssMb: 150,
  modelsGrowth: 0.1,
  lambdaBundleKb: 600,
  lambdaImportRatio: 3,
  cliHelpRatio: 4,
  cliAuditRatio: 2,
  monthlyUsd: 5,
  /** Issue 13: a 2,600-file repository scanned in at most a second, memory bounded. */
  scanWallMs: 1000,
  scanRssMb: 150,
} as const;

/** Everything the bench measured. */
export interface BenchResults {
  readonly latency: LatencyFigures;
  readonly scale: ScaleFigures;
  readonly bundles: {
    readonly sdkExternal: LambdaBundle;
    readonly sdkBundled: LambdaBundle;
    readonly sdkStubbed: LambdaBundle;
  };
  readonly startup: StartupTimes;
  readonly cost: DeploymentCost;
  readonly scan: ScanFigures;
}

export interface ReportContext {
  /** One line naming the machine. */
  readonly machine: string;
  readonly elapsedMs: number;
}

export interface Report {
  readonly text: string;
  readonly figures: readonly Figure[];
  /** The figures whose target was missed. */
  readonly missed: readonly Figure[];
}

/** The figures with their targets, the cost breakdown and how each figure was measured. */
export function renderReport(results: BenchResults, context: ReportContext): Report {
  const { latency, scale, bundles, startup, cost, scan } = results;
  const figures: Figure[] = [];
  for (const audit of latency.audits) {
    const limit = TARGETS.criticalPathFactor * audit.criticalPathMs + TARGETS.criticalPathSlackMs;
    figures.push({
      figure: `1. Audit wall time at ${audit.latencyMs} ms latency (3 models)`,
      measured: `${ms(audit.wallMs)} (critical path ${ms(audit.criticalPathMs)})`,
      target: `≤ 1.25 × CP + 50 = ${ms(limit)}`,
      met: audit.wallMs <= limit,
    });
  }
  const speedup = latency.checklistMs / latency.auditAtChecklistLatencyMs;
  figures.push({
    figure: `2. One request at a time vs audit at ${CHECKLIST_LATENCY_MS} ms`,
    measured: `${ms(latency.checklistMs)} vs ${ms(latency.auditAtChecklistLatencyMs)}: ${ratio(speedup)} faster`,
    target: `≥ ${TARGETS.checklistSpeedup}×`,
    met: speedup >= TARGETS.checklistSpeedup,
  });
  figures.push({
    figure: `3. 10,000 keys at ${SCALE_LATENCY_MS} ms: audit wall time`,
    measured: ms(scale.wallMs),
    target: `≤ ${ms(TARGETS.scaleWallMs)}`,
    met: scale.wallMs <= TARGETS.scaleWallMs && scale.totalKeys === SCALE_EXTRA_KEYS + 1,
  });
  figures.push({
    figure: '3. 10,000 keys: peak RSS of the audit process',
    measured: `${scale.maxRssMb.toFixed(1)} MB`,
    target: `≤ ${TARGETS.scaleRssMb} MB`,
    met: scale.maxRssMb <= TARGETS.scaleRssMb,
  });
  const growth = latency.threeModelsMs / latency.oneModelMs - 1;
  figures.push({
    figure: `3. 3 models vs 1 model at ${SCALE_LATENCY_MS} ms: wall time growth`,
    measured: `${(growth * 100).toFixed(1)} % (${ms(latency.oneModelMs)} → ${ms(latency.threeModelsMs)})`,
    target: `≤ ${TARGETS.modelsGrowth * 100} %`,
    met: growth <= TARGETS.modelsGrowth,
  });
  figures.push({
    figure: '4. Lambda bundle, AWS SDK external (minified)',
    measured: kib(bundles.sdkExternal.bytes),
    target: `≤ ${TARGETS.lambdaBundleKb} KB`,
    met: bundles.sdkExternal.bytes <= TARGETS.lambdaBundleKb * 1024,
  });
  figures.push({
    figure: '4. Lambda bundle, AWS SDK bundled (minified)',
    measured: kib(bundles.sdkBundled.bytes),
    target: 'figure only',
    met: null,
  });
  const lambdaRatio = startup.lambdaImportMs / startup.nodeBaselineMs;
  figures.push({
    figure: '4. Lambda start + import, SDK external',
    measured: `${ms(startup.lambdaImportMs)} = ${ratio(lambdaRatio)} node -e 0`,
    target: `≤ ${TARGETS.lambdaImportRatio}×`,
    met: lambdaRatio <= TARGETS.lambdaImportRatio,
  });
  figures.push({
    figure: '4. Lambda start + import, SDK bundled',
    measured: `${ms(startup.lambdaBundledImportMs)} = ${ratio(startup.lambdaBundledImportMs / startup.nodeBaselineMs)} node -e 0`,
    target: 'figure only',
    met: null,
  });
  const cliRatio = startup.cliHelpFirstByteMs / startup.nodeBaselineMs;
  figures.push({
    figure: '5. CLI --help: launch to first byte',
    measured: `${ms(startup.cliHelpFirstByteMs)} = ${ratio(cliRatio)} node -e 0`,
    target: `≤ ${TARGETS.cliHelpRatio}×`,
    met: cliRatio <= TARGETS.cliHelpRatio,
  });
  const auditRatio = startup.cliAuditMs / startup.nodeBaselineMs;
  figures.push({
    figure: '5b. CLI full audit at zero latency (--simulate)',
    measured: `${ms(startup.cliAuditMs)} = ${ratio(auditRatio)} node -e 0`,
    target: `≤ ${TARGETS.cliAuditRatio}×`,
    met: auditRatio <= TARGETS.cliAuditRatio,
  });
  figures.push({
    figure: `7. Repository scan, ${scan.treeFiles.toLocaleString('en-US')}-file git work tree: openrouter-audit scan, launch to exit`,
    measured: `${ms(scan.cliMs)} (scan itself ${ms(scan.scanMs)})`,
    target: `≤ ${ms(TARGETS.scanWallMs)}`,
    met: scan.cliMs <= TARGETS.scanWallMs && scan.filesScanned >= scan.treeFiles - 1,
  });
  figures.push({
    figure: '7. Repository scan: peak RSS of the scanning process',
    measured: `${scan.maxRssMb.toFixed(1)} MB`,
    target: `≤ ${TARGETS.scanRssMb} MB`,
    met: scan.maxRssMb <= TARGETS.scanRssMb,
  });
  const total = cost.estimate.totalUsd;
  figures.push({
    figure: `6. Monthly AWS cost, default stack (${cost.inventory.scheduleExpression}, ${cost.models.length} model)`,
    measured: usd(total),
    target: `≤ ${usd(TARGETS.monthlyUsd)}`,
    met: total <= TARGETS.monthlyUsd,
  });

  const out: string[] = [];
  out.push(`Machine: ${context.machine}`);
  out.push(`Baseline: node -e 0 = ${ms(startup.nodeBaselineMs)} (median of ${RUNS.process})`);
  out.push('');
  out.push(figuresTable(figures));
  out.push('');
  out.push(
    `Monthly cost of the default deployment (us-east-1, before free tier, ${Math.round(cost.estimate.invocationsPerMonth)} runs/month):`,
  );
  out.push(
    markdownTable(
      ['Item', 'Basis', 'USD/month'],
      [...cost.estimate.lines.map((l) => [l.item, l.basis, usd(l.usd)]), ['Total', '', usd(total)]],
    ),
  );
  out.push('');
  out.push('What each option does to that bill (each alone, against the default):');
  out.push(
    markdownTable(
      ['Option', 'How', 'Change', 'USD/month'],
      cost.options.map((o) => [
        o.option,
        o.how,
        `${o.deltaUsd < 0 ? '-' : '+'}${usd(Math.abs(o.deltaUsd))}`,
        usd(o.totalUsd),
      ]),
    ),
  );
  if (total > TARGETS.monthlyUsd) {
    const drivers = costDrivers(cost.estimate)
      .map((l) => `${l.item} ${usd(l.usd)}`)
      .join(', ');
    out.push(`Cost target missed by ${usd(total - TARGETS.monthlyUsd)}; driven by: ${drivers}.`);
  }
  out.push('');
  out.push('How each figure was measured:');
  const heaviest = latency.audits[latency.audits.length - 1]?.chain.join(' → ') ?? '';
  const service = Object.entries(latency.serviceMs)
    .map(([endpoint, value]) => `${endpoint} ${value.toFixed(1)}`)
    .join(', ');
  out.push(
    `1. The real engine and client (runAudit + createOpenRouterClient, as the CLI runs them) in this process against the simulator with injected latency; management key, probing on, models ${BENCH_MODELS.join(', ')}; ${RUNS.audit} runs per latency after ${RUNS.warmUp} untimed warm-up audits. Critical path (CP) = the longest chain in the engine's request graph (bench/critical-path.ts, read from the checks: GET /key with both keys, the probes, /credits, /models, /models/{id}/endpoints, /activity and /workspaces all start at once; each workspace's /keys pages follow /workspaces in doubling rounds; derived budgets (/guardrails, its key assignments, the workspace's budgets) follow GET /key when it names the workspace, else the inventory), each step weighted by the injected latency + that endpoint's median time at 0 ms (${service} ms). Longest chains (${latency.modelRoundTrips} round trip${latency.modelRoundTrips === 1 ? '' : 's'}): ${latency.longestChains.join('; ')}; heaviest: ${heaviest}. The call trace of an audit at ${latency.tracedAtMs} ms shows ${latency.tracedRoundTrips} round trip${latency.tracedRoundTrips === 1 ? '' : 's'}${latency.tracedRoundTrips === latency.modelRoundTrips ? ' (agrees with the graph)' : ' (DISAGREES with the graph: check bench/critical-path.ts)'}.`,
  );
  out.push(
    `2. The same ${latency.checklistRequests} requests (same endpoints, keys and bodies) with undici request() one after another on a keep-alive connection, like a checklist of curl calls, interleaved with the audit, ${RUNS.checklist} runs each.`,
  );
  out.push(
    `3. Simulator with ${(SCALE_EXTRA_KEYS + 1).toLocaleString('en-US')} keys (100 full pages of /keys) at ${SCALE_LATENCY_MS} ms; each of ${RUNS.scale} audits (3 models, management key) runs in a fresh child (node dist/bench/bench.mjs scale-child): wall time measured around runAudit in the child (its critical path: ${keyPageRounds(SCALE_EXTRA_KEYS + 1)} rounds of /keys pages ≈ ${ms(keyPageRounds(SCALE_EXTRA_KEYS + 1) * SCALE_LATENCY_MS)} of latency), peak RSS = process.resourceUsage().maxRSS at its end; the keys check counted ${scale.totalKeys ?? 'no'} keys. Models growth: the 5-key account at ${SCALE_LATENCY_MS} ms, 1 vs 3 models interleaved, ${RUNS.modelsGrowth} runs each.`,
  );
  const content = (bundle: LambdaBundle) =>
    bundle.composition
      .slice(0, 4)
      .map((part) => `${part.name} ${kib(part.bytes)}`)
      .join(', ');
  out.push(
    `4. lambda/handler.ts built with esbuild and auditorEsbuildOptions() from lib/lambda-bundling.ts (the construct's options), once as deployed (external: ${bundles.sdkExternal.externals.join(', ')}) and once with nothing external; size of index.mjs without its map (1 KB = 1024 bytes). Largest parts, SDK external: ${content(bundles.sdkExternal)}; SDK bundled: ${content(bundles.sdkBundled)}. Start + import = launch to exit of node ${AUDITOR_NODE_OPTIONS} --input-type=module -e "await import(bundle)" (the function's NODE_OPTIONS), from the project root so the external SDK resolves from node_modules, interleaved with node -e 0, ${RUNS.process} runs each. Where the time goes: importing only the ${bundles.sdkExternal.externals.length} external SDK clients takes ${ms(startup.sdkOnlyImportMs)} = ${ratio(startup.sdkOnlyImportMs / startup.nodeBaselineMs)} node -e 0; the bundle with the SDK stubbed out (everything else: ${kib(bundles.sdkStubbed.bytes)}) ${ms(startup.withoutSdkImportMs)} = ${ratio(startup.withoutSdkImportMs / startup.nodeBaselineMs)}.`,
  );
  out.push(
    `5. node dist/openrouter-audit.mjs --help, launch to the first stdout byte, interleaved with node -e 0, ${RUNS.process} runs each. 5b. node dist/openrouter-audit.mjs --simulate --format json, launch to exit: the simulator started in the same process at zero latency, every check, the JSON report; interleaved likewise.`,
  );
  out.push(
    `6. bench/cost-model.ts fed by the synthesized default stack (${cost.inventory.stackName}: ${cost.inventory.alarms} alarms / ${cost.inventory.alarmMetrics} alarm metrics, ${cost.inventory.dashboards} dashboard, ${cost.inventory.secretsRead} secret, ${cost.inventory.emailSubscriptions} e-mail subscriptions, ${cost.inventory.lambdaMemoryMb} MB, billed at the ${cost.inventory.lambdaTimeoutSeconds} s timeout as an upper bound) and by buildMetricData on a healthy audit with its AUDIT_CONFIG and METRIC_SET=${cost.inventory.metricSet} (API key only, as deployed): ${cost.metricNames.length} custom metric${cost.metricNames.length === 1 ? '' : 's'} in ${cost.putMetricDataCallsPerRun} PutMetricData call per run: ${cost.metricNames.join(', ')}. Not modelled: CloudWatch Logs, AlertDeliveryFailures (published only when a channel fails), dashboard views (GetMetricData)${cost.inventory.compositeAlarms > 0 ? `, ${cost.inventory.compositeAlarms} composite alarms (no price in the model)` : ''}.`,
  );
  out.push(
    `7. bench/scan-tree.ts writes ${scan.treeFiles.toLocaleString('en-US')} files shaped like the OpenRouter TypeScript SDK (the largest repository of the field study) plus 2,000 git-ignored dependency files, as a git work tree; each of ${RUNS.scan} rounds (after one untimed) runs node dist/bench/bench.mjs scan-child (wall time around scanRepository, peak RSS = process.resourceUsage().maxRSS) and node dist/openrouter-audit.mjs scan DIR --format json (launch to exit). Files read: ${scan.filesScanned} (${scan.selection} selection), findings: ${scan.findings}.`,
  );
  out.push('');
  const missed = figures.filter((f) => f.met === false);
  out.push(
    `Bench time: ${(context.elapsedMs / 1000).toFixed(1)} s. ${missed.length === 0 ? 'Every target met.' : `Targets missed: ${missed.map((f) => f.figure).join('; ')}.`}`,
  );
  return { text: `${out.join('\n')}\n`, figures, missed };
}
