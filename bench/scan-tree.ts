import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The repository the scan figure reads: 2,600 files shaped like the OpenRouter TypeScript SDK
 * (the largest repository of the field study: 2,626 files, 14 MB): generated TypeScript models and
 * functions, Markdown docs, examples with chat calls, tests, some Python, JSON and YAML, CI files;
 * plus 2,000 git-ignored dependency files that the scan must not read. A git work tree, as in a
 * clone. Keys and http:// URLs are assembled here at run time, never written in this file.
 */
export const SCAN_TREE_FILES = 2_600;
const IGNORED_FILES = 2_000;

const KINDS = [
  ['src/models', 'ts', 900],
  ['src/funcs', 'ts', 400],
  ['docs/models', 'md', 700],
  ['examples', 'ts', 150],
  ['tests', 'ts', 150],
  ['python/openrouter', 'py', 150],
  ['schemas', 'json', 100],
  ['config', 'yaml', 50],
] as const;

const padding = (n: number): string =>
  Array.from(
    { length: n },
    (_, i) => `  /** Field ${i}: documented as generated. */\n  field${i}?: string | undefined;\n`,
  ).join('');

function content(kind: string, i: number): string {
  switch (kind) {
    case 'ts':
      if (i % 25 === 0) {
        return `import { OpenRouter } from '@openrouter/sdk';\n\nconst openRouter = new OpenRouter({ apiKey: process.env.OPENROUTER_API_KEY });\n\nexport async function run${i}(messages: unknown[]) {\n  const result = await openRouter.chat.send({ model: 'openai/gpt-4o', messages });\n  const again = await fetch('https://openrouter.ai/api/v1/chat/completions', {\n    method: 'POST',\n    body: JSON.stringify({ model: 'openai/gpt-4o', messages, max_tokens: 100 }),\n  });\n  return [result, again];\n}\n`;
      }
      return `import * as z from 'zod';\n\nexport type Model${i} = {\n${padding(40 + (i % 60))}};\n\nexport const Model${i}$inboundSchema = z.object({ id: z.string(), name: z.string().optional() });\n`;
    case 'md':
      return `# Model${i}\n\n## Example Usage\n\n\`\`\`typescript\nimport { Model${i} } from "@openrouter/sdk/models";\n\nlet value: Model${i} = {};\n\`\`\`\n\n## Fields\n\n${'| Field | Type | Required | Description |\n| ----- | ---- | -------- | ----------- |\n'}${Array.from({ length: 30 }, (_, f) => `| \`field${f}\` | *string* | :heavy_minus_sign: | Field ${f}, see [the docs](https://openrouter.ai/docs) |`).join('\n')}\n`;
    case 'py':
      return `import requests\n\nBASE = "https://openrouter.ai/api/v1"\n\n\ndef call_${i}(session, payload):\n    ${i % 10 === 0 ? 'return requests.post(f"{BASE}/chat/completions", json={"model": "x/y", "messages": payload})' : 'return session.get(f"{BASE}/models", timeout=10)'}\n${padding(30).replace(/^ {2}/gm, '# ')}`;
    case 'json':
      return `${JSON.stringify({ $id: `schema-${i}`, type: 'object', properties: Object.fromEntries(Array.from({ length: 60 }, (_, f) => [`field${f}`, { type: 'string', description: `Field ${f}` }])) }, null, 2)}\n`;
    default:
      return `name: config-${i}\nsettings:\n${Array.from({ length: 40 }, (_, f) => `  key${f}: value${f}`).join('\n')}\n`;
  }
}

/** Writes the tree under a fresh temp folder, makes it a git work tree, and returns its path. */
export async function writeScanTree(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'bench-scan-'));
  const files: [string, string][] = [];
  for (const [folder, extension, count] of KINDS) {
    for (let i = 0; i < count; i += 1) files.push([`${folder}/f${i}.${extension}`, content(extension, i)]);
  }
  files.push(['.gitignore', 'node_modules/\n.env\n']);
  files.push(['.env', `OPENROUTER_API_KEY=sk-or-v1-${'ab'.repeat(32)}\n`]);
  files.push([
    '.github/workflows/ci.yml',
    'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
  ]);
  files.push(['README.md', `# SDK\n\nSee [the site](${'http'}://openrouter.ai).\n`]);
  while (files.length < SCAN_TREE_FILES)
    files.push([`misc/f${files.length}.ts`, content('ts', files.length)]);
  for (let i = 0; i < IGNORED_FILES; i += 1) {
    files.push([
      `node_modules/dep${i % 40}/lib/f${i}.js`,
      `module.exports = 'sk-or-v1-${'cd'.repeat(32)}';\n`,
    ]);
  }
  const folders = new Set(files.map(([path]) => dirname(join(root, path))));
  await Promise.all([...folders].map((folder) => mkdir(folder, { recursive: true })));
  for (let i = 0; i < files.length; i += 64) {
    await Promise.all(files.slice(i, i + 64).map(([path, text]) => writeFile(join(root, path), text)));
  }
  execFileSync('git', ['init', '--quiet', root], { stdio: 'ignore' });
  return root;
}
