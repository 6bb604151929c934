#!/usr/bin/env bash
# CI's docs check (.ci/run runs it after the tests, in the project's virtual environment):
# tools/docs_check.py builds what the docs site will show (nbdev-proc-nbs, then nbconvert HTML) and checks it;
# screenshots of index and the tutorials go to $CI_OUT/screenshots/ (default .ci-out/, git-ignored).
# Headless Chromium is installed with apt-get when no browser is there and apt-get can be used (root or sudo -n);
# otherwise the screenshots are skipped with a message and the rest of the check still runs and decides the exit status.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${CI_OUT:-.ci-out}

have_browser() { for b in chromium chromium-browser google-chrome google-chrome-stable; do command -v "$b" >/dev/null && return 0; done; return 1; }
if ! have_browser; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
    echo "CI: installing chromium for the docs screenshots (apt-get)"
    { timeout 45 $sudo apt-get update -qq && \
      timeout 60 $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >/dev/null 2>&1 \
      || echo "CI: apt-get could not install chromium: the docs screenshots will be skipped"
  else
    echo "CI: no apt-get (or no root): the docs screenshots will be skipped"
  fi
fi

# A docs build that runs for minutes means a notebook cell runs training at docs time (docs_check reports which).
# DOCS_CHECK_ARGS passes more options, e.g. DOCS_CHECK_ARGS=--methods-warn lists missing method docs without failing.
# shellcheck disable=SC2086
timeout "${DOCS_CHECK_TIMEOUT:-300}" python tools/docs_check.py --out "$out/docs" --screenshots "$out/screenshots" ${DOCS_CHECK_ARGS:-}
rc=$?
[ "$rc" -ne 124 ] || echo "CI: the docs check ran out of time (${DOCS_CHECK_TIMEOUT:-300} s)"
exit "$rc"
