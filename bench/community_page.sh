#!/usr/bin/env bash
# Benchmark: a community page rendered from the database on every request,
# against the same server's /healthz, under 64 concurrent connections.
#
#   bench/community_page.sh            (builds the release binary first)
#   TSUNAGARI_BIN=path bench/community_page.sh
#
# Prints requests per second for both and their ratio. The goal (issue 3) is
# a ratio of at least 0.2. Needs wrk (apt-get install wrk) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }
if [ -z "${TSUNAGARI_BIN:-}" ]; then
  cargo build --release --bin tsunagari >&2
  TSUNAGARI_BIN=target/release/tsunagari
fi

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
TSUNAGARI_LOG=warn "$TSUNAGARI_BIN" serve --bind 127.0.0.1:0 --database "sqlite://$work/bench.db" >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/out" 2>/dev/null && break
  sleep 0.1
done
base=$(sed -n 's/^tsunagari listening on //p' "$work/out")
[ -n "$base" ] || { cat "$work/err" >&2; echo "server did not start" >&2; exit 1; }

json() { curl -fsS -H 'content-type: application/json' "$@"; }
password=bench-password-2026
json -X POST "$base/api/v1/accounts" -d "{\"email\":\"bench@example.jp\",\"display_name\":\"ベンチ 太郎\",\"password\":\"$password\"}" >/dev/null
token=$(json -X POST "$base/api/v1/tokens" -d "{\"email\":\"bench@example.jp\",\"password\":\"$password\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')
auth=(-H "authorization: Bearer $token")
community=$(json "${auth[@]}" -X POST "$base/api/v1/communities" \
  -d '{"kind":"professional","name":"介護のみらい対話カフェ","description":"介護職の対話の場です。","tags":["介護","福祉"],"prefecture":"13"}' \
  | sed 's/^{"id":\([0-9]*\).*/\1/')
for i in $(seq 1 20); do
  json "${auth[@]}" -X POST "$base/api/v1/communities/$community/threads" \
    -d "{\"title\":\"スレッド $i：夜勤の工夫を教えてください\",\"body\":\"みなさんの**工夫**を共有しましょう。その$i\"}" >/dev/null || true
done
for i in $(seq 1 5); do
  day=$(date -u -d "+$i day" +%Y-%m-%d)
  json "${auth[@]}" -X POST "$base/api/v1/communities/$community/events" \
    -d "{\"title\":\"オンライン対話会 $i\",\"description\":\"気軽にどうぞ\",\"starts_at\":\"${day}T19:00\",\"ends_at\":\"${day}T20:30\",\"time_zone\":\"Asia/Tokyo\",\"online\":true,\"online_url\":\"https://meet.example.jp/$i\",\"capacity\":30}" >/dev/null || true
done
page="$base/communities/$community"
curl -fsS "$page" >/dev/null

rate() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/Requests\/sec/ {print $2}'
}
echo "warming up…" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$page" >/dev/null
health=$(rate "$base/healthz")
community_rate=$(rate "$page")
ratio=$(awk -v a="$community_rate" -v b="$health" 'BEGIN { printf "%.3f", a / b }')
echo "healthz:        $health requests/s"
echo "community page: $community_rate requests/s (20 threads, 5 upcoming events, rendered per request)"
echo "ratio:          $ratio (goal ≥ 0.2) with $CONNECTIONS connections, $THREADS wrk threads, $DURATION each"
