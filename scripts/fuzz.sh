#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build/fuzz and runs each for N seconds
# (default 30), seeded with the committed valid and invalid test files. Exits non-zero when a
# target crashes; crash inputs are left in build/fuzz/artifacts/.
#   scripts/fuzz.sh [seconds]
# Needs clang and libclang-rt-14-dev (Debian) for libFuzzer and the sanitizer runtimes.
set -euo pipefail
seconds="${1:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/fuzz"
jobs="${FR_FUZZ_BUILD_JOBS:-2}"

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -g"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFR_BUILD_FUZZERS=ON -DFR_BUILD_TESTS=OFF -DFR_BUILD_BENCH=OFF -DFR_BUILD_WINDOW=OFF \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
targets=(fuzz_readsb fuzz_readsb_readers fuzz_fr24_json fuzz_opensky_json fuzz_geojson fuzz_fr24_csv fuzz_json_syntax
         fuzz_gpx fuzz_kml_track fuzz_fr24_kml fuzz_igc fuzz_acmi fuzz_opensky_csv fuzz_gunzip
         fuzz_fr24api fuzz_sbs fuzz_jet1090 fuzz_fr24_community)
ninja -C "$build" -j"$jobs" "${targets[@]}"

data="$root/tests/data"
mkdir -p "$build/artifacts"
status=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  if [ "$t" = fuzz_fr24_csv ]; then
    seeds=("$data/valid/fr24" "$data/invalid/fr24")
    dict=()
  elif [ "$t" = fuzz_gunzip ]; then
    seeds=()
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
  seeds+=("$root/fuzz/corpus/$t")  # the committed, minimised corpus (where there is one)
  existing=()
  for s in "${seeds[@]}"; do [ -d "$s" ] && existing+=("$s"); done
  echo "== $t: ${seconds}s"
  # -rss_limit_mb: the loaders must not need more than 2 GiB for inputs up to max_len.
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$build/fuzz/$t" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 "${dict[@]}" \
      "$corpus" "${existing[@]}" 2>"$build/$t.log"; then
    echo "!! $t failed; see $build/$t.log and $build/artifacts/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/$t.log" || true
done
exit $status
