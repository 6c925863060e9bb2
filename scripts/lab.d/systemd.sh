# shellcheck shell=bash
# gpfo lab, --init systemd (issue 12): mdw and smdw as systemd-nspawn containers with systemd as
# PID 1, joined to the lab's network namespaces. Sourced by scripts/lab; facts behind the choices
# are in ../shared/docs/systemd-lab.md (what boots here, which nspawn options are needed).
#
# The root file system is Debian bookworm from Debian's archive, built once with debootstrap and
# cached (rebuilt when missing). Each run boots an overlay of it, so runs never write to the cache.
# debootstrap and systemd-nspawn come from apt-get download + dpkg -x into a tools directory: the
# host's systemd packages are never upgraded (systemd-container is pinned to the host's
# libsystemd-shared version).

readonly SD_CACHE=${GPFO_LAB_CACHE:-/var/cache/gpfo-lab}
readonly SD_ROOTFS=$SD_CACHE/rootfs SD_TOOLS=$SD_CACHE/tools
readonly SD_SUITE=bookworm
# What the cache was built as: a rootfs of another version is rebuilt (sd_configure_rootfs changed).
readonly SD_ROOTFS_VERSION=2
# What a lab host needs on top of minbase: systemd as init, the lab's network tools, sshd, sudo,
# PostgreSQL 15 (the Greenplum stand-in), util-linux's script/agetty and bsdutils' logger/wall for
# the operator terminals of the alert tests.
readonly SD_PACKAGES=systemd,systemd-sysv,dbus,iproute2,iputils-arping,iputils-ping,bsdutils,util-linux,procps,psmisc,openssh-server,sudo,postgresql-15,libstdc++6,zlib1g,nftables

