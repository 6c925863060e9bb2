#!/usr/bin/env bash
# Builds Greenplum Database 6.24.3 from source once and caches the installed tree for the Greenplum lab
# (issue 20). As root, on Debian 12:
#
#   scripts/lab.d/greenplum-build.sh [--print-prefix]
#
# Prints the cache prefix when done; --print-prefix prints it alone as the last line of stdout (for
# callers), everything else goes to stderr. A cached, complete prefix is reported at once; otherwise
# the source is built (about 6-10 minutes on 2 cores, see docs/greenplum.md "Building Greenplum 6 for
# the lab") under a lock, so two callers never build at once.
#
# Source: $GPFO_GPDB_SRC (a .tar.xz/.tar.gz of the 6.24.3 source release, or an unpacked clean source
# tree with VERSION and configure), else <repo>/../shared/greenplum/greenplum-db-6.24.3.tar.xz.
# Prefix: $GPFO_LAB_CACHE (default /var/cache/gpfo-lab)/greenplum-6.24.3-<first 12 hex of the key>/.
# Key: sha256 over the source's hash, the configure flags and RECIPE_VERSION (below).
#
# The tree is configured with --prefix=/usr/local/greenplum-db-6.24.3, the path lab hosts see it at
# (a bind mount of the cache prefix in their mount namespace), and installed with DESTDIR into a
# staging directory: nothing is written to /usr/local here. greenplum_path.sh finds GPHOME from its own
# location (and puts $GPHOME/lib on LD_LIBRARY_PATH), but the binaries' RUNPATH, pgxs and gppkg
# name /usr/local/greenplum-db-6.24.3: mount the prefix there. The smoke test runs the installed
# tree bound read-only at that path in a private mount namespace (tmpfs over /usr/local, no network
# namespace), and only then is it moved into the cache prefix.
#
# Python: Greenplum 6's utilities are Python 2 ("#!/usr/bin/env python"). python2.7 comes from Debian
# 11 (bullseye) with a low apt pin (../shared/greenplum/README.md); the tree gets bin/python ->
# /usr/bin/python2.7, found first on PATH once greenplum_path.sh is sourced. The Debian packages the
# build needs are installed only when missing, their services kept from starting.
# Verbose output goes to <prefix>.log beside the prefix; on failure its last 30 lines are printed.
set -euo pipefail

readonly GP_VERSION=6.24.3
# Bump when the way the tree is built or patched changes: the cache key changes with it.
readonly RECIPE_VERSION=1
readonly GP_INSTALL_PATH=/usr/local/greenplum-db-$GP_VERSION
readonly PYTHON2=/usr/bin/python2.7
# The lab needs the server, psql/pg_ctl and the management utilities with their Python modules.
# Left out (docs/greenplum.md "Building Greenplum 6 for the lab" says why): ORCA, gpcloud, zstd,
# libcurl, gpfdist. PL/Python stays (the README's verified line; a few seconds of the build);
# --with-pythonsrc-ext builds the bundled psutil and PyYAML (PyGreSQL is always built). Perl, PAM,
# GSSAPI, LDAP, OpenSSL, libxml and gpperfmon are off by default and stay off. The top-level make
# also builds contrib and gpcontrib: kept, gpcontrib's gp_internal_tools is a library initdb's
# gp_toolkit schema names ($libdir/gp_ao_co_diagnostics).
readonly CONFIGURE_FLAGS=(--prefix="$GP_INSTALL_PATH" --disable-orca --disable-gpcloud --without-zstd
    --with-python --with-pythonsrc-ext --without-libcurl --disable-gpfdist)
# Debian 12 packages the configure line above needs (the README's longer list also serves gpfdist,
# PL/Perl, PAM, GSSAPI, OpenSSL and libxml, none of them configured here). python2.7 and
# python2.7-dev come from bullseye (gp_prereqs).
readonly BUILD_PACKAGES=(build-essential bison flex libreadline-dev zlib1g-dev libbz2-dev libyaml-dev
    xz-utils perl)

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR REPO_DIR=${SCRIPT_DIR%/scripts/lab.d}
readonly CACHE=${GPFO_LAB_CACHE:-/var/cache/gpfo-lab}
readonly T0=$SECONDS

