# shellcheck shell=bash
# The arbiter's etcd cluster on the lab (issue 15), sourced by scripts/lab: three members on the
# segment hosts sdw1, sdw2 and sdw3 (never on a coordinator host, never on the client: the
# asymmetric partition cuts mdw from every member while the client still reaches it). Debian's
# etcd-server binary, run inside the host namespaces (its own service stays off), data in each
# host's /data/etcd; `down` removes both with the rest of the lab.
#
#   etcd-up [--tls]    start all three members and wait for a healthy cluster (idempotent); --tls:
#                      https client URLs with client-certificate auth and etcd authentication on
#                      (a lab CA, certificates and users made here; see etcd_tls_make)
#   etcd-stop H        stop the member on H (SIGKILL: a lost host, not a clean leave)
#   etcd-start H       start the member on H again (its data kept) and wait until it answers
#   etcd-cut A M       drop etcd traffic (client 2379, peer 2380) between host A and member M
#   etcd-heal A M      undo etcd-cut A M
readonly ETCD_HOSTS=(sdw1 sdw2 sdw3)
readonly ETCD_CLIENT_PORT=2379 ETCD_PEER_PORT=2380
readonly ETCD_TABLE=gpfo_lab_etcd
# --tls: the lab CA, the members' and clients' certificates and the users' passwords, on the root side
# (inside the hosts too: /var/tmp is not bound over), removed by `down` with the rest of $LAB_DIR
readonly ETCD_TLS_DIR=$LAB_DIR/etcd-tls
# where mdw and smdw find the CA and gpfo's client certificate (root:gpadmin 0640, as gpfo.yaml)
readonly ETCD_CLIENT_DIR=/etc/gpfo/etcd
readonly ETCD_USER=gpfo ETCD_PREFIX=/gpfo/