sd_mirror() { # the Debian mirror the host's apt uses
    local m
    m=$(sed -n 's/^URIs: *\(.*\/debian\)\/\?$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
    [[ -n $m ]] || m=$(sed -n 's/^deb  *\(http[^ ]*\/debian\)\/\? .*/\1/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)
    echo "${m:-http://deb.debian.org/debian}"
}

# sd_tools: debootstrap and systemd-nspawn unpacked into $SD_TOOLS (never installed on the host).
sd_tools() {
    [[ -x $SD_TOOLS/usr/bin/systemd-nspawn && -x $SD_TOOLS/usr/sbin/debootstrap ]] && return 0
    local shared version dl
    shared=$(dpkg-query -W -f '${Version}' libsystemd-shared 2>/dev/null) ||
        die "libsystemd-shared is not installed: cannot pick a matching systemd-nspawn"
    version=$shared
    dl=$(mktemp -d)
    rm -rf "$SD_TOOLS"
    mkdir -p "$SD_TOOLS"
    (cd "$dl" && apt-get download -q "debootstrap" "systemd-container=$version") >/dev/null 2>&1 ||
        { apt-get update -qq && (cd "$dl" && apt-get download -q "debootstrap" "systemd-container=$version") >/dev/null; } ||
        die "could not download debootstrap and systemd-container=$version"
    local deb
    for deb in "$dl"/*.deb; do dpkg -x "$deb" "$SD_TOOLS"; done
    rm -rf "$dl"
}

# sd_rootfs: the cached root file system, built when missing. A build that did not finish leaves no
# rootfs behind (it is built aside and renamed at the end).
sd_rootfs() {
    [[ $(cat "$SD_ROOTFS/.gpfo-lab-complete" 2>/dev/null) == "$SD_ROOTFS_VERSION" ]] && return 0
    sd_tools
    local t0=$SECONDS tmp=$SD_CACHE/rootfs.building
    say "building the systemd lab root file system ($SD_SUITE, first time only) in $SD_ROOTFS"
    rm -rf --one-file-system "$tmp" "$SD_ROOTFS"
    mkdir -p "$tmp"
    DEBOOTSTRAP_DIR=$SD_TOOLS/usr/share/debootstrap "$SD_TOOLS/usr/sbin/debootstrap" --variant=minbase \
        --include="$SD_PACKAGES" "$SD_SUITE" "$tmp" "$(sd_mirror)" >"$SD_CACHE/debootstrap.log" 2>&1 ||
        die "debootstrap failed (see $SD_CACHE/debootstrap.log)"
    sd_configure_rootfs "$tmp"
    echo "$SD_ROOTFS_VERSION" >"$tmp/.gpfo-lab-complete"
    mv "$tmp" "$SD_ROOTFS"
    say "root file system built in $((SECONDS - t0))s"
}

# What every lab host's OS image has in common: the services the lab runs itself are off, and the
# journal is persistent (read from the host with journalctl -D).
sd_configure_rootfs() {
    local r=$1
    # The lab makes its own PostgreSQL pair; Debian's default cluster must not start.
    chroot "$r" systemctl mask postgresql.service postgresql@15-main.service >/dev/null 2>&1 || true
    rm -rf "$r/var/lib/postgresql/15/main" "$r/etc/postgresql/15/main"
    # sshd keys and config come from the lab per host; Debian's generated ones go.
    rm -f "$r"/etc/ssh/ssh_host_*
    chroot "$r" systemctl enable ssh.service >/dev/null 2>&1
    mkdir -p "$r/var/log/journal"
    # No login prompt on the container's console: the alert tests open their own sessions.
    chroot "$r" systemctl mask console-getty.service >/dev/null 2>&1 || true
    rm -f "$r/etc/machine-id"
    : >"$r/etc/machine-id"
    echo 'LANG=C.UTF-8' >"$r/etc/default/locale"
    rm -f "$r"/var/cache/apt/archives/*.deb
    # As on RHEL, wall is setgid tty, so a user's wall (the peer's, over SSH) reaches mesg-y
    # terminals; Debian 12 ships it without.
    chroot "$r" chgrp tty /usr/bin/wall
    chmod 2755 "$r/usr/bin/wall"
}

# ------------------------------------------------------------------ which hosts are containers
# With --init systemd the two coordinator hosts boot systemd; the witnesses and the client stay plain
# namespaces (they run no gpfo service).
readonly SD_HOSTS=("$PRIMARY_HOST" "$STANDBY_HOST")
lab_init() { local i; i=$(state_get INIT); echo "${i:-sysv}"; }
is_container_host() {
    [[ $(lab_init) == systemd ]] || return 1
    [[ $1 == "${SD_HOSTS[0]}" || $1 == "${SD_HOSTS[1]}" ]]
}
# What PID 1 of a host's namespaces is called: the lab's anchor (sleep) or the container's systemd.
anchor_comm() { if is_container_host "$1"; then echo systemd; else echo sleep; fi; }
# nsenter's namespace options for host $1: a container also has its own PID and cgroup namespaces,
# so that what is started inside belongs to the container (and is seen by its systemd); and its root
# and working directory are the container's (nspawn pivoted its root: entering the mount namespace
# alone leaves a process on the detached old root, where getcwd fails).
host_ns_options() { if is_container_host "$1"; then printf '%s\n' -a -r -w; else printf '%s\n' -n -m -u -i; fi; }

# host_view_pid H PID: a pid read inside host H (a pid file) as the lab's root namespace sees it.
host_view_pid() {
    local h=$1 pid=$2 anchor pidns p
    is_container_host "$h" || { echo "$pid"; return 0; }
    anchor=$(<"$(hostdir "$h")/anchor.pid") || return 1
    pidns=$(readlink "/proc/$anchor/ns/pid") || return 1
    for p in /proc/[0-9]*; do
        [[ $(readlink "$p/ns/pid" 2>/dev/null) == "$pidns" ]] || continue
        if [[ $(sed -n 's/^NSpid:.*[[:space:]]\([0-9]*\)$/\1/p' "$p/status" 2>/dev/null) == "$pid" ]]; then
            echo "${p#/proc/}"
            return 0
        fi
    done
    return 1
}

# ------------------------------------------------------------------ containers
sd_cgroup_dirs() { # the cgroup directories of host $1's container (hybrid host: name=systemd + cgroup2)
    local hier
    for hier in systemd unified; do
        [[ -d /sys/fs/cgroup/$hier ]] && echo "/sys/fs/cgroup/$hier/gpfo-lab-$1"
    done
    return 0
}

# sd_start_container H: boots host H's container on an overlay of the cached rootfs and waits until
# its systemd is running. The overlay and nspawn's /run/systemd live in a private mount namespace,
# nspawn in cgroups of its own: nothing is left in the host's /run, mounts or cgroups afterwards.
sd_start_container() {
    local h=$1 d sd b name target jdk pid1 nspawn i state
    local -a binds=()
    d=$(hostdir "$h")
    sd=$d/container
    mkdir -p "$sd/upper" "$sd/work" "$sd/root" "$d/fs/var-log/journal"
    for b in "${BIND_DIRS[@]}" "${BIND_FILES[@]}"; do
        name=${b%%:*} target=${b#*:}
        # systemd's own directories stay the container's (its enabled units live there).
        case $name in systemd-system | init.d | rc?.d) continue ;; esac
        binds+=("--bind=$d/fs/$name:$target")
    done
    # sshd's pid file (sshd_config) is in the host directory; the JDK is the host's, read-only.
    jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    binds+=("--bind=$d/run:$d/run" "--bind-ro=$jdk")
    [[ -d /etc/java-17-openjdk ]] && binds+=("--bind-ro=/etc/java-17-openjdk")
    for b in $(sd_cgroup_dirs "$h"); do mkdir -p "$b"; done
    record cgroup "$h"
    local uid gid
    uid=$(id -u "$ADMIN") gid=$(id -g "$ADMIN")
    # shellcheck disable=SC2016 # expanded by the inner bash
    setsid unshare --mount --propagation private -- bash -c '
        set -e
        h=$1 sd=$2 uid=$3 gid=$4 admin=$5 home=$6 jdk=$7 rootfs=$8 nspawn=$9
        shift 9
        for c in /sys/fs/cgroup/systemd/gpfo-lab-$h /sys/fs/cgroup/unified/gpfo-lab-$h; do
            [[ -d $c ]] && echo $$ >"$c/cgroup.procs"
        done
        mount -t overlay "gpfo-lab-$h" -o "lowerdir=$rootfs,upperdir=$sd/upper,workdir=$sd/work" "$sd/root"
        mount -t tmpfs -o mode=0755,size=8m gpfo-lab-run-systemd /run/systemd
        r=$sd/root
        # the lab admin user with the uid/gid of the files in the bound directories
        if ! chroot "$r" getent passwd "$admin" >/dev/null; then
            chroot "$r" groupadd -g "$gid" "$admin"
            chroot "$r" useradd -M -d "$home" -s /bin/bash -u "$uid" -g "$gid" "$admin"
            chroot "$r" usermod -p "*" "$admin"
        fi
        ln -sf "$jdk/bin/java" "$r/usr/bin/java"
        echo $$ >"$sd/nspawn.pid"
        exec "$nspawn" "$@"
    ' sd-start "$h" "$sd" "$uid" "$gid" "$ADMIN" "$ADMIN_HOME" "$jdk" "$SD_ROOTFS" "$SD_TOOLS/usr/bin/systemd-nspawn" \
        --quiet --boot --directory="$sd/root" --machine="gpfo-$h" --hostname="$h" \
        --register=no --keep-unit --network-namespace-path="/run/netns/$(ns_of "$h")" \
        --capability=CAP_NET_ADMIN,CAP_NET_RAW --resolv-conf=off --timezone=off --link-journal=no \
        --console=passive "${binds[@]}" </dev/null >"$d/log/console.log" 2>&1 9<&- &
    disown $!
    for ((i = 0; i < 300; i++)); do
        nspawn=$(cat "$sd/nspawn.pid" 2>/dev/null || true)
        if [[ -n $nspawn ]]; then
            pid1=$(pgrep -P "$nspawn" -x systemd | head -n 1 || true)
            [[ -n $pid1 ]] && break
        fi
        sleep 0.05
    done
    [[ -n ${pid1:-} ]] || { tail -n 20 "$d/log/console.log" >&2; die "the container of $h did not start"; }
    echo "$pid1" >"$d/anchor.pid"
    readlink "/proc/$pid1/ns/mnt" >"$d/anchor.mntns"
    # Until systemd has its private bus socket, systemctl cannot ask; then --wait waits for the boot.
    for ((i = 0; i < 600; i++)); do
        [[ -S /proc/$pid1/root/run/systemd/private ]] && break
        sleep 0.05
    done
    state=$(timeout 60 nsenter -t "$pid1" -a systemctl is-system-running --wait 2>&1 || true)
    if [[ $state != running ]]; then
        tail -n 20 "$d/log/console.log" >&2
        die "systemd in $h is '$state', not running"
    fi
}

# sd_stop_container H: a clean poweroff (SIGTERM to nspawn), bounded; down kills what remains.
sd_stop_container() {
    local h=$1 sd nspawn i
    sd=$(hostdir "$h")/container
    nspawn=$(cat "$sd/nspawn.pid" 2>/dev/null) || return 0
    [[ $(cat "/proc/$nspawn/comm" 2>/dev/null) == systemd-nspawn ]] || return 0
    kill -TERM "$nspawn"
    for ((i = 0; i < 600; i++)); do
        [[ -e /proc/$nspawn ]] || { rm -f "$sd/nspawn.pid"; return 0; }
        sleep 0.05
    done
    say "warning: the container of $h did not power off within 30 s"
}

sd_remove_cgroups() { # depth first: a cgroup directory goes once its children have
    local c
    for c in $(sd_cgroup_dirs "$1"); do
        [[ -d $c ]] || continue
        find "$c" -depth -type d -exec rmdir {} + 2>/dev/null || say "warning: could not remove cgroup $c"
    done
}

# sd_pg_start H: the postmaster of container H as a transient unit of its systemd, so it belongs to
# the container (not to the nsenter that started it) and stops cleanly when the container does.
sd_pg_start() {
    hrun "$1" systemd-run --quiet --collect --unit=gpfo-lab-postgres -p Type=forking \
        -p User="$ADMIN" -p Group="$ADMIN" -p KillMode=mixed -p KillSignal=SIGINT -p TimeoutStopSec=30 \
        --setenv=HOME="$ADMIN_HOME" --setenv=LANG=C.UTF-8 \
        "$PGBIN/pg_ctl" -D "$DATA_DIR" -l "$(dirname "$DATA_DIR")/pg.log" -w -t 60 start >>"$LAB_DIR/lab.log" 2>&1
}

# reboot H: power host H's container off and boot it again, as a host reboot would: the network
# namespace stays (the "hardware"), but addresses added at run time (the VIP) are gone, and the
# disk (the overlay and the bound directories) is kept. Only the systemd hosts can reboot.
cmd_reboot() {
    (($# == 1)) || usage "reboot takes one host"
    need_host "$1"
    require_root
    require_up
    is_container_host "$1" || die "$1 has no init system to reboot (scripts/lab up --init systemd)"
    local h=$1 ns t0=$SECONDS i
    ns=$(ns_of "$h")
    sd_stop_container "$h"
    ip -n "$ns" addr flush dev "$IFACE"
    ip -n "$ns" addr add "${HOST_IP[$h]}/$PREFIX" dev "$IFACE"
    ip -n "$ns" route replace default via "$GATEWAY" dev "$IFACE" 2>/dev/null || true
    sd_start_container "$h"
    for ((i = 0; i < 200; i++)); do
        sshd_pid "$h" >/dev/null && break
        sleep 0.05
    done
    say "$h: rebooted in $((SECONDS - t0))s"
}
