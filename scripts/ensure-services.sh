#!/usr/bin/env bash
# Makes sure the Redis and PostgreSQL servers the integration tests use are up, starting the
# machine's own servers when they are not: Redis on 127.0.0.1:6379, PostgreSQL on 127.0.0.1:5432.
set -euo pipefail

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "starting redis-server on 127.0.0.1:6379"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
  fi
  redis_up || { echo "Redis is not reachable on 127.0.0.1:6379 and could not be started" >&2; exit 1; }
fi

# A 3-master Redis Cluster on loopback (no replicas, nothing persisted) for the tests that run
# against a cluster as well as a single Redis: TEST_REDIS_CLUSTER_URL, default
# redis+cluster://127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003.
CLUSTER_PORTS=(${REDIS_CLUSTER_PORTS:-7001 7002 7003})
node_up() { redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null | grep -q PONG; }
node_ok() {
  local info
  info=$(redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null) || return 1
  grep -q '^cluster_state:ok' <<<"$info" &&
    grep -q "^cluster_known_nodes:${#CLUSTER_PORTS[@]}" <<<"$info" &&
    grep -q '^cluster_slots_assigned:16384' <<<"$info"
}
cluster_ok() { for port in "${CLUSTER_PORTS[@]}"; do node_ok "$port" || return 1; done; }

if ! cluster_ok && command -v redis-server >/dev/null; then
  cluster_dir=/var/lib/redis/cluster
  mkdir -p "$cluster_dir" 2>/dev/null && [ -w "$cluster_dir" ] ||
    cluster_dir="${TMPDIR:-/tmp}/429chain-redis-cluster"
  mkdir -p "$cluster_dir"
  echo "starting a ${#CLUSTER_PORTS[@]}-master Redis Cluster on 127.0.0.1:${CLUSTER_PORTS[*]} ($cluster_dir)"
  # Stale state (half-created cluster, a node left from another run): start over, empty.
  for port in "${CLUSTER_PORTS[@]}"; do
    if node_up "$port"; then redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true; fi
    for _ in $(seq 1 50); do node_up "$port" || break; sleep 0.1; done
    rm -f "$cluster_dir/nodes-$port.conf"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --cluster-enabled yes --cluster-config-file "nodes-$port.conf" --cluster-node-timeout 5000 \
      --dir "$cluster_dir" --logfile "$cluster_dir/$port.log" --pidfile "$cluster_dir/$port.pid"
  done
  for port in "${CLUSTER_PORTS[@]}"; do
    for _ in $(seq 1 50); do node_up "$port" && break; sleep 0.1; done
  done
  nodes=()
  for port in "${CLUSTER_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >/dev/null
  for _ in $(seq 1 100); do cluster_ok && break; sleep 0.1; done
fi
cluster_ok || {
  echo "Redis Cluster is not reachable on 127.0.0.1:${CLUSTER_PORTS[*]} and could not be started" >&2
  exit 1
}

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 100); do pg_up && break; sleep 0.1; done
  fi
  pg_up || { echo "PostgreSQL is not reachable on 127.0.0.1:5432 and could not be started" >&2; exit 1; }
fi

# The scaled-out system test puts nginx (Debian's package) in front of two gateways; without
# it (and without root to install it) that test is skipped, not failed.
if ! command -v nginx >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing nginx for the scaled-out system test"
  export DEBIAN_FRONTEND=noninteractive
  install_nginx() { apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
  install_nginx || { apt-get update -qq && install_nginx; } ||
    echo "warning: could not install nginx; the scaled-out system test will be skipped" >&2
fi

# The admin console's browser test drives Debian's chromium through playwright-core (which
# never downloads a browser of its own).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium for the admin console's browser test"
  export DEBIAN_FRONTEND=noninteractive
  install_chromium() { apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
  install_chromium || { apt-get update -qq && install_chromium; } ||
    echo "warning: could not install chromium; the admin browser test will fail" >&2
fi

cluster_url="redis+cluster://$(IFS=,; echo "${CLUSTER_PORTS[*]/#/127.0.0.1:}")"
echo "services: redis, redis cluster ($cluster_url) and postgres up"
