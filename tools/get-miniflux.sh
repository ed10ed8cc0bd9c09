#!/usr/bin/env bash
# Print the path of a miniflux binary: /usr/bin/miniflux when installed, else the binary of
# Debian 13's package, downloaded once with apt into a cache directory and unpacked with
# dpkg-deb -x. The machine's apt sources are never changed: the trixie source lives in a
# temporary apt directory passed with -o options.
set -euo pipefail
if [ -x /usr/bin/miniflux ]; then echo /usr/bin/miniflux; exit 0; fi
cache="${NATOREAD_MINIFLUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/natoread/miniflux}"
binary="$cache/root/usr/bin/miniflux"
if [ -x "$binary" ]; then echo "$binary"; exit 0; fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || {
  echo "get-miniflux: needs apt-get and dpkg-deb (Debian or Ubuntu)" >&2; exit 1; }
mkdir -p "$cache"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/parts"
echo "deb [trusted=yes] http://deb.debian.org/debian trixie main" >"$work/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=$work/parts"
  -o "Dir::State::lists=$work/lists" -o "Dir::Cache=$work" -o "Dir::Cache::archives=$work/archives"
  -o "APT::Architecture=amd64" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" -o "APT::Get::List-Cleanup=0" -o "Acquire::Languages=none")
apt-get -qq "${apt_opts[@]}" update >&2
(cd "$work" && apt-get -qq "${apt_opts[@]}" download miniflux >&2)
deb="$(ls "$work"/miniflux_*.deb | head -n1)"
rm -rf "$cache/root" && mkdir -p "$cache/root"
dpkg-deb -x "$deb" "$cache/root"
"$binary" -version >&2
echo "$binary"
