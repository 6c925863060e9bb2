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

# The cluster: gpinitsystem (exit 1 means warnings: the catalog is checked instead), the lab's clients
# and replication trusted on the master, then the standby master with gpinitstandby.
gp_real_init() {
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
    local up_segments i
    for ((i = 0; i < 60; i++)); do # mirrors are marked up once they have streamed
        up_segments=$(hpsql "$PRIMARY_HOST" "select count(*) from gp_segment_configuration where content >= 0 and status = 'u'" || true)
        [[ $up_segments == 4 ]] && break
        sleep 1
    done
    [[ $up_segments == 4 ]] || die "gpinitsystem exit $rc, yet ${up_segments:-no answer: none} of 4 segments up (see $LAB_DIR/lab.log)"
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