say() { printf 'greenplum-build: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
usage() { printf 'greenplum-build: %s (usage: scripts/lab.d/greenplum-build.sh [--print-prefix])\n' "$1" >&2; exit 2; }
phase() { say "$((SECONDS - T0))s $*"; }

print_prefix=false
for arg in "$@"; do
    case $arg in
        --print-prefix) print_prefix=true ;;
        -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 0 ;;
        *) usage "unknown argument '$arg'" ;;
    esac
done
[[ $EUID -eq 0 ]] || die "run as root (it installs Debian packages, builds under $CACHE and uses a private mount namespace)"

# ---- source and cache key -------------------------------------------------------------------------

src=${GPFO_GPDB_SRC:-$REPO_DIR/../shared/greenplum/greenplum-db-$GP_VERSION.tar.xz}
if [[ -d $src ]]; then
    src=$(cd "$src" && pwd)
    [[ -f $src/VERSION && -x $src/configure ]] ||
        die "$src is not a Greenplum source tree (no VERSION or configure): point GPFO_GPDB_SRC at the unpacked $GP_VERSION source release or its tarball"
    [[ $(<"$src/VERSION") == "$GP_VERSION "* ]] ||
        die "$src/VERSION says '$(<"$src/VERSION")', this script builds $GP_VERSION: point GPFO_GPDB_SRC at the $GP_VERSION source"
    [[ ! -e $src/config.status ]] ||
        die "$src has been configured (config.status): give a clean tree, e.g. unpack the release again, or the tarball itself"
    # An unpacked tree is keyed by its VERSION file and a listing of its files (path, size, mtime):
    # hashing every byte of a 250 MB tree on each call would cost seconds; an edited file changes its
    # mtime and so the key.
    src_hash=$({
        sha256sum <"$src/VERSION"
        (cd "$src" && find . -path ./.git -prune -o -type f -printf '%P %s %T@\n' | LC_ALL=C sort | sha256sum)
    } | sha256sum)
elif [[ -f $src ]]; then
    src=$(cd "$(dirname "$src")" && pwd)/$(basename "$src")
    [[ $src == *.tar.xz || $src == *.tar.gz ]] ||
        die "$src is neither a .tar.xz/.tar.gz nor a directory: set GPFO_GPDB_SRC to the Greenplum $GP_VERSION source tarball or unpacked tree"
    # The tarball's bytes. Hashing 26 MB takes 0.2-0.3 s here, too slow for a cached call, so the
    # hash is remembered in $CACHE/greenplum-source.sha256 against the file's path, size, mtime (ns),
    # inode and device, and computed again when any of them changes.
    src_id="$src $(stat -Lc '%s %.9Y %i %d' "$src")"
    memo=$CACHE/greenplum-source.sha256
    src_hash=
    if [[ -r $memo ]]; then
        while IFS=$'\t' read -r id hash; do
            [[ $id == "$src_id" ]] && src_hash=$hash
        done <"$memo"
    fi
    if [[ -z $src_hash ]]; then
        src_hash=$(sha256sum <"$src" | cut -c1-64)
        mkdir -p "$CACHE"
        { grep -v -F "$src "$'\t' "$memo" 2>/dev/null || true; printf '%s\t%s\n' "$src_id" "$src_hash"; } >"$memo.$$"
        mv "$memo.$$" "$memo"
    fi
else
    die "no Greenplum source at $src: get the Greenplum Database $GP_VERSION source release (tag $GP_VERSION of greenplum-db/gpdb, archived as greenplum-db/gpdb-archive) and put it there as greenplum-db-$GP_VERSION.tar.xz, or set GPFO_GPDB_SRC to its tarball or unpacked tree"
fi
key=$(printf 'source=%s\nconfigure=%s\nrecipe=%s\n' "${src_hash%% *}" \
    "$(printf '%s\n' "${CONFIGURE_FLAGS[@]}" | sha256sum | cut -c1-64)" "$RECIPE_VERSION" | sha256sum | cut -c1-64)
