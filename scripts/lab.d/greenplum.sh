# shellcheck shell=bash
# Real Greenplum 6 in the lab (issue 20): `scripts/lab up --greenplum 6`. Sourced by scripts/lab.
#
# The build comes from scripts/lab.d/greenplum-build.sh (built once from the 6.24.3 source, cached under
# /var/cache/gpfo-lab). Every lab host mounts that prefix read only inside its own mount namespace, at the
# prefix it was configured with (the binaries' RUNPATH names it) and at $GPHOME_DIR, where a DBA's
# /usr/local/greenplum-db link points (greenplum_path.sh finds GPHOME from its own location); nothing is
# installed in the root namespace, which only gets the empty mount point (removed by `down`).
# The cluster is made as a DBA makes one: gpinitsystem on mdw (master; a primary segment on sdw1 and on
# sdw2, each mirrored on the other segment host), then gpinitstandby -s smdw, with real SSH between the
# hosts as gpadmin. The master listens on $LAB_PGPORT, the segments on 6000+ (primaries) and 7000+ (mirrors).

readonly GP_REAL_SEGMENT_HOSTS=(sdw1 sdw2)
readonly GP_REAL_PRIMARY_DIR=/data/primary GP_REAL_MIRROR_DIR=/data/mirror
readonly GP_REAL_PREFIX=/usr/local/greenplum-db-6.24.3

gp_real() { [[ $(state_get GREENPLUM) == 6 ]]; }

# The cached build's prefix (building it the first time: minutes, with progress on stderr).
gp_real_build() {
    local prefix
    prefix=$("$TEMPLATE_DIR/greenplum-build.sh" --print-prefix | tail -n 1) || die "building Greenplum 6 failed (scripts/lab.d/greenplum-build.sh)"
    [[ -x $prefix/bin/postgres ]] || die "greenplum-build.sh printed '$prefix', which has no bin/postgres"
    echo "$prefix"
}

# The lines of a host's anchor script that mount the build, read only, at its prefix and at $GPHOME_DIR.
gp_real_mount_script() {
    local prefix target
    prefix=$(state_get GP_PREFIX)
    for target in "$GP_REAL_PREFIX" "$GPHOME_DIR"; do
        printf 'mount --bind %q %q\nmount -o remount,bind,ro %q\n' "$prefix" "$target" "$target"
    done
}

# gp_real_run H CMD: a shell command as gpadmin on host H with Greenplum's environment.
gp_real_run() {
    local h=$1
    shift
    grun "$h" env PGPORT="$LAB_PGPORT" MASTER_DATA_DIRECTORY="$DATA_DIR" \
        bash -c ". $GPHOME_DIR/greenplum_path.sh && $1"
}

gp_real_host_dirs() { # data directories of host $1 (inside its /data)
    local d
    d=$(hostdir "$1")/fs/data
    mkdir -p "$d/master" "${d}${GP_REAL_PRIMARY_DIR#/data}" "${d}${GP_REAL_MIRROR_DIR#/data}"
    chown "$ADMIN:$ADMIN" "$d/master" "${d}${GP_REAL_PRIMARY_DIR#/data}" "${d}${GP_REAL_MIRROR_DIR#/data}"
}

readonly GP_REAL_CLUSTER_HOSTS=("$PRIMARY_HOST" "$STANDBY_HOST" "${GP_REAL_SEGMENT_HOSTS[@]}")

# Bump when gp_real_create makes a different cluster: the cached copy is then made anew.
readonly GP_REAL_CLUSTER_RECIPE=1
# The cached cluster: every cluster host's /data right after gpinitsystem and gpinitstandby, the cluster
# stopped cleanly; keyed by the build and the recipe.
gp_real_snapshot() {
    local key
    key=$(printf '%s %s\n' "$(state_get GP_PREFIX)" "$GP_REAL_CLUSTER_RECIPE" | sha256sum | cut -c1-12)
    echo "$(dirname "$(state_get GP_PREFIX)")/greenplum-cluster-$key.tar"
}

# The cluster as DBAs make one, the first time (gp_real_create, about 90 s); then from the cached copy
# of that cluster, started with gpstart (about 20 s): the same data directories, catalog and standby.
gp_real_init() {
    local snapshot t0=$SECONDS h d
    snapshot=$(gp_real_snapshot)
    if [[ ! -r $snapshot ]]; then
        gp_real_create
        gp_real_save "$snapshot"
        return
    fi
    say "greenplum: the cluster gpinitsystem and gpinitstandby made before ($snapshot), started with gpstart"
    for h in "${GP_REAL_CLUSTER_HOSTS[@]}"; do
        d=$(hostdir "$h")/fs/data
        tar -C "$d" --strip-components=2 -xf "$snapshot" "./$h" || die "cannot unpack $h from $snapshot" # ./HOST/…
        chown -R "$ADMIN:$ADMIN" "$d" # gpadmin's uid may differ from when the copy was made
    done
    gp_real_run "$PRIMARY_HOST" "gpstart -a" >>"$LAB_DIR/lab.log" 2>&1 || die "gpstart failed (see $LAB_DIR/lab.log)"
    gp_real_await_segments
    say "greenplum: started in $((SECONDS - t0))s"
}

