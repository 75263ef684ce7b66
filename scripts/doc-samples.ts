/**
 * `npm run docs:samples`: regenerates every `<!-- sample:NAME -->` block in README.md and docs/*.md
 * from the real code (see doc-samples/generate.ts). test/docs/doc-samples.test.ts fails when a
 * block differs from what this would write, so a sample in the docs cannot drift from the product.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fillSamples } from './doc-samples/blocks';
import { docFiles } from './doc-samples/files';
import { generateSamples } from './doc-samples/generate';

const ROOT = resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const samples = await generateSamples();
  const used = new Set<string>();
  let problems = 0;
  for (const file of await docFiles(ROOT)) {
    const before = await readFile(file, 'utf8');
    const filled = fillSamples(before, samples);
    for (const name of filled.names) used.add(name);
    for (const name of filled.unknown) {
      process.stderr.write(`docs:samples: ${relative(ROOT, file)}: no sample named ${name}\n`);
      problems += 1;
    }
    if (filled.text !== before) {
      await writeFile(file, filled.text, 'utf8');
      process.stdout.write(`docs:samples: updated ${relative(ROOT, file)}\n`);
    }
  }
  for (const name of samples.keys()) {
    if (!used.has(name)) {
      process.stderr.write(
        `docs:samples: sample ${name} is shown nowhere (no <!-- sample:${name} --> block)\n`,
      );
      problems += 1;
    }
  }
  process.exitCode = problems > 0 ? 1 : 0;
}

await main();
