# shellcheck shell=bash
# Sourced by scripts/lab: the real tools operators watch and route with, inside the lab (issue 14).
#   prometheus-up [SECONDS]   Debian's Prometheus on the client host, scraping both agents' /metrics
#                             (api: port 9188 on each host's own address) every SECONDS (default 1)
#                             and loading etc/gpfo-alerts.rules.yml; API on http://CLIENT_IP:9090
#   prometheus-query EXPR     an instant query through that API, from inside the lab: the JSON answer
#   haproxy-up                Debian's HAProxy on the client host with etc/haproxy.cfg.example, its
#                             server addresses replaced by mdw's and smdw's own lab addresses (never
#                             the VIP): clients connect to CLIENT_IP:5432
#   prometheus-down | haproxy-down
# Both run in the client's namespaces with their files under $LAB_DIR/observe, so `lab down` ends
# them (every process in a lab namespace) and removes their data; the packages' own services stay off.

readonly OBSERVE_API_PORT=9188 PROMETHEUS_PORT=9090
readonly REPO_DIR=${SCRIPT_DIR%/scripts}

observe_dir() { printf '%s/observe' "$LAB_DIR"; }

# observe_pid NAME: the live pid recorded for NAME (prometheus, haproxy) inside the client host, else fails.
observe_pid() {
    local f pid
    f=$(observe_dir)/$1.pid
    [[ -r $f ]] || return 1
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ ]] && pid_in_ns "$pid" "$(ns_of "$CLIENT_HOST")" || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$1" ]] || return 1
    echo "$pid"
}

# observe_stop NAME: SIGTERM, then wait (bounded) until it is gone.
observe_stop() {
    local pid i
    pid=$(observe_pid "$1") || { say "$1 is not running"; return 0; }
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
        [[ -e /proc/$pid ]] && [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] || break
        sleep 0.05
    done
    [[ -e /proc/$pid && $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] && kill -KILL "$pid"
    rm -f "$(observe_dir)/$1.pid"
    say "$1 stopped"
}

# observe_await WHAT CMD...: run CMD inside the client host until it succeeds, at most 15 s.
observe_await() {
    local what=$1 i
    shift
    for ((i = 0; i < 150; i++)); do
        hrun "$CLIENT_HOST" "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "$what did not come up (see $(observe_dir)/*.log)"
}

cmd_prometheus_up() {
    (($# <= 1)) || usage "prometheus-up takes at most an interval in seconds"
    local interval=${1:-1} d h targets=
    [[ $interval =~ ^[0-9]+$ ]] && ((interval > 0)) || usage "prometheus-up: the interval is whole seconds"
    require_root
    require_up
    observe_pid prometheus >/dev/null && die "prometheus already runs (scripts/lab prometheus-down first)"
    d=$(observe_dir)
    mkdir -p "$d/prometheus"
    for h in "$PRIMARY_HOST" "$STANDBY_HOST"; do targets+=${targets:+, }"'${HOST_IP[$h]}:$OBSERVE_API_PORT'"; done
    cp "$REPO_DIR/etc/gpfo-alerts.rules.yml" "$d/gpfo-alerts.rules.yml"
    # the job is named gpfo, as the alert rules expect
    cat >"$d/prometheus.yml" <<EOF
# gpfo lab: written by scripts/lab prometheus-up
global:
  scrape_interval: ${interval}s
  scrape_timeout: ${interval}s
  evaluation_interval: ${interval}s
rule_files: [$d/gpfo-alerts.rules.yml]
scrape_configs:
  - job_name: gpfo
    static_configs: [{targets: [$targets]}]
EOF
    chown -R prometheus: "$d/prometheus"
    # shellcheck disable=SC2016 # expanded by the inner sh
    hrun "$CLIENT_HOST" setsid --fork sh -c 'echo $$ > "$1"; shift; exec setpriv --reuid=prometheus --regid=prometheus --init-groups prometheus "$@"' \
        prometheus "$d/prometheus.pid" --config.file="$d/prometheus.yml" --storage.tsdb.path="$d/prometheus" \
        --storage.tsdb.retention.time=1d --web.listen-address="${HOST_IP[$CLIENT_HOST]}:$PROMETHEUS_PORT" \
        </dev/null >>"$d/prometheus.log" 2>&1
    observe_await prometheus curl -fsS -m 1 "http://${HOST_IP[$CLIENT_HOST]}:$PROMETHEUS_PORT/-/ready"
    say "prometheus on $CLIENT_HOST (${HOST_IP[$CLIENT_HOST]}:$PROMETHEUS_PORT), scraping $targets every ${interval}s"
}

cmd_prometheus_query() {
    (($# == 1)) || usage "prometheus-query takes one PromQL expression"
    require_root
    require_up
    hrun "$CLIENT_HOST" curl -fsS -m 5 "http://${HOST_IP[$CLIENT_HOST]}:$PROMETHEUS_PORT/api/v1/query" \
        --data-urlencode "query=$1"
}

cmd_haproxy_up() {
    (($# == 0)) || usage "haproxy-up takes no arguments"
    require_root
    require_up
    observe_pid haproxy >/dev/null && die "haproxy already runs (scripts/lab haproxy-down first)"
    local d h cfg
    d=$(observe_dir)
    mkdir -p "$d"
    cfg=$REPO_DIR/etc/haproxy.cfg.example
    # The example as shipped, with each server's address replaced by that host's own lab address.
    local -a edits=()
    for h in "$PRIMARY_HOST" "$STANDBY_HOST"; do
        grep -Eq "^[[:space:]]*server $h [0-9.]+:" "$cfg" || die "$cfg has no 'server $h ADDRESS:PORT' line to point at the lab"
        edits+=(-e "s/^([[:space:]]*server $h )[0-9.]+:/\\1${HOST_IP[$h]}:/")
    done
    sed -E "${edits[@]}" "$cfg" >"$d/haproxy.cfg"
    grep -q "$VIP" "$d/haproxy.cfg" && die "the rendered haproxy.cfg names the VIP $VIP: HAProxy must route by the hosts' own addresses"
    haproxy -c -q -f "$d/haproxy.cfg" >>"$d/haproxy.log" 2>&1 || die "haproxy -c refused $d/haproxy.cfg (see $d/haproxy.log)"
    hrun "$CLIENT_HOST" haproxy -D -p "$d/haproxy.pid" -f "$d/haproxy.cfg" </dev/null >>"$d/haproxy.log" 2>&1 ||
        die "haproxy did not start (see $d/haproxy.log)"
    observe_await haproxy sh -c "test -s '$d/haproxy.pid'"
    say "haproxy on $CLIENT_HOST: $(sed -n 's/^[[:space:]]*bind //p' "$d/haproxy.cfg" | head -n 1) -> $PRIMARY_HOST, $STANDBY_HOST (check /primary on :$OBSERVE_API_PORT)"
}

cmd_prometheus_down() {
    (($# == 0)) || usage "prometheus-down takes no arguments"
    require_root
    observe_stop prometheus
}

cmd_haproxy_down() {
    (($# == 0)) || usage "haproxy-down takes no arguments"
    require_root
    observe_stop haproxy
}