# Stops the new cluster, keeps a copy of its data directories, starts it again.
gp_real_save() {
    local snapshot=$1 t0=$SECONDS h tmp
    gp_real_run "$PRIMARY_HOST" "gpstop -a -M fast" >>"$LAB_DIR/lab.log" 2>&1 || die "gpstop failed (see $LAB_DIR/lab.log)"
    tmp=$snapshot.$$
    for h in "${GP_REAL_CLUSTER_HOSTS[@]}"; do
        mkdir -p "$LAB_DIR/snapshot"
        ln -sfn "$(hostdir "$h")/fs/data" "$LAB_DIR/snapshot/$h"
    done
    tar -C "$LAB_DIR/snapshot" -hcf "$tmp" "${GP_REAL_CLUSTER_HOSTS[@]/#/./}" || { rm -f "$tmp"; die "cannot write $tmp"; }
    rm -rf "$LAB_DIR/snapshot"
    rm -f "$(dirname "$snapshot")"/greenplum-cluster-*.tar # copies made by an older build or recipe
    mv -f "$tmp" "$snapshot"
    gp_real_run "$PRIMARY_HOST" "gpstart -a" >>"$LAB_DIR/lab.log" 2>&1 || die "gpstart failed (see $LAB_DIR/lab.log)"
    gp_real_await_segments
    say "greenplum: cluster kept in $snapshot ($(du -sh "$snapshot" | cut -f1)) and started again in $((SECONDS - t0))s"
}

# Waits until the master sees its 4 segments up (mirrors count once they stream).
gp_real_await_segments() {
    local up_segments i
    for ((i = 0; i < 60; i++)); do
        up_segments=$(hpsql "$PRIMARY_HOST" "select count(*) from gp_segment_configuration where content >= 0 and status = 'u'" || true)
        [[ $up_segments == 4 ]] && return 0
        sleep 1
    done
    die "${up_segments:-no answer: none} of 4 segments up (see $LAB_DIR/lab.log)"
}

# The cluster: gpinitsystem (exit 1 means warnings: the catalog is checked instead), the lab's clients
# and replication trusted on the master, then the standby master with gpinitstandby.
gp_real_create() {
    local home t0=$SECONDS rc=0
    home=$(hostdir "$PRIMARY_HOST")/fs/home
    printf '%s\n' "${GP_REAL_SEGMENT_HOSTS[@]}" >"$home/gpfo-lab-segments"
    cat >"$home/gpfo-lab-gpinitsystem.conf" <<EOF
# gpfo lab (scripts/lab.d/greenplum.sh)
ARRAY_NAME="gpfo lab"
SEG_PREFIX=gpseg
PORT_BASE=6000
declare -a DATA_DIRECTORY=($GP_REAL_PRIMARY_DIR)
MASTER_HOSTNAME=$PRIMARY_HOST
MASTER_DIRECTORY=$(dirname "$DATA_DIR")
MASTER_PORT=$LAB_PGPORT
TRUSTED_SHELL=ssh
CHECK_POINT_SEGMENTS=8
ENCODING=UNICODE
MIRROR_PORT_BASE=7000
declare -a MIRROR_DATA_DIRECTORY=($GP_REAL_MIRROR_DIR)
EOF
    chown "$ADMIN:$ADMIN" "$home/gpfo-lab-segments" "$home/gpfo-lab-gpinitsystem.conf"
    say "greenplum: gpinitsystem (master on $PRIMARY_HOST, primaries and mirrors on ${GP_REAL_SEGMENT_HOSTS[*]})"
    gp_real_run "$PRIMARY_HOST" "gpinitsystem -a -n C.utf8 -c ~/gpfo-lab-gpinitsystem.conf -h ~/gpfo-lab-segments" \
        >>"$LAB_DIR/lab.log" 2>&1 || rc=$?
    ((rc <= 1)) || die "gpinitsystem failed, exit $rc (see $LAB_DIR/lab.log and ~gpadmin/gpAdminLogs on $PRIMARY_HOST)"
    gp_real_await_segments
    say "greenplum: gpinitsystem done in $((SECONDS - t0))s"
    cat >>"$(hostdir "$PRIMARY_HOST")/fs$DATA_DIR/pg_hba.conf" <<EOF
# gpfo lab: the lab's hosts (client, the standby master, gpfo's agents) trusted
host    all          all   $SUBNET  trust
host    replication  all   $SUBNET  trust
EOF
    gp_real_run "$PRIMARY_HOST" "gpstop -a -u" >>"$LAB_DIR/lab.log" 2>&1 || die "gpstop -u failed (see $LAB_DIR/lab.log)"
    t0=$SECONDS
    gp_real_run "$PRIMARY_HOST" "gpinitstandby -a -s $STANDBY_HOST" >>"$LAB_DIR/lab.log" 2>&1 ||
        die "gpinitstandby failed (see $LAB_DIR/lab.log)"
    say "greenplum: gpinitstandby -s $STANDBY_HOST done in $((SECONDS - t0))s"
    hpsql "$PRIMARY_HOST" 'CREATE TABLE gpfo_lab(id int, note text) DISTRIBUTED BY (id)' >/dev/null ||
        die "creating the lab's table failed on $PRIMARY_HOST"
}

# pg_ctl of the real build on host $1 ("start" or "stop"), as a DBA would run it on one master.
gp_real_pg_ctl() {
    local h=$1 what=$2
    case $what in
        start) gp_real_run "$h" "pg_ctl -D $DATA_DIR -l $DATA_DIR/pg_log/startup.log -w -t 120 start" ;;
        stop) gp_real_run "$h" "pg_ctl -D $DATA_DIR -m fast -w -t 60 stop" ;;
    esac
}
