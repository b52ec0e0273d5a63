#!/usr/bin/env bash
# Make sure Debian's chromium is installed: the browser tests drive it headless with Playwright
# (never a downloaded browser). Installs the package when running as root (fresh CI machine);
# otherwise says what to install. Source-able: defines ensure_chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

CHROMIUM=/usr/bin/chromium

ensure_chromium() {
  if [ -x "$CHROMIUM" ]; then
    say "Chromium found: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    return
  fi
  [ "$(id -u)" -eq 0 ] || fail "Debian's chromium ($CHROMIUM) is missing: install it, e.g. 'sudo apt-get install chromium', then rerun."
  apt-get update -qq >/dev/null || fail "apt-get update failed (see above); cannot install chromium."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core \
      >/dev/null || fail "apt-get install chromium failed (see above)."
  [ -x "$CHROMIUM" ] || fail "Installed the 'chromium' package but found no $CHROMIUM."
  say "Installed Chromium: $("$CHROMIUM" --version 2>/dev/null)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_chromium
fi
