// Prints the mutation score per module from Stryker's JSON report (reports/mutation/mutation.json),
// as the Markdown table the README's reliability section shows, then every surviving mutant.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(file, 'utf8'));
const rows = [];
const survivors = [];
const total = { killed: 0, survived: 0, timeout: 0, noCoverage: 0, ignored: 0 };
for (const [path, { mutants }] of Object.entries(report.files).sort()) {
  const n = { killed: 0, survived: 0, timeout: 0, noCoverage: 0, ignored: 0 };
  for (const m of mutants) {
    if (m.status === 'Killed') n.killed += 1;
    // A module-level constant's mutant is "static": it acts only while the module is first
    // evaluated, and the vitest runner does not re-import modules per mutant, so such a mutant
    // can survive without ever having been active. Stryker's ignoreStatic leaves most of them out;
    // those it still runs are counted here with the static ones, not as survivors.
    else if (m.status === 'Survived' && m.static === true) n.ignored += 1;
    else if (m.status === 'Survived') n.survived += 1;
    else if (m.status === 'Timeout') n.timeout += 1;
    else if (m.status === 'NoCoverage') n.noCoverage += 1;
    else if (m.status === 'Ignored') n.ignored += 1;
    if ((m.status === 'Survived' && m.static !== true) || m.status === 'NoCoverage') {
      survivors.push(
        `${path}:${m.location.start.line} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '')} (${m.status})`,
      );
    }
  }
  for (const k of Object.keys(total)) total[k] += n[k];
  rows.push([path, n]);
}
const score = (n) => {
  const detected = n.killed + n.timeout;
  const valid = detected + n.survived + n.noCoverage;
  return valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %`;
};
console.log('| Module | Score | Killed | Timed out | Survived | No coverage | Static (not counted) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [path, n] of rows) {
  console.log(
    `| \`${path}\` | ${score(n)} | ${n.killed} | ${n.timeout} | ${n.survived} | ${n.noCoverage} | ${n.ignored} |`,
  );
}
console.log(
  `| **all** | **${score(total)}** | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | ${total.ignored} |`,
);
if (process.argv.includes('--survivors')) {
  console.log('');
  for (const s of survivors) console.log(s);
}
