#!/usr/bin/env bash
# Installs the Debian 12 packages flightreplay needs (only those missing), then configures and
# builds it in build/release. Used by both quick-start commands and by CI.
#   scripts/setup.sh                 # packages + build everything
#   scripts/setup.sh flightreplay    # packages + build only these targets
#   FR_SKIP_APT=1 scripts/setup.sh   # build only
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # geospatial
  libgdal-dev libproj-dev libgeos-dev
  # drawing, text, fonts
  libcairo2-dev libpango1.0-dev libfontconfig-dev libpng-dev
  # video (FFmpeg's libraries; libavcodec brings libx264 and libvpx)
  libavcodec-dev libavformat-dev libswscale-dev libavutil-dev libavfilter-dev
  # parsing
  libsimdjson-dev libfast-float-dev libexpat1-dev zlib1g-dev libcli11-dev libtomlplusplus-dev
  # archives (zipped ACMI) and time zones of receiver clocks (--input-tz)
  libarchive-dev libdeflate-dev libhowardhinnant-date-dev
  # hashing for provenance tags
  libssl-dev
  # window (SFML 2.5) and its headless test display
  libsfml-dev xvfb xauth xdotool
  # tests and benchmarks
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # clients the report-output tests read our PDF/SVG/GeoJSON/KML/GPKG with
  poppler-utils librsvg2-bin gdal-bin
  # the Slurm test's single-node cluster (tests/slurm; ~14 MB, ~10 s to install)
  slurm-wlm munge
  # the Kubernetes manifest check (tests/scripts/check_k8s_manifest.py)
  python3-yaml
  # tools the archive tests build their test archives with (tar, split and gzip are in every base)
  zstd
  # the Python module (for /usr/bin/python3), its tests and the example notebook (docs/python.md)
  pybind11-dev python3-dev python3-numpy python3-pytest python3-nbclient python3-ipykernel
  # map layers: time-zone rules from the OS tzdb (date-tz, USE_OS_TZDB); GSHHG lakes, rivers and
  # coast through GMT (scripts/build_gshhg.sh, GEOS via python3-gdal)
  libhowardhinnant-date-dev tzdata gmt gmt-gshhg-low gmt-gshhg-high python3-gdal
)

if [[ -z ${FR_SKIP_APT:-} ]]; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}" >&2
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build --preset release -j "$jobs" "${targets[@]}"
# GSHHG intermediate and high resolution for close views (too large to commit: ~15 and ~57 MB),
# built once from the Debian packages into the build tree; crude and low are in assets/.
if command -v gmt >/dev/null && [[ ! -f build/release/derived/basemap/gshhg_h.gpkg ]]; then
  echo "setup: building GSHHG intermediate and high resolution (a few minutes)" >&2
  scripts/build_gshhg.sh build/release/derived/basemap i h
fi
