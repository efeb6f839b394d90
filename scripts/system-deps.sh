#!/bin/sh
# System packages the tests and benchmarks use, from Debian's archive: jing (the reference
# RELAX NG validator the tests cross-check against), chromium (the browser the tests of the
# HTML edition drive through Playwright), npm (fetches axe-core, the accessibility
# checker, at set-up time), xmllint and Saxon-HE (what `make bench` compares with).  Installs only what is missing, and only where it can (root, or
# sudo without a password); otherwise says what to install.
set -eu
need=""
command -v jing >/dev/null 2>&1 || need="$need jing"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v npm >/dev/null 2>&1 || need="$need npm"
# the benchmark's comparisons (make bench): libxml2's xmllint and Saxon-HE
command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
[ -f /usr/share/java/Saxon-HE.jar ] || need="$need libsaxonhe-java"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "system-deps: please install:$need (apt-get install$need); tests that need them are skipped" >&2
  exit 0
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