readonly PREFIX=$CACHE/greenplum-$GP_VERSION-${key:0:12}
readonly MARKER=.gpfo-build-ok LOG=$PREFIX.log

cached() { [[ -f $PREFIX/$MARKER ]] && grep -qx "key=$key" "$PREFIX/$MARKER"; }
finish() { # the prefix is complete: report it
    if $print_prefix; then printf '%s\n' "$PREFIX"; fi
    exit 0
}
if cached; then
    say "cached: $PREFIX"
    finish
fi

# ---- lock, then build -----------------------------------------------------------------------------

mkdir -p "$CACHE"
exec 9>"$CACHE/greenplum.lock"
if ! flock -n 9; then
    say "another build holds $CACHE/greenplum.lock: waiting for it"
    flock 9
fi
if cached; then # built by the caller we waited for
    say "cached: $PREFIX"
    finish
fi
# Scratch directories of builds killed before their trap ran (their pid is gone) are left over.
for d in "$CACHE"/build.*; do
    [[ -d $d ]] || continue
    pid=${d##*.}
    [[ $pid =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null && rm -rf "$d"
done

# gp_prereqs: install what the build needs, only what is missing. python2.7 is Debian 11's, from a
# bullseye source with a pin of 100, so every other package stays on Debian 12.
installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == 'install ok installed' ]]; }
gp_prereqs() {
    local p missing=() python_missing=false
    for p in "${BUILD_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
    installed python2.7 && installed python2.7-dev || python_missing=true
    [[ ${#missing[@]} -gt 0 ]] || $python_missing || return 0
    export DEBIAN_FRONTEND=noninteractive
    local policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then # keep the packages' services from starting, as scripts/prereqs does
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        remove_policy=$policy # on_exit
    fi
    if $python_missing; then
        if [[ ! -e /etc/apt/sources.list.d/bullseye.sources ]]; then
            say "adding Debian 11 (bullseye) as an apt source for python2.7, pinned low (/etc/apt/sources.list.d/bullseye.sources, /etc/apt/preferences.d/bullseye-low)"
            cat >/etc/apt/sources.list.d/bullseye.sources <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bullseye
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
            printf 'Package: *\nPin: release n=bullseye\nPin-Priority: 100\n' >/etc/apt/preferences.d/bullseye-low
        fi
    fi
    say "installing ${missing[*]}${missing[*]:+ }$($python_missing && echo 'python2.7 python2.7-dev (bullseye)')"
    apt-get update -qq >>"$LOG" 2>&1 || die "apt-get update failed: check the network and /etc/apt/sources.list.d/"
    if ((${#missing[@]})); then
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 ||
            die "could not install ${missing[*]}: run 'apt-get install ${missing[*]}' to see why"
    fi
    if $python_missing; then
        apt-get install -y -qq -t bullseye --no-install-recommends python2.7 python2.7-dev >>"$LOG" 2>&1 ||
            die "could not install python2.7 python2.7-dev from bullseye: run 'apt-get install -t bullseye python2.7 python2.7-dev' to see why"
    fi
    [[ -x $PYTHON2 ]] || die "$PYTHON2 is missing after installing python2.7: check 'dpkg -L python2.7'"
}

BUILD=$CACHE/build.$$
readonly BUILD STAGE=$CACHE/build.$$/stage
remove_policy=
on_exit() {
    local rc=$?
    if ((rc != 0)) && [[ -s $LOG ]]; then
        printf '%s\n' "----- last 30 lines of $LOG" >&2
        tail -n 30 "$LOG" >&2
        say "failed after $((SECONDS - T0))s; full log: $LOG"
    fi
    rm -rf "$BUILD"
    [[ -z $remove_policy ]] || rm -f "$remove_policy"
}
trap 'on_exit' EXIT
trap 'exit 130' INT TERM HUP
: >"$LOG"

phase "prerequisites…"
gp_prereqs

mkdir -p "$BUILD/src" "$BUILD/pybin" "$STAGE"

# The build runs with a clean environment: no pyenv shims or PYTHONPATH from the caller's shell; the
# first `python` on PATH is python2.7 (gpMgmt's make install runs `python setup.py` and `python -c`).
ln -s "$PYTHON2" "$BUILD/pybin/python"
benv() { env -i HOME=/root LC_ALL=C PATH="$BUILD/pybin:/usr/sbin:/usr/bin:/sbin:/bin" "$@"; }

phase "unpack $src…"
if [[ -d $src ]]; then
    cp -a "$src/." "$BUILD/src/" >>"$LOG" 2>&1 || die "could not copy $src"
else
    tar -xf "$src" -C "$BUILD/src" --strip-components=1 >>"$LOG" 2>&1 || die "could not unpack $src: is it a complete tarball?"
fi
cd "$BUILD/src"
[[ -f VERSION && $(<VERSION) == "$GP_VERSION "* ]] ||
    die "$src does not hold Greenplum $GP_VERSION (VERSION: '$(cat VERSION 2>/dev/null)'): point GPFO_GPDB_SRC at the $GP_VERSION source"

phase "configure…"
benv PYTHON=$PYTHON2 ./configure "${CONFIGURE_FLAGS[@]}" >>"$LOG" 2>&1 || die "configure failed"
# gcc 12 reports a false "'save_exception_stack' is used uninitialized" inside PG_TRY
# (retryAbortPrepared in src/backend/cdb/cdbtm.c), and configure made -Wuninitialized an error: keep
# it a warning.
sed -i 's/ -Werror=uninitialized//g' src/Makefile.global

jobs=$(nproc)
phase "make ($jobs jobs)…"
benv make -j"$jobs" >>"$LOG" 2>&1 || die "make failed"

phase "install…"
benv make install DESTDIR="$STAGE" >>"$LOG" 2>&1 || die "make install failed"
readonly TREE=$STAGE$GP_INSTALL_PATH
[[ -x $TREE/bin/postgres && -f $TREE/greenplum_path.sh ]] || die "make install left no $TREE/bin/postgres or greenplum_path.sh"
ln -s "$PYTHON2" "$TREE/bin/python"

# smoke: the installed tree as hosts see it, read-only at $GP_INSTALL_PATH, in a private mount
# namespace (a tmpfs over /usr/local there, so nothing is created in the root namespace's /usr/local).
phase "smoke test…"
# shellcheck disable=SC2016 # expanded by the inner bash
unshare --mount --propagation private -- env -i HOME=/root LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    TREE="$TREE" GPHOME_WANT="$GP_INSTALL_PATH" GP_VERSION="$GP_VERSION" bash -euo pipefail -c '
    mount -t tmpfs -o size=1m,mode=755 gpfo-smoke /usr/local
    mkdir "$GPHOME_WANT"
    mount --bind "$TREE" "$GPHOME_WANT"
    mount -o remount,bind,ro "$GPHOME_WANT"
    cd /
    . "$GPHOME_WANT/greenplum_path.sh"
    set -x
    [[ $GPHOME == "$GPHOME_WANT" ]]
    [[ $(command -v python) == "$GPHOME/bin/python" ]]
    postgres --gp-version | grep -F "(Greenplum Database) $GP_VERSION "
    gpactivatestandby --help >/dev/null
    gpinitstandby --help >/dev/null
    gpstart --help >/dev/null
    gpstop --help >/dev/null
    gpstate --version
    python -c "import psutil, yaml; from pygresql import pg, pgdb; print(psutil.__version__, yaml.__version__)"
    ' >>"$LOG" 2>&1 || die "smoke test of the installed tree failed"

secs=$((SECONDS - T0))
printf 'key=%s\nsource=%s\nconfigure=%s\nrecipe=%s\nbuilt=%s\nseconds=%s\n' "$key" "$src" \
    "${CONFIGURE_FLAGS[*]}" "$RECIPE_VERSION" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$secs" >"$TREE/$MARKER"
rm -rf "$PREFIX" # a prefix without this key's marker is not ours to keep (cached() said so, under the lock)
mv "$TREE" "$PREFIX" # same file system: one rename, the prefix appears complete with its marker
say "done in ${secs}s: $PREFIX"
finish