etcd_is_member() {
    local m
    for m in "${ETCD_HOSTS[@]}"; do [[ $1 == "$m" ]] && return 0; done
    return 1
}
need_etcd_member() { etcd_is_member "${1:-}" || usage "not an etcd member: '${1:-}' (members: ${ETCD_HOSTS[*]})"; }
etcd_tls() { [[ $(state_get ETCD_MODE) == tls ]]; } # the members were started with --tls
etcd_endpoints() { # comma-separated client URLs, scheme $1 (default: the mode the members run in)
    local m out= scheme=${1:-http}
    [[ -n ${1:-} ]] || ! etcd_tls || scheme=https
    for m in "${ETCD_HOSTS[@]}"; do out+=${out:+,}$scheme://${HOST_IP[$m]}:$ETCD_CLIENT_PORT; done
    echo "$out"
}
# etcd_ctl H ARGS...: the lab's own etcdctl inside host H, to the member there; in TLS mode with the
# client certificate of etcd's root user (its CN is the user: no password on a command line)
etcd_ctl() {
    local h=$1
    shift
    if etcd_tls; then
        hrun "$h" env ETCDCTL_API=3 timeout 5 etcdctl --dial-timeout=1s --command-timeout=3s \
            --endpoints "https://${HOST_IP[$h]}:$ETCD_CLIENT_PORT" --cacert "$ETCD_TLS_DIR/ca.crt" \
            --cert "$ETCD_TLS_DIR/root.crt" --key "$ETCD_TLS_DIR/root.key" "$@"
    else
        hrun "$h" env ETCDCTL_API=3 timeout 5 etcdctl --dial-timeout=1s --command-timeout=3s \
            --endpoints "http://${HOST_IP[$h]}:$ETCD_CLIENT_PORT" "$@"
    fi
}
etcd_pid() { # the member's pid on host $1 (an etcd process in its network namespace), else fails
    local p
    for p in $(pgrep -x etcd); do
        pid_in_ns "$p" "$(ns_of "$1")" && { echo "$p"; return 0; }
    done
    return 1
}
etcd_answers() { # etcd_answers H: the member on H answers its health check
    etcd_ctl "$1" endpoint health >/dev/null 2>&1
}
etcd_launch() {
    local h=$1 cluster= m scheme=http
    local -a tls=()
    for m in "${ETCD_HOSTS[@]}"; do cluster+=${cluster:+,}$m=http://${HOST_IP[$m]}:$ETCD_PEER_PORT; done
    if etcd_tls; then
        # TLS on the client port only: the arbiter's client is what is under test; peers stay on http
        scheme=https
        tls=(--cert-file "$ETCD_TLS_DIR/$h.crt" --key-file "$ETCD_TLS_DIR/$h.key"
            --client-cert-auth --trusted-ca-file "$ETCD_TLS_DIR/ca.crt")
    fi
    # bootstrap flags are ignored once /data/etcd holds a member: a restart rejoins with its data.
    # heartbeat 100 ms, election 1 s: etcd's defaults, stated (a lease outlives a leader election)
    hrun "$h" sh -c 'name=$1 ip=$2 client=$3 peer=$4 cluster=$5 scheme=$6 && shift 6 &&
        mkdir -p /data/etcd && chmod 700 /data/etcd &&
        setsid nohup etcd --name "$name" --data-dir /data/etcd "$@" \
          --listen-client-urls "$scheme://$ip:$client" --advertise-client-urls "$scheme://$ip:$client" \
          --listen-peer-urls "http://$ip:$peer" --initial-advertise-peer-urls "http://$ip:$peer" \
          --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token gpfo-lab \
          --heartbeat-interval 100 --election-timeout 1000 >> /var/log/etcd.log 2>&1 < /dev/null &' \
        etcd "$h" "${HOST_IP[$h]}" "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT" "$cluster" "$scheme" "${tls[@]}"
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
# etcd_tls_cert NAME SUBJECT EXT [CA]: NAME.key (EC P-256, unencrypted PKCS#8, as gpfo reads it) and NAME.crt
# signed by CA (default: the lab CA), valid two days, with the x509v3 extensions EXT
etcd_tls_cert() {
    local name=$1 subject=$2 ext=$3 ca=${4:-ca} dir=$ETCD_TLS_DIR
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key" 2>/dev/null
    openssl req -new -key "$dir/$name.key" -subj "$subject" -out "$dir/$name.csr"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" -CAcreateserial \
        -days 2 -extfile <(printf '%s\n' "$ext") -out "$dir/$name.crt" 2>/dev/null
    rm -f "$dir/$name.csr"
}
etcd_tls_ca() { # etcd_tls_ca NAME CN: a self-signed CA
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$ETCD_TLS_DIR/$1.key" 2>/dev/null
    openssl req -x509 -new -key "$ETCD_TLS_DIR/$1.key" -subj "/CN=$2" -days 2 \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$ETCD_TLS_DIR/$1.crt"
}
# The lab CA; per member a server certificate (SAN: its IP and name; also clientAuth, because etcd's
# own HTTP/JSON gateway dials the member's gRPC port with it and --client-cert-auth checks it); client
# certificates for gpfo and for the lab's etcdctl (CN root: over gRPC, with --client-cert-auth the CN
# is the etcd user); a second CA and a gpfo certificate signed by it (a certificate the members must
# refuse); the users' passwords. gpfo's certificates have no CN (subject O=gpfo): with authentication on,
# etcd's HTTP gateway answers 400 to any client certificate with a CN (measured on 3.4.23), so gpfo is
# the etcd user by its password. Once: the members keep their certificates across etcd-stop/start.
etcd_tls_make() {
    [[ -s $ETCD_TLS_DIR/untrusted-gpfo.crt ]] && return 0
    command -v openssl >/dev/null || die "openssl is not installed"
    local m client='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth'
    rm -rf "$ETCD_TLS_DIR"
    mkdir -m 700 -p "$ETCD_TLS_DIR"
    etcd_tls_ca ca "gpfo lab etcd CA"
    for m in "${ETCD_HOSTS[@]}"; do
        etcd_tls_cert "$m" "/CN=$m" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=IP:${HOST_IP[$m]},DNS:$m"
    done
    etcd_tls_cert "$ETCD_USER" "/O=$ETCD_USER" "$client"
    etcd_tls_cert root /CN=root "$client"
    etcd_tls_ca untrusted-ca "not the lab etcd CA"
    etcd_tls_cert untrusted-gpfo "/O=$ETCD_USER" "$client" untrusted-ca
    (umask 077 && openssl rand -hex 16 >"$ETCD_TLS_DIR/root.password" &&
        openssl rand -hex 16 >"$ETCD_TLS_DIR/$ETCD_USER.password")
}
# Users root and gpfo (its role: readwrite on $ETCD_PREFIX), then authentication on. Once per cluster.
etcd_auth_enable() {
    [[ $(state_get ETCD_AUTH) == on ]] && return 0
    local h=${ETCD_HOSTS[0]}
    etcd_ctl "$h" user add root --interactive=false --new-user-password "$(cat "$ETCD_TLS_DIR/root.password")" >/dev/null
    etcd_ctl "$h" user grant-role root root >/dev/null
    etcd_ctl "$h" role add "$ETCD_USER" >/dev/null
    etcd_ctl "$h" role grant-permission "$ETCD_USER" --prefix=true readwrite "$ETCD_PREFIX" >/dev/null
    etcd_ctl "$h" user add "$ETCD_USER" --interactive=false \
        --new-user-password "$(cat "$ETCD_TLS_DIR/$ETCD_USER.password")" >/dev/null
    etcd_ctl "$h" user grant-role "$ETCD_USER" "$ETCD_USER" >/dev/null
    etcd_ctl "$h" auth enable >/dev/null
    state_set ETCD_AUTH on
}
# The CA and gpfo's client certificate and key (also the one the lab CA did not sign) on mdw and smdw,
# root:gpadmin 0640 like gpfo.yaml: the agent runs as root, `gpfo status` as gpadmin.
etcd_tls_install_clients() {
    local h f
    for h in "$PRIMARY_HOST" "$STANDBY_HOST"; do
        hrun "$h" install -d -o root -g "$ADMIN" -m 0750 "$ETCD_CLIENT_DIR"
        for f in ca.crt "$ETCD_USER.crt" "$ETCD_USER.key" untrusted-gpfo.crt untrusted-gpfo.key; do
            hrun "$h" install -o root -g "$ADMIN" -m 0640 "$ETCD_TLS_DIR/$f" "$ETCD_CLIENT_DIR/$f"
        done
    done
}
cmd_etcd_up() {
    local mode=plain
    case "$*" in
        "") ;;
        --tls) mode=tls ;;
        *) usage "etcd-up takes no arguments but --tls" ;;
    esac
    require_root
    require_up
    command -v etcd >/dev/null || die "etcd is not installed (scripts/prereqs installs etcd-server)"
    local h was started=()
    was=$(state_get ETCD_MODE)
    [[ -z $was || $was == "$mode" ]] || die "etcd was started in $was mode; 'scripts/lab down' first"
    [[ $mode == plain ]] || etcd_tls_make
    state_set ETCD_MODE "$mode"
    for h in "${ETCD_HOSTS[@]}"; do
        etcd_pid "$h" >/dev/null && continue
        etcd_launch "$h"
        started+=("$h")
    done
    etcd_wait "${ETCD_HOSTS[@]}"
    if [[ $mode == tls ]]; then
        etcd_auth_enable
        etcd_tls_install_clients
    fi
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
    printf "LAB_ETCD_HOSTS='%s'\nLAB_ETCD_ENDPOINTS=%s\n" "${ETCD_HOSTS[*]}" "$(etcd_endpoints http)"
    # etcd-up --tls: the https endpoints; the certificates on the root side (the lab's etcdctl: root.crt,
    # root.key, ca.crt) and in mdw and smdw (ca.crt, gpfo.crt, gpfo.key; untrusted-gpfo.*: signed by another
    # CA); the etcd user gpfo and its password's file (root-only)
    printf 'LAB_ETCD_TLS_ENDPOINTS=%s\nLAB_ETCD_TLS_DIR=%q\nLAB_ETCD_CLIENT_DIR=%s\nLAB_ETCD_USER=%s\n' \
        "$(etcd_endpoints https)" "$ETCD_TLS_DIR" "$ETCD_CLIENT_DIR" "$ETCD_USER"
    printf 'LAB_ETCD_PASSWORD_FILE=%q\nLAB_ETCD_MODE=%s\n' "$ETCD_TLS_DIR/$ETCD_USER.password" "$(state_get ETCD_MODE)"
}
