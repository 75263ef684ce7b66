import type { SourceFile } from '../source-file';
import type { Finding } from '../types';
import { docsOf, type ScanRule } from './rule';

/** CI configuration files, by path from the repository root. */
const CI_FILE =
  /^(?:\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.gitlab\/ci\/[^/]+\.ya?ml|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|Jenkinsfile|\.travis\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml|\.woodpecker\/[^/]+\.ya?ml|\.buildkite\/[^/]+\.ya?ml|appveyor\.ya?ml|cloudbuild\.ya?ml|buildspec\.ya?ml|\.cirrus\.ya?ml)$/;

/** Secret scanners, and this tool's own scan (it finds committed OpenRouter keys). */
export const SECRET_SCANNER =
  /gitleaks|trufflehog|trufflesecurity|secretlint|detect-secrets|ggshield|gitguardian|talisman|git-secrets|nosey-?parker|kingfisher|openrouter-audit(?:\.mjs)?\s+scan|VALIDATE_GITLEAKS|semgrep[^\n]*secrets|trivy[^\n]*secret/i;

/** Files a CI job runs through a tool: package.json scripts, a Makefile, pre-commit hooks. */
const TOOL_FILES: ReadonlyArray<readonly [file: RegExp, invoked: RegExp]> = [
  [/^package\.json$/, /\b(?:npm|pnpm|yarn|bun)\b/],
  [/^(?:Makefile|makefile|GNUmakefile|justfile|Taskfile\.ya?ml)$/, /\b(?:make|just|task)\b/],
  [/^\.pre-commit-config\.ya?ml$/, /pre-commit/],
  [/^(?:lefthook\.ya?ml|\.husky\/[^/]+)$/, /lefthook|husky|npm|pnpm|yarn/],
];

/** Script paths a CI file runs: `./scripts/ci.sh`, `bash .ci/run`, `python tools/check.py`. */
const SCRIPT_PATH =
  /(?:^|[\s"'=])\.?\/?((?:[\w.-]+\/)*[\w.-]+\.(?:sh|bash|py|mjs|js|ts)|\.ci\/[\w.-]+|scripts\/[\w.-]+)/g;

/** Files a CI job may run as a script (only these are read for a scanner's name, to stay fast). */
const RUNNABLE = /(?:\.(?:sh|bash)$|^(?:\.ci|ci|scripts|tools|bin)\/)/;

const MESSAGE =
  "CI runs with no secret-scanning step: a key committed by mistake reaches the default branch unnoticed; add gitleaks, trufflehog or secretlint (or this tool's scan) to CI";

export const ciSecretScanRule: ScanRule = {
  id: 'ci-secret-scan',
  heuristic: true,
  suppressible: true,
  severity: 'warn',
  summary: 'CI configuration (GitHub Actions, GitLab CI, …) with no secret-scanning step.',
  check: () => [],
};

/** What the repository's files say about CI and secret scanning, gathered file by file. */
export class CiFacts {
  readonly #ciFiles: string[] = [];
  readonly #invocations: string[] = [];
  readonly #scannerFiles = new Set<string>();
  #direct = false;
  #suppressed = false;

  collect(file: SourceFile): void {
    const path = file.path;
    const ci = CI_FILE.test(path);
    const candidate = ci || TOOL_FILES.some(([tool]) => tool.test(path)) || RUNNABLE.test(path);
    if (!candidate) return;
    const names = SECRET_SCANNER.test(file.text);
    if (ci) {
      this.#ciFiles.push(path);
      if (names) this.#direct = true;
      if (/openrouter-audit-ignore[^\n]*ci-secret-scan/.test(file.text)) this.#suppressed = true;
      for (const [tool, invoked] of TOOL_FILES)
        if (invoked.test(file.text)) this.#invocations.push(tool.source);
      for (const m of file.text.matchAll(SCRIPT_PATH)) this.#invocations.push(`path:${m[1] ?? ''}`);
    } else if (names) {
      this.#scannerFiles.add(path);
    }
  }

  /** Whether CI scans for secrets: directly, or through a tool file or script it runs. */
  #scans(): boolean {
    if (this.#direct) return true;
    for (const invocation of this.#invocations) {
      if (invocation.startsWith('path:')) {
        if (this.#scannerFiles.has(invocation.slice('path:'.length))) return true;
        continue;
      }
      const tool = TOOL_FILES.find(([file]) => file.source === invocation)?.[0];
      if (tool !== undefined && [...this.#scannerFiles].some((p) => tool.test(p))) return true;
    }
    return false;
  }

  /** The finding, when CI is configured and never scans for secrets; counted as suppressed when silenced. */
  finish(): { readonly findings: Finding[]; readonly suppressed: number } {
    if (this.#ciFiles.length === 0 || this.#scans()) return { findings: [], suppressed: 0 };
    if (this.#suppressed) return { findings: [], suppressed: 1 };
    const file = [...this.#ciFiles].sort()[0] ?? '';
    return {
      findings: [
        {
          rule: 'ci-secret-scan',
          file,
          line: 1,
          message: MESSAGE,
          excerpt: `${this.#ciFiles.length} CI file${this.#ciFiles.length === 1 ? '' : 's'}, no secret scanner`,
          heuristic: true,
          severity: 'warn',
          docs: docsOf('ci-secret-scan'),
        },
      ],
      suppressed: 0,
    };
  }
}
