import { dirname, resolve } from 'node:path';

/**
 * The folder the user ran the command from, against which `--config`, `--output` and `scan DIR`
 * resolve. `npm run` (and `npm --prefix DIR run`) starts scripts in the package's folder and
 * leaves the caller's folder in INIT_CWD, so INIT_CWD wins while the process still sits where npm
 * put it (the folder of npm_package_json). A script that changed folder itself (`cd sub &&
 * openrouter-audit …`) keeps its own working directory.
 */
export function callerCwd(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const initCwd = env.INIT_CWD?.trim();
  if (!initCwd) return cwd;
  const packageJson = env.npm_package_json?.trim();
  const npmPutUsHere =
    packageJson !== undefined && packageJson !== ''
      ? resolve(dirname(packageJson)) === resolve(cwd)
      : env.npm_lifecycle_event !== undefined;
  return npmPutUsHere ? resolve(initCwd) : cwd;
}
