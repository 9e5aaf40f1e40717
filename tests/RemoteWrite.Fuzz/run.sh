#!/usr/bin/env bash
# Coverage-guided fuzzing of Core (issue 10): SharpFuzz-instruments RemoteWrite.Core.dll, seeds a
# corpus from valid bodies and runs afl-fuzz on each target for SECONDS, then prints what
# fuzzer_stats says. Exit 0 = no crash, 1 = crashes saved (reproduce with the printed command), 2 = setup failed.
#
#   tests/RemoteWrite.Fuzz/run.sh SECONDS [TARGET|all] [WORK_DIR]
#
# TARGET: snappy, scan, split, convert, prepare (default; the receiver's whole path) or all (SECONDS each).
# FUZZ_BIN=<build output of RemoteWrite.Fuzz>: instrument a copy of it instead of publishing Release (CI, no second build).
# FUZZ_INSTRUMENT_ALSO="Snappier.dll": instrument more assemblies than Core (the snappy target then explores Snappier too).
# Needs afl-fuzz (Debian: apt-get install afl++) and the dotnet SDK; the sharpfuzz tool is installed into
# SHARPFUZZ_TOOLS (default /tmp/rw-fuzz-tools) on first use.
set -euo pipefail
seconds=${1:?usage: run.sh SECONDS [TARGET|all] [WORK_DIR]}
target=${2:-prepare}
here=$(cd "$(dirname "$0")" && pwd)
work=${3:-$(mktemp -d /tmp/rw-fuzz.XXXXXX)}
tools=${SHARPFUZZ_TOOLS:-/tmp/rw-fuzz-tools}
mkdir -p "$work"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null || exit 2
fi

plain="$work/plain" bin="$work/bin"
rm -rf "$plain" "$bin"
if [ -n "${FUZZ_BIN:-}" ]; then
  cp -r "$FUZZ_BIN" "$plain"
else
  dotnet publish "$here/RemoteWrite.Fuzz.csproj" -c Release -o "$plain" -nologo -v:q >/dev/null || exit 2
fi
# Seeds come from the plain copy: instrumented code only runs under the fuzzer.
rm -rf "$work/seeds"
dotnet "$plain/RemoteWrite.Fuzz.dll" seeds "$work/seeds" || exit 2
# Only Core is instrumented: AFL's coverage map is Core's branches, not the harness' or the runtime's.
cp -r "$plain" "$bin"
"$tools/sharpfuzz" "$bin/RemoteWrite.Core.dll" >/dev/null || exit 2
for extra in ${FUZZ_INSTRUMENT_ALSO:-}; do "$tools/sharpfuzz" "$bin/$extra" >/dev/null || exit 2; done

# Containers: no CPU governor to check, core dumps piped elsewhere, no terminal; dotnet itself is not instrumented.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=${AFL_FORKSRV_INIT_TMOUT:-60000} DOTNET_TieredPGO=0

targets=$target
[ "$target" = all ] && targets="snappy scan split convert prepare"
status=0
total_execs=0 total_crashes=0
for t in $targets; do
  out="$work/out-$t"
  rm -rf "$out"
  afl-fuzz -i "$work/seeds/$t" -o "$out" -t 5000 -m none -V "$seconds" -- dotnet "$bin/RemoteWrite.Fuzz.dll" "$t" >"$work/afl-$t.log" 2>&1 || true
  stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "FUZZ target=$t did not start; tail of $work/afl-$t.log:" >&2
    tail -20 "$work/afl-$t.log" >&2
    exit 2
  fi
  stat() { awk -v k="$1" -F' *: *' '$1 == k { print $2 }' "$stats"; }
  execs=$(stat execs_done) paths=$(stat corpus_count) crashes=$(stat saved_crashes) hangs=$(stat saved_hangs)
  echo "FUZZ target=$t seconds=$seconds execs=$execs paths=$paths edges=$(stat edges_found) coverage=$(stat bitmap_cvg) crashes=$crashes hangs=$hangs stability=$(stat stability)"
  total_execs=$((total_execs + execs))
  total_crashes=$((total_crashes + crashes))
  if [ "$crashes" -gt 0 ]; then
    status=1
    echo "  reproduce: dotnet $plain/RemoteWrite.Fuzz.dll $t $out/default/crashes/id:*"
  fi
done
echo "FUZZ total execs=$total_execs crashes=$total_crashes work=$work"
exit $status
