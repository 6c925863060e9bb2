# shellcheck shell=bash
# The arbiter's etcd cluster on the lab (issue 15), sourced by scripts/lab: three members on the
# segment hosts sdw1, sdw2 and sdw3 (never on a coordinator host, never on the client: the
# asymmetric partition cuts mdw from every member while the client still reaches it). Debian's
# etcd-server binary, run inside the host namespaces (its own service stays off), data in each
# host's /data/etcd; `down` removes both with the rest of the lab.
#
#   etcd-up            start all three members and wait for a healthy cluster (idempotent)
#   etcd-stop H        stop the member on H (SIGKILL: a lost host, not a clean leave)
#   etcd-start H       start the member on H again (its data kept) and wait until it answers
#   etcd-cut A M       drop etcd traffic (client 2379, peer 2380) between host A and member M
#   etcd-heal A M      undo etcd-cut A M
readonly ETCD_HOSTS=(sdw1 sdw2 sdw3)
readonly ETCD_CLIENT_PORT=2379 ETCD_PEER_PORT=2380
readonly ETCD_TABLE=gpfo_lab_etcd

etcd_is_member() {
    local m
    for m in "${ETCD_HOSTS[@]}"; do [[ $1 == "$m" ]] && return 0; done
    return 1
}
need_etcd_member() { etcd_is_member "${1:-}" || usage "not an etcd member: '${1:-}' (members: ${ETCD_HOSTS[*]})"; }
etcd_endpoints() { # comma-separated client URLs
    local m out=
    for m in "${ETCD_HOSTS[@]}"; do out+=${out:+,}http://${HOST_IP[$m]}:$ETCD_CLIENT_PORT; done
    echo "$out"
}
etcd_pid() { # the member's pid on host $1 (an etcd process in its network namespace), else fails
    local p
    for p in $(pgrep -x etcd); do
        pid_in_ns "$p" "$(ns_of "$1")" && { echo "$p"; return 0; }
    done
    return 1
}
etcd_answers() { # etcd_answers H: the member on H answers its health check
    hrun "$1" env ETCDCTL_API=3 timeout 3 etcdctl --dial-timeout=1s --command-timeout=2s \
        --endpoints "http://${HOST_IP[$1]}:$ETCD_CLIENT_PORT" endpoint health >/dev/null 2>&1
}
etcd_launch() {
    local h=$1 cluster= m
    for m in "${ETCD_HOSTS[@]}"; do cluster+=${cluster:+,}$m=http://${HOST_IP[$m]}:$ETCD_PEER_PORT; done
    # bootstrap flags are ignored once /data/etcd holds a member: a restart rejoins with its data.
    # heartbeat 100 ms, election 1 s: etcd's defaults, stated (a lease outlives a leader election)
    hrun "$h" sh -c 'mkdir -p /data/etcd && chmod 700 /data/etcd &&
        setsid nohup etcd --name "$1" --data-dir /data/etcd \
          --listen-client-urls "http://$2:$3" --advertise-client-urls "http://$2:$3" \
          --listen-peer-urls "http://$2:$4" --initial-advertise-peer-urls "http://$2:$4" \
          --initial-cluster "$5" --initial-cluster-state new --initial-cluster-token gpfo-lab \
          --heartbeat-interval 100 --election-timeout 1000 >> /var/log/etcd.log 2>&1 < /dev/null &' \
        etcd "$h" "${HOST_IP[$h]}" "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT" "$cluster"
}
etcd_wait() { # etcd_wait H...: until each member answers (30 s at most)
    local h i
    for h in "$@"; do
        for ((i = 0; i < 150; i++)); do
            etcd_answers "$h" && break
            sleep 0.2
        done
        etcd_answers "$h" || die "etcd on $h does not answer (see $(hostdir "$h")/fs/var-log/etcd.log)"
    done
}
cmd_etcd_up() {
    (($# == 0)) || usage "etcd-up takes no arguments"
    require_root
    require_up
    command -v etcd >/dev/null || die "etcd is not installed (scripts/prereqs installs etcd-server)"
    local h started=()
    for h in "${ETCD_HOSTS[@]}"; do
        etcd_pid "$h" >/dev/null && continue
        etcd_launch "$h"
        started+=("$h")
    done
    etcd_wait "${ETCD_HOSTS[@]}"
    say "etcd up on ${ETCD_HOSTS[*]} ($(etcd_endpoints))${started[*]:+; started ${started[*]}}"
}
cmd_etcd_stop() {
    (($# == 1)) || usage "etcd-stop takes one member host"
    need_etcd_member "$1"
    require_root
    require_up
    local pid i
    pid=$(etcd_pid "$1") || { say "etcd on $1: not running"; return 0; }
    kill -KILL "$pid"
    for ((i = 0; i < 100; i++)); do etcd_pid "$1" >/dev/null || break; sleep 0.05; done
    ! etcd_pid "$1" >/dev/null || die "etcd on $1 survived SIGKILL"
    say "etcd on $1: stopped"
}
cmd_etcd_start() {
    (($# == 1)) || usage "etcd-start takes one member host"
    need_etcd_member "$1"
    require_root
    require_up
    etcd_pid "$1" >/dev/null || etcd_launch "$1"
    # a lone member cannot answer a health check without a quorum: wait only for its process and port
    local i
    for ((i = 0; i < 150; i++)); do
        hrun "$1" timeout 1 bash -c "</dev/tcp/${HOST_IP[$1]}/$ETCD_CLIENT_PORT" 2>/dev/null && break
        sleep 0.1
    done
    say "etcd on $1: started"
}
etcd_nft_ensure() { # the etcd fault table of host $1: a set of member addresses whose etcd ports are dropped
    nft_in "$1" list table inet "$ETCD_TABLE" >/dev/null 2>&1 && return 0
    nft_in "$1" -f - <<EOF
add table inet $ETCD_TABLE
add set inet $ETCD_TABLE members { type ipv4_addr; }
add chain inet $ETCD_TABLE cut_in { type filter hook input priority -10; policy accept; }
add chain inet $ETCD_TABLE cut_out { type filter hook output priority -10; policy accept; }
add rule inet $ETCD_TABLE cut_out ip daddr @members tcp dport { $ETCD_CLIENT_PORT, $ETCD_PEER_PORT } drop
add rule inet $ETCD_TABLE cut_in ip saddr @members tcp sport { $ETCD_CLIENT_PORT, $ETCD_PEER_PORT } drop
EOF
}
cmd_etcd_cut() {
    (($# == 2)) || usage "etcd-cut takes a host and a member host"
    need_host "$1"
    need_etcd_member "$2"
    [[ $1 != "$2" ]] || usage "etcd-cut needs two different hosts"
    require_root
    require_up
    etcd_nft_ensure "$1"
    nft_in "$1" add element inet "$ETCD_TABLE" members "{ ${HOST_IP[$2]} }"
    say "cut $1 from etcd on $2"
}
cmd_etcd_heal() {
    (($# == 2)) || usage "etcd-heal takes a host and a member host"
    need_host "$1"
    need_etcd_member "$2"
    require_root
    require_up
    nft_in "$1" list table inet "$ETCD_TABLE" >/dev/null 2>&1 || return 0
    nft_in "$1" delete element inet "$ETCD_TABLE" members "{ ${HOST_IP[$2]} }" 2>/dev/null || true
    say "healed $1 to etcd on $2"
}
etcd_env() {
    printf "LAB_ETCD_HOSTS='%s'\nLAB_ETCD_ENDPOINTS=%s\n" "${ETCD_HOSTS[*]}" "$(etcd_endpoints)"
}
