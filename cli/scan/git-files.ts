import { execFile } from 'node:child_process';

/** Longest listing read from git (about a million paths): past it the scan walks the tree instead. */
const MAX_LISTING_BYTES = 64 * 1024 * 1024;

/**
 * The files git would commit from `root`: tracked files plus untracked files that no ignore rule
 * covers (`git ls-files -co --exclude-standard`), relative to `root`, as gitleaks and secretlint
 * users expect. Undefined when `root` is not in a git work tree, git is not installed, or git fails:
 * the caller then walks the tree.
 */
export function gitFiles(root: string, signal?: AbortSignal): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      // No fsmonitor: a repository's own config must not make the scan run a program.
      [
        '-c',
        'core.quotepath=off',
        '-c',
        'core.fsmonitor=false',
        'ls-files',
        '--cached',
        '--others',
        '--exclude-standard',
        '-z',
      ],
      {
        cwd: root,
        encoding: 'buffer',
        maxBuffer: MAX_LISTING_BYTES,
        signal,
        windowsHide: true,
        // The scan reads the tree as it is: git must not prompt, page or take locks.
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0' },
      },
      (error, stdout) => {
        if (error !== null) {
          resolve(undefined);
          return;
        }
        const paths = stdout
          .toString('utf8')
          .split('\0')
          .filter((path) => path !== '');
        // Tracked and untracked lists may both hold a path (an added file deleted from the index).
        resolve([...new Set(paths)]);
      },
    );
  });
}
