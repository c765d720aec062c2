#!/usr/bin/env bash
# scripts/check_citations.sh must fail on a citation of a workbench page or an issue number
# and pass on a clean tree: run in a scratch git repository holding only the script. The bad
# samples are assembled at run time, so this file cites nothing itself.
set -euo pipefail
script="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/scripts" "$tmp/src"
cp "$script" "$tmp/scripts/check_citations.sh"
cd "$tmp"
git init -q .
echo "// the reason, said here" > src/a.cpp
scripts/check_citations.sh >/dev/null || { echo "FAIL: a clean tree was rejected"; exit 1; }
wb="../sha""red"  # the workbench folder beside the repository
for bad in "// see DECI""SIONS.md" "// (FOR""MATS.md s.3)" "// NO""TES.md" "// iss""ue #7" "// per the analysis iss""ue's schema" "// $wb/STY""LE.md"; do
  echo "$bad" > src/b.cpp
  if scripts/check_citations.sh >/dev/null 2>&1; then echo "FAIL: not caught: $bad"; exit 1; fi
done
echo "// reads $wb/data when present" > src/b.cpp
scripts/check_citations.sh >/dev/null || { echo "FAIL: the recorded-data path was rejected"; exit 1; }
echo "ok"
