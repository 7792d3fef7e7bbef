#!/usr/bin/env bash
# Installs the Debian packages prose2stix builds with, when any is missing (needs root or sudo).
set -euo pipefail
pkgs=(build-essential cmake pkg-config rapidjson-dev libpugixml-dev libfmt-dev doctest-dev
      libgumbo-dev libpoppler-cpp-dev iso-codes python3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
