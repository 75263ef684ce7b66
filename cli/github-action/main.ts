// The GitHub Action's entry (dist/github-action.mjs, run by action.yml): hands the step's
// environment to runAction and exits with its code. All logic lives in ./run-action.ts.
import { runAction } from './run-action';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const code = await runAction({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.stdout.write('', () => process.exit(code));
