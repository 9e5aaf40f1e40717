#!/usr/bin/env bash
# The product's main job on one machine, with no Azure account:
#   local Azure stand-in (Entra ID + ingestion)  <-  standalone relay :8081  <-  Prometheus
# Prometheus scrapes itself, the relay and the stand-in, and remote-writes everything to the relay;
# the relay gets its token from the stand-in's managed-identity endpoint and forwards in <= 1 MB parts.
# (Prometheus listens on 127.0.0.1:19090, clear of a packaged Prometheus service on 9090.)
# Within two minutes the relay prints the side car's per-minute line with non-zero values.
#
#   bash deploy/local/run.sh                 # runs until Ctrl-C
#   RUN_SECONDS=150 bash deploy/local/run.sh # stops by itself
#
# Switch to real Azure: set INGESTION_URL and the identity variables (IDENTITY_TYPE, AZURE_CLIENT_ID …)
# as for Microsoft's side car, and start only the relay (services/RemoteWrite.Standalone/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
run=${RUN_DIR:-$root/.run}
mkdir -p "$run"

if ! command -v prometheus >/dev/null; then
  echo "installing Debian's prometheus (needs root)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  (systemctl stop prometheus || service prometheus stop || true) >/dev/null 2>&1
fi

echo "building…"
dotnet build -c Release -nologo -v:q services/RemoteWrite.LocalAzure >/dev/null
dotnet build -c Release -nologo -v:q services/RemoteWrite.Standalone >/dev/null

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_for() { # url, seconds
  for _ in $(seq 1 "$2"); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 1; done
  echo "timed out waiting for $1" >&2; return 1
}

dcr=dcr-00000000000000000000000000000000
ingestion="http://127.0.0.1:5080/dataCollectionRules/$dcr/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24"

LocalAzure__DataDirectory="$run/local-azure" ASPNETCORE_ENVIRONMENT=Production \
  dotnet services/RemoteWrite.LocalAzure/bin/Release/net10.0/RemoteWrite.LocalAzure.dll >"$run/local-azure.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:5080/health 60

# The side car's own variables; the managed identity endpoint (IMDS) is the stand-in's.
INGESTION_URL="$ingestion" IDENTITY_TYPE=systemAssigned LISTENING_PORT=8081 CLUSTER=local \
  AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:5080 \
  dotnet services/RemoteWrite.Standalone/bin/Release/net10.0/RemoteWrite.Standalone.dll >"$run/relay.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:8081/ready 60

cat >"$run/prometheus.yml" <<YAML
global:
  scrape_interval: 10s
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: ['127.0.0.1:19090'] }]
  - job_name: relay
    static_configs: [{ targets: ['127.0.0.1:8081'] }]
  - job_name: local-azure
    static_configs: [{ targets: ['127.0.0.1:5080'] }]
remote_write:
  - url: http://127.0.0.1:8081/api/v1/write
YAML
prometheus --config.file="$run/prometheus.yml" --storage.tsdb.path="$run/prometheus" \
  --web.listen-address=127.0.0.1:19090 >"$run/prometheus.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:19090/-/ready 60

cat <<TEXT
Running (logs in $run):
  relay            http://127.0.0.1:8081  (/health /ready /metrics, POST /api/v1/write)
  local Azure      http://127.0.0.1:5080  (GET /admin/stats, /admin/series)
  Prometheus       http://127.0.0.1:19090
The relay's per-minute line appears below within about a minute.
TEXT

tail -n +1 -f "$run/relay.log" | grep --line-buffered 'Metric packets published' &
pids+=($!)
if [ -n "${RUN_SECONDS:-}" ]; then
  sleep "$RUN_SECONDS"
  echo "--- stand-in totals:"
  curl -fsS http://127.0.0.1:5080/admin/stats || true
  echo
else
  wait "${pids[0]}"
fi
