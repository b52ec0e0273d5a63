#!/usr/bin/env bash
# Make sure Debian's nginx and redis-server binaries exist: the scale-out set-up
# (scripts/scale_out.py, tests/e2e/test_scale_out.py) starts private instances of both on free
# loopback ports, so nothing here starts, or leaves enabled, the system services. Installs the
# packages when running as root (fresh CI machine); otherwise says what to install. Source-able:
# defines ensure_scale_out.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

NGINX=/usr/sbin/nginx
REDIS_SERVER=/usr/bin/redis-server

# apt-get without starting services: a package's postinst asks invoke-rc.d, which asks
# policy-rc.d; exit 101 means "not allowed". Any policy already in place is put back afterwards.
apt_install_without_starting() {
  local policy=/usr/sbin/policy-rc.d backup="" status=0
  if [ -e "$policy" ]; then
    backup="$(mktemp)"
    cp -p "$policy" "$backup"
  fi
  printf '#!/bin/sh\n# ensure_scale_out.sh: do not start services while installing\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
      >/dev/null || status=$?
  if [ -n "$backup" ]; then mv "$backup" "$policy"; else rm -f "$policy"; fi
  # On a systemd machine the units would still start at the next boot (nginx's default site
  # listens on every interface): we only want the binaries.
  if [ "$status" -eq 0 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    local unit
    for unit in "$@"; do
      systemctl disable --quiet "$unit" 2>/dev/null || true
    done
  fi
  return "$status"
}

ensure_scale_out() {
  local missing=()
  [ -x "$NGINX" ] || missing+=(nginx)
  [ -x "$REDIS_SERVER" ] || missing+=(redis-server)
  if [ "${#missing[@]}" -eq 0 ]; then
    say "nginx and Redis found: $("$NGINX" -v 2>&1 | sed 's/.*: //'), $("$REDIS_SERVER" --version | cut -d' ' -f3)"
    return
  fi
  [ "$(id -u)" -eq 0 ] || fail "The scale-out set-up needs Debian's ${missing[*]} ($NGINX, $REDIS_SERVER): install them, e.g. 'sudo apt-get install --no-install-recommends ${missing[*]}' (no need to start the services), then rerun."
  apt-get update -qq >/dev/null || fail "apt-get update failed (see above); cannot install ${missing[*]}."
  apt_install_without_starting "${missing[@]}" || fail "apt-get install ${missing[*]} failed (see above)."
  [ -x "$NGINX" ] || fail "Installed 'nginx' but found no $NGINX."
  [ -x "$REDIS_SERVER" ] || fail "Installed 'redis-server' but found no $REDIS_SERVER."
  say "Installed ${missing[*]} (services not started): $("$NGINX" -v 2>&1 | sed 's/.*: //'), $("$REDIS_SERVER" --version | cut -d' ' -f3)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_scale_out
fi
