#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build/fuzz and runs each for N seconds
# (default 30), seeded with the committed valid and invalid test files. Exits non-zero when a
# target crashes; crash inputs are left in build/fuzz/artifacts/.
#   scripts/fuzz.sh [seconds]
#   FR_FUZZ_TARGETS="fuzz_igc fuzz_gpx" scripts/fuzz.sh 60   only these targets
#   FR_FUZZ_MERGE=1 scripts/fuzz.sh                         minimise each corpus (working corpus,
#       seeds and fuzz/corpus/<target>.tar.gz merged into a fresh folder) and repack the tarball
#   FR_FUZZ_RUNS=10000000 scripts/fuzz.sh 3600               stop a target at this many executions
#   FR_FUZZ_NO_BUILD=1 scripts/fuzz.sh 60                    run the targets already built (a long
#       campaign while the source tree changes)
# Needs clang and libclang-rt-14-dev (Debian) for libFuzzer and the sanitizer runtimes.
set -euo pipefail
seconds="${1:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/fuzz"
jobs="${FR_FUZZ_BUILD_JOBS:-2}"

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -g"
[ "${FR_FUZZ_NO_BUILD:-0}" = 1 ] || CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFR_BUILD_FUZZERS=ON -DFR_BUILD_TESTS=OFF -DFR_BUILD_BENCH=OFF -DFR_BUILD_WINDOW=OFF \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
# One target per fuzz/fuzz_*.cpp (fuzz/CMakeLists.txt builds the same list, and the format
# registry, src/io/format_registry.cpp, names each: tests/io/format_registry_test.cpp checks it);
# FR_FUZZ_TARGETS (space-separated names) narrows it.
if [ -n "${FR_FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FR_FUZZ_TARGETS"
else
  targets=()
  for f in "$root"/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
[ "${FR_FUZZ_NO_BUILD:-0}" = 1 ] || ninja -C "$build" -j"$jobs" "${targets[@]}"

data="$root/tests/data"
mkdir -p "$build/artifacts"
status=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  if [ "$t" = fuzz_fr24_csv ]; then
    seeds=("$data/valid/fr24" "$data/invalid/fr24")
    dict=()
  elif [[ "$t" =~ ^fuzz_(gunzip|generic_csv|archive|archive_index|scene)$ ]]; then
    # Inputs with their own framing (a mapping line, a layout byte, TOML): the committed corpus only.
    seeds=()
    dict=()
  elif [ "$t" = fuzz_detect ]; then
    seeds=("$data/valid/text" "$data/invalid/text" "$data/valid/json" "$data/invalid/json" "$data/valid/fr24"
           "$data/invalid/fr24" "$data/valid/receivers" "$data/invalid/receivers")
    dict=()
  elif [[ "$t" =~ ^fuzz_(gpx|kml_track|fr24_kml|igc|opensky_csv)$ ]]; then
    seeds=("$data/valid/text" "$data/invalid/text")
    dict=()
  elif [ "$t" = fuzz_sbs ] || [ "$t" = fuzz_jet1090 ]; then
    seeds=("$data/valid/receivers" "$data/invalid/receivers")
    dict=()
    [ "$t" = fuzz_jet1090 ] && dict=(-dict="$root/fuzz/json.dict")
  elif [ "$t" = fuzz_fr24_community ] || [ "$t" = fuzz_acmi ]; then
    seeds=("$data/valid/text" "$data/invalid/text" "$data/valid/json" "$data/invalid/json")
    dict=()
  else
    seeds=("$data/valid/json" "$data/invalid/json")
    dict=(-dict="$root/fuzz/json.dict")
  fi
  # The committed, minimised corpus: one tarball per target (thousands of small files would
  # take several times their size on disk), unpacked afresh for each run.
  if [ -f "$root/fuzz/corpus/$t.tar.gz" ]; then
    rm -rf "$build/seed/$t"
    mkdir -p "$build/seed/$t"
    tar -xzf "$root/fuzz/corpus/$t.tar.gz" -C "$build/seed/$t"
    seeds+=("$build/seed/$t")
  fi
  existing=()
  for s in "${seeds[@]}"; do [ -d "$s" ] && existing+=("$s"); done
  if [ "${FR_FUZZ_MERGE:-0}" = 1 ]; then
    # Minimise: keep the inputs of the working corpus, the seeds and the committed corpus that
    # add coverage (-merge=1 into a fresh folder), and commit them again as the tarball.
    fresh="$build/merged/$t"
    rm -rf "$fresh"
    mkdir -p "$fresh"
    echo "== $t: merge"
    "$build/fuzz/$t" -merge=1 -max_len=65536 -rss_limit_mb=2048 -timeout=10 "$fresh" "$corpus" "${existing[@]}" \
      2>"$build/$t.merge.log" || { echo "!! $t merge failed; see $build/$t.merge.log"; status=1; continue; }
    (cd "$fresh" && find . -type f -printf '%P\n' | LC_ALL=C sort |
       tar --owner=0 --group=0 --numeric-owner --mtime=@0 --mode=0644 -cf - -T - | gzip -n -9 >"$root/fuzz/corpus/$t.tar.gz")
    echo "$t: $(find "$fresh" -type f | wc -l) inputs, $(stat -c %s "$root/fuzz/corpus/$t.tar.gz") bytes packed"
    continue
  fi
  echo "== $t: ${seconds}s"
  # -rss_limit_mb: the loaders must not need more than 2 GiB for inputs up to max_len.
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$build/fuzz/$t" -max_total_time="$seconds" -runs="${FR_FUZZ_RUNS:--1}" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 "${dict[@]}" \
      "$corpus" "${existing[@]}" 2>"$build/$t.log"; then
    echo "!! $t failed; see $build/$t.log and $build/artifacts/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/$t.log" || true
done
exit $status
