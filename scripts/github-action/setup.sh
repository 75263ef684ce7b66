#!/usr/bin/env bash
# The GitHub Action's first step: make sure the action's own checkout has a current dist/. A
# checkout with dev dependencies only rebuilds; a plain checkout of the repository first installs
# from the lock (the step log says so). The caller's workspace is never touched.
set -euo pipefail
cd "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this through action.yml}"
if [ -f dist/github-action.mjs ] && node scripts/dist-freshness.mjs --check; then
  exit 0
fi
if ! node --input-type=module -e "await import('esbuild')" 2>/dev/null; then
  echo "openrouter-audit: installing the auditor's build tools (npm ci) in ${GITHUB_ACTION_PATH}"
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
fi
node scripts/build.mjs
