#!/usr/bin/env bash
# The manifest check fails on what it is meant to catch: broken YAML, a Job that is not Indexed,
# and shard arithmetic that disagrees with `completions`. Each broken sample is made at run time
# from the good manifest.
#   check_k8s_manifest_test.sh CHECKER MANIFEST
set -uo pipefail
checker=$1 good=$2
python3 -c 'import yaml' 2>/dev/null || { echo "SKIP: python3-yaml is not installed" >&2; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0
expect() {  # expect RC NAME: run the checker on $dir/NAME.yaml
  python3 "$checker" "$dir/$2.yaml" > "$dir/$2.out" 2>&1
  local rc=$?
  if ((rc != $1)); then echo "FAIL: $2: exit $rc, expected $1: $(cat "$dir/$2.out")" >&2; status=1; else echo "ok: $2 (exit $rc)"; fi
}
cp "$good" "$dir/good.yaml"
expect 0 good
sed 's/^  completions: 4$/  completions: 4\n   parallelism: [4/' "$good" > "$dir/syntax.yaml"
expect 1 syntax
sed 's/completionMode: Indexed/completionMode: NonIndexed/' "$good" > "$dir/not_indexed.yaml"
expect 1 not_indexed
sed 's/^  completions: 4$/  completions: 3/' "$good" > "$dir/wrong_k.yaml"
expect 1 wrong_k
sed 's/--threads 1 //' "$good" > "$dir/threads.yaml"
expect 1 threads
exit $status
