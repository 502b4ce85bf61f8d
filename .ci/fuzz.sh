#!/usr/bin/env bash
# libFuzzer runs of the fuzz targets (issue 6, item 3).
#
#   .ci/fuzz.sh                 every target for 10 s each
#   .ci/fuzz.sh all 300         every target for 300 s each
#   .ci/fuzz.sh journal 60      one target for 60 s
#   FUZZ_RUNS=1000000 .ci/fuzz.sh all 0    every target until 1,000,000 executions
#
# Builds Sources/MadoguchiFuzz with -sanitize=fuzzer,address (Swift) and fuzzer-no-link,address
# (C/C++: toml++ inside TOMLKit, so its own assertions and memory errors are caught too) into
# .build-fuzz (debug: assertions stay on), then runs each target from a copy of its checked-in seed
# corpus (Tests/RobustnessTests/FuzzCorpus/<target>; new inputs go to .build-fuzz/corpus/<target>).
# A crash leaves .build-fuzz/artifacts/<target>/crash-… and the script exits 1: copy the file to
# Tests/RobustnessTests/FuzzCorpus/crashes/<target>-<what> (swift test replays it), then fix the code.
# LeakSanitizer is off: TOMLKit leaks the C++ table of every TOML file that fails to parse (96 bytes,
# once per start-up for a broken config), which is not a crash.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(journal result_file status_file config screens wareki identifiers intake)
which=${1:-all}
seconds=${2:-10}
runs=${FUZZ_RUNS:--1}
scratch=${FUZZ_SCRATCH:-.build-fuzz}   # another scratch path lets a second build run beside a long campaign
if [ "$which" = all ]; then targets=("${TARGETS[@]}"); else targets=("$which"); fi

build_start=$(date +%s)
swift build --scratch-path "$scratch" -c debug --product MadoguchiFuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING \
  -Xcc -fsanitize=fuzzer-no-link,address -Xcxx -fsanitize=fuzzer-no-link,address \
  2>&1 | grep -v "Cannot export local symbol" | grep -E "error|warning: unre|Compiling MadoguchiFuzz|Build" || true
bin=$scratch/debug/MadoguchiFuzz
[ -x "$bin" ] || { echo "fuzz build failed"; exit 2; }
echo "build: $(( $(date +%s) - build_start )) s"

status=0
printf '%-12s %10s %8s %8s %8s\n' target execs seconds exec/s crashes
for t in "${targets[@]}"; do
  corpus=$scratch/corpus/$t
  artifacts=$scratch/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  cp -n Tests/RobustnessTests/FuzzCorpus/"$t"/* "$corpus"/ 2>/dev/null || true
  log=$scratch/fuzz-$t.log
  limit=()
  [ "$seconds" -gt 0 ] && limit+=(-max_total_time="$seconds")
  start=$(date +%s.%N)
  set +e
  MADOGUCHI_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0 "$bin" "$corpus" "${limit[@]}" -runs="$runs" \
    -max_len=8192 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  set -e
  elapsed=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.1f", a - b }')
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  execs=${execs:-0}
  crashes=$(ls "$artifacts" | grep -cE '^(crash|oom|timeout|leak)-' || true)
  printf '%-12s %10s %8.0f %8.0f %8s\n' "$t" "$execs" "$elapsed" "$(awk -v e="$execs" -v s="$elapsed" 'BEGIN { print e / s }')" "$crashes"
  if [ $rc -ne 0 ] || [ "$crashes" -gt 0 ]; then
    status=1
    echo "  $t: libFuzzer exit $rc; see $log and $artifacts/"
    grep -E "ERROR|Assertion|Fatal error|SUMMARY" "$log" | head -5 | sed 's/^/  /'
  fi
done
exit $status
