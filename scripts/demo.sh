#!/usr/bin/env bash
# Quick start 1: set up, build, render the bundled (reconstructed) RFF7203 replay to out/ as an
# MP4 and a PNG, and print the flight summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh flightreplay  # only the program: the tests are built by scripts/test.sh
bin=build/release/src/app/flightreplay
mkdir -p out
"$bin" render assets/samples -o out/rff7203.mp4 --title "RFF7203: Moscow - Pyongyang - Moscow, July/August 2023"
"$bin" render assets/samples -o out/rff7203.png --title "RFF7203: Moscow - Pyongyang - Moscow, July/August 2023"
"$bin" info assets/samples
