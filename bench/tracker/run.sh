#!/usr/bin/env bash
# Tracker load benchmark: wrk against cached .meta4 answers of `mirrorswarm tracker`, beside nginx serving
# the same bytes as a static file, in the same run; then the tracker again while hundreds of slow clients
# (idle connections and ones trickling a request) hold connections from other loopback addresses.
# Both servers write an access log (nginx its default combined format, the tracker its JSON lines); the
# tracker gets a 15 s wrk warm-up first (JIT compilation), not counted.
#
#   bench/tracker/run.sh [--duration 60] [--connections 64] [--slow 400]
#
# Needs wrk, nginx, python3, Java 17 and a built jar (it builds one if missing). Loopback only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/cli/target/mirrorswarm.jar"
DURATION=60
CONNS=64
SLOW=400
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNS="$2"; shift 2 ;;
    --slow) SLOW="$2"; shift 2 ;;
    *) echo "usage: $0 [--duration S] [--connections N] [--slow N]" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx python3 java curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed (apt-get install -y wrk nginx)" >&2; exit 2; }
done
if [ ! -f "$JAR" ]; then (cd "$ROOT" && mvn -q -DskipTests -pl cli -am install); fi

WORK="$(mktemp -d /tmp/mirrorswarm-tracker-bench.XXXXXX)"
TPID=""
SPID=""
cleanup() {
  [ -n "$SPID" ] && kill "$SPID" 2>/dev/null || true
  [ -n "$TPID" ] && kill "$TPID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && nginx -p "$WORK" -c "$WORK/nginx.conf" -s stop 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A repository of 200 packages with Debian-like sizes (log-normal around 60 KB), and one 64 MiB file.
mkdir -p "$WORK/repo/pool" "$WORK/static" "$WORK/tmp"
python3 - "$WORK/repo/pool" <<'EOF'
import os, random, sys
r = random.Random(2004)
for i in range(200):
    size = min(8 << 20, int(r.lognormvariate(11.0, 1.4)))
    with open(os.path.join(sys.argv[1], "pkg-%03d.deb" % i), "wb") as f:
        f.write(os.urandom(size))
EOF
head -c $((64 << 20)) /dev/urandom > "$WORK/repo/pool/image.iso"
cat > "$WORK/mirrors.yaml" <<EOF
ranking: weighted
mirrors-per-answer: 5
mirrors:
$(for i in $(seq 1 20); do echo "  - {id: m$i, url: \"http://mirror$i.example.org/debian/\", capacity: $((i * 10))MB}"; done)
EOF

PORT=18080
NPORT=18081
java -Xmx512m -jar "$JAR" tracker --repo "$WORK/repo" --mirrors "$WORK/mirrors.yaml" --host 127.0.0.1 --port $PORT \
  --no-crawl --state "$WORK/state" --access-log "$WORK/access.log" > "$WORK/tracker.out" 2>&1 &
TPID=$!
URL="http://127.0.0.1:$PORT/pool/pkg-042.deb.meta4"
for _ in $(seq 1 200); do
  code=$(curl -s -o "$WORK/static/answer.meta4" -w '%{http_code}' "$URL" || true)
  [ "$code" = 200 ] && break
  sleep 0.2
done
[ "$code" = 200 ] || { echo "tracker did not answer: $(cat "$WORK/tracker.out")" >&2; exit 1; }

cat > "$WORK/nginx.conf" <<EOF
worker_processes 1;
$( [ "$(id -u)" -eq 0 ] && echo "user root;" )
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log $WORK/nginx-access.log;
  client_body_temp_path $WORK/tmp/body; proxy_temp_path $WORK/tmp/proxy; fastcgi_temp_path $WORK/tmp/fcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi; scgi_temp_path $WORK/tmp/scgi;
  keepalive_requests 1000000;
  types { application/metalink4+xml meta4; }
  server { listen 127.0.0.1:$NPORT; root $WORK/static; }
}
EOF
nginx -p "$WORK" -c "$WORK/nginx.conf"
sleep 0.5
BYTES=$(stat -c %s "$WORK/static/answer.meta4")

echo "Tracker benchmark, $(nproc) cores, $(date -u +%F), wrk -t2 -c$CONNS -d${DURATION}s --latency; answer: $BYTES bytes"
echo "$(java -version 2>&1 | head -1), $(nginx -v 2>&1)"
run_wrk() { # label url
  local out
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$2")
  local rps p50 p99 errors non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Socket errors/ {print $0}' | sed 's/^ *//')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "| $1 | $rps | $p50 | $p99 | ${errors:-none} | ${non2xx:-0} |"
  echo "$rps" > "$WORK/last-rps"
}
echo
echo "| server | requests/s | p50 | p99 | socket errors | non-2xx |"
echo "|---|---|---|---|---|---|"
run_wrk "nginx, static copy" "http://127.0.0.1:$NPORT/answer.meta4"
NGINX_RPS=$(cat "$WORK/last-rps")
wrk -t2 -c"$CONNS" -d15s "$URL" > /dev/null # warm-up
run_wrk "mirrorswarm tracker" "$URL"
TRACKER_RPS=$(cat "$WORK/last-rps")

# Slow clients from 127.0.0.2–.9: half hold idle connections (reconnecting when closed), half trickle a
# request one header line every 2 s.
python3 - "$PORT" "$SLOW" "$DURATION" <<'EOF' &
import socket, sys, time, threading
port, n, duration = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) + 5
end = time.time() + duration
def client(i):
    src = "127.0.0.%d" % (2 + i % 8)
    while time.time() < end:
        try:
            s = socket.socket()
            s.bind((src, 0))
            s.connect(("127.0.0.1", port))
            if i % 2:
                s.send(b"GET /pool/pkg-001.deb.meta4 HTTP/1.1\r\nHost: t\r\n")
            while time.time() < end:
                time.sleep(2)
                if i % 2:
                    s.send(b"X-Slow: 1\r\n")
                else:
                    s.settimeout(0.01)
                    try:
                        if s.recv(1) == b"":
                            break
                    except socket.timeout:
                        pass
        except OSError:
            time.sleep(0.5)
        finally:
            try:
                s.close()
            except Exception:
                pass
for i in range(n):
    threading.Thread(target=client, args=(i,), daemon=True).start()
time.sleep(duration)
EOF
SPID=$!
sleep 3
run_wrk "mirrorswarm tracker, $SLOW slow clients" "$URL"
SLOW_RPS=$(cat "$WORK/last-rps")
wait "$SPID" 2>/dev/null || true
SPID=""
echo
echo "tracker / nginx: $(echo "scale=2; $TRACKER_RPS / $NGINX_RPS" | bc)×; with slow clients: $(echo "scale=1; 100 * ($TRACKER_RPS - $SLOW_RPS) / $TRACKER_RPS" | bc)% fewer requests/s"
echo "access log lines: tracker $(wc -l < "$WORK/access.log"), nginx $(wc -l < "$WORK/nginx-access.log")"
