#!/usr/bin/env bash
# Every C++ file of the repository is laid out as .clang-format says (clang-format 14, Debian 12's).
# Fix with: git ls-files '*.cpp' '*.hpp' '*.h' | xargs clang-format-14 -i
set -euo pipefail
cd "$(dirname "$0")/.."
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang-format-14 >/dev/null
  cf=clang-format-14
fi
bad=$(git ls-files '*.cpp' '*.hpp' '*.h' | xargs "$cf" --dry-run 2>&1 | grep -o '^[^:]*:[0-9]*:[0-9]*: warning' | cut -d: -f1 | sort -u || true)
if [ -n "$bad" ]; then
  echo "check_format: not laid out as .clang-format says ($("$cf" --version | head -1)):"
  echo "$bad" | sed 's/^/  /'
  exit 1
fi
echo "check_format: $(git ls-files '*.cpp' '*.hpp' '*.h' | wc -l) files formatted"
