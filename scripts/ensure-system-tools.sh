#!/usr/bin/env bash
# Installs the Debian tools the test suite drives (listed in scripts/system-tools.txt) when they are
# missing. A line names a command (found on PATH) or, as python3:MODULE, a module Debian's
# /usr/bin/python3 must import. Without root or apt, it says so loudly; under REQUIRE_SERVICES=1
# that is a failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
list=scripts/system-tools.txt
[ -f "$list" ] || exit 0
present() {
  case "$1" in
    python3:*) [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import ${1#python3:}" >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}
missing=()
while read -r command package; do
  case "$command" in ''|'#'*) continue ;; esac
  present "$command" || missing+=("$package")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-tools: installing ${missing[*]}" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null && exit 0
  echo "ensure-system-tools: apt-get install ${missing[*]} failed" >&2
else
  echo "ensure-system-tools: MISSING ${missing[*]} (needs root and apt-get); tests that use them will skip" >&2
fi
[ "${REQUIRE_SERVICES:-0}" = 1 ] && exit 1
exit 0
