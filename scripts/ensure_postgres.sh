#!/usr/bin/env bash
# Make sure PostgreSQL server binaries (initdb, pg_ctl) exist: the integration tests start a
# throw-away cluster of their own, so nothing here starts a server. Installs the Debian package
# when running as root (fresh CI machine); otherwise says what to install. Source-able: defines
# ensure_postgres.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

postgres_initdb() {
  local found
  found="$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)" || true
  [ -n "$found" ] && echo "$found"
}

ensure_postgres() {
  local initdb
  if initdb="$(postgres_initdb)"; then
    say "PostgreSQL server found: $initdb"
    return
  fi
  [ "$(id -u)" -eq 0 ] || fail "PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) are missing: install them, e.g. 'sudo apt-get install postgresql', then rerun."
  apt-get update -qq >/dev/null || fail "apt-get update failed (see above); cannot install PostgreSQL."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql \
      >/dev/null || fail "apt-get install postgresql failed (see above)."
  initdb="$(postgres_initdb)" || fail "Installed the 'postgresql' package but found no /usr/lib/postgresql/*/bin/initdb."
  say "Installed PostgreSQL server: $initdb"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_postgres
fi
