#!/usr/bin/env bash
# Installs the Debian packages S1mpleTrader needs, only those that are missing.
# Works as root or as a user with sudo. Safe to run again: it does nothing when all is there.
set -euo pipefail
packages=(
  g++ cmake ninja-build pkg-config ccache make
  libyaml-cpp-dev nlohmann-json3-dev libfmt-dev libspdlog-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsnappy-dev libzstd-dev zlib1g-dev libhowardhinnant-date-dev tzdata
  chromium
)
# Node.js runs the test oracles of tests/parquet (DuckDB, arrow-rs); only when no node is there.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
