#!/usr/bin/env bash
# scripts/check_citations.sh must fail on a citation of a workbench page or an issue number
# and pass on a clean tree: run in a scratch git repository holding only the script.
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
for bad in "// see DECISIONS.md" "// (FORMATS.md s.3)" "// issue #7" "// per the analysis issue's schema" "// ../shared/STYLE.md"; do
  echo "$bad" > src/b.cpp
  if scripts/check_citations.sh >/dev/null 2>&1; then echo "FAIL: not caught: $bad"; exit 1; fi
done
echo "// reads ../shared/data when present" > src/b.cpp
scripts/check_citations.sh >/dev/null || { echo "FAIL: the recorded-data path was rejected"; exit 1; }
echo "ok"
