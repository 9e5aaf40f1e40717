#!/usr/bin/env bash
# Self-contained, trimmed, single-file builds of the standalone relay for virtual machines and scale
# sets: no .NET runtime needed on the target. Output: artifacts/vm/<rid>/RemoteWrite.Standalone.
#   bash deploy/vm/publish.sh                 # linux-x64 and linux-arm64
#   bash deploy/vm/publish.sh linux-arm64     # one
# The trim analyzer reports warnings for the options binding in RemoteWrite.Core/Configuration
# (IL2026, IL2091, SYSLIB1104: reflection-based Bind); the repository treats warnings as errors,
# so they are let through here as warnings. The trimmed build was run against the local Azure
# stand-in and Prometheus (README, "Virtual machines"); run it the same way after changing options.
set -euo pipefail
cd "$(dirname "$0")/../.."
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)
for rid in "${rids[@]}"; do
  dotnet publish services/RemoteWrite.Standalone/RemoteWrite.Standalone.csproj -c Release -r "$rid" \
    --self-contained -p:PublishSingleFile=true -p:PublishTrimmed=true \
    -p:TreatWarningsAsErrors=false -p:DebugType=none \
    -o "artifacts/vm/$rid"
done
ls -l artifacts/vm/*/RemoteWrite.Standalone
