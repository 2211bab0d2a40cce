#!/usr/bin/env bash
# Installs what Percolate needs and is missing: Bun at the version pinned in package.json, Java 17+ for
# DynamoDB Local, the workspace dependencies, and (with --browser) Debian's chromium for browser tests.
# Safe to run again: it only installs what is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
[[ "${1:-}" == "--browser" ]] && want_browser=true

say() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: %s\n' "$*" >&2; exit 1; }

apt_updated=false
apt_install() {
  command -v apt-get >/dev/null || die "$1 is missing and this is not a Debian/Ubuntu machine: install $1 yourself."
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "$1 is missing: install it as root (apt-get install -y $*)."
    sudo="sudo"
  fi
  if [[ $apt_updated == false ]]; then
    $sudo apt-get update -qq >/dev/null
    apt_updated=true
  fi
  say "installing $* (apt-get)"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Bun, pinned by "packageManager": "bun@X.Y.Z".
bun_version=$(sed -n 's/.*"packageManager": *"bun@\([0-9.]*\)".*/\1/p' package.json)
[[ -n "$bun_version" ]] || die 'package.json has no "packageManager": "bun@X.Y.Z"'
if [[ "$(bun --version 2>/dev/null || true)" != "$bun_version" ]]; then
  command -v npm >/dev/null || die "Bun $bun_version is needed and npm is missing to install it: install Node.js and npm first."
  say "installing bun@$bun_version (npm)"
  npm install -g --silent "bun@$bun_version" >/dev/null
  hash -r
  [[ "$(bun --version)" == "$bun_version" ]] || die "bun@$bun_version was installed but \`bun --version\` says $(bun --version): check PATH (npm prefix -g)."
fi

# Java 17+ for DynamoDB Local.
java_major=$(java -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -1 || true)
if [[ -z "$java_major" || "$java_major" -lt 17 ]]; then
  apt_install openjdk-17-jre-headless
fi

if [[ $want_browser == true && ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  apt_install chromium
fi

# Workspace dependencies, exactly as the lockfile says.
bun install --frozen-lockfile --silent
