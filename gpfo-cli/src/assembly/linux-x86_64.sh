#!/usr/bin/env bash
# Makes gpfo-<version>-linux-x86_64.tar.gz, the tarball for hosts without Java (RHEL 7 and later: glibc
# 2.17): the distribution tree that the assembly made (bin, lib, libexec, etc, share) plus runtime/, a
# jlink image of a Temurin JDK 25 with only the modules of runtime-modules.txt and an AOT cache of
# gpfo's start-up. Also leaves the tree unpacked in OUT/gpfo-linux-x86_64/gpfo-<version>/.
#
# Maven runs it in the package phase (gpfo-cli/pom.xml, exec-maven-plugin); by hand:
#   linux-x86_64.sh TREE MODULES VERSION TIMESTAMP OUT
# TREE is target/gpfo, MODULES runtime-modules.txt, TIMESTAMP project.build.outputTimestamp (ISO 8601
# or seconds; every file gets it, so the AOT cache, which checks the jars' times, fits the unpacked
# tarball), OUT target/.
# The JDK is $GPFO_RUNTIME_JDK, by default /usr/lib/jvm/temurin-25-jdk-amd64.
set -euo pipefail

if (($# != 5)); then
  echo "usage: linux-x86_64.sh TREE MODULES VERSION TIMESTAMP OUT" >&2
  exit 2
fi
tree=$1 modules_file=$2 version=$3 timestamp=$4 out=$5
jdk=${GPFO_RUNTIME_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
name=gpfo-$version
tarball=$out/$name-linux-x86_64.tar.gz
stage=$out/gpfo-linux-x86_64
home=$stage/$name

fail() {
  echo "[ERROR] linux-x86_64 tarball: $*" >&2
  exit 1
}
info() {
  echo "[INFO] $*"
}

if [[ $timestamp =~ ^[0-9]+$ ]]; then
  epoch=$timestamp
else
  epoch=$(date -d "$timestamp" +%s) || fail "cannot read the timestamp '$timestamp'"
fi

# --- the JDK: Temurin 25 for x86_64, whose libjvm needs only glibc 2.17 (Debian's needs 2.34) ---
release_value() {
  sed -n "s/^$1=\"\\(.*\\)\"\$/\\1/p" "$jdk/release"
}
if [[ ! -x $jdk/bin/jlink || ! -x $jdk/bin/jdeps || ! -r $jdk/release ]]; then
  fail "no JDK at $jdk (bin/jlink, bin/jdeps and release expected). The tarball bundles a Java runtime made" \
    "from a Temurin JDK 25 for Linux x64 (its libjvm runs on glibc 2.17, RHEL 7+): install one there, or" \
    "point GPFO_RUNTIME_JDK at one."
fi
java_version=$(release_value JAVA_VERSION)
implementor=$(release_value IMPLEMENTOR)
arch=$(release_value OS_ARCH)
if [[ ${java_version%%.*} != 25 || $implementor != "Eclipse Adoptium" || $arch != x86_64 ]]; then
  fail "$jdk is Java '$java_version' by '$implementor' for '$arch'; the bundled runtime must come from" \
    "Temurin (Eclipse Adoptium) JDK 25 for x86_64, built for glibc 2.17. Point GPFO_RUNTIME_JDK at one."
fi

# --- the modules: every one that jdeps finds must be listed ---
mapfile -t modules < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$modules_file" | grep -v '^$' | sort -u)
found=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$tree"/lib/*.jar)
missing=$(comm -23 <(tr ',' '\n' <<<"$found" | sort -u) <(printf '%s\n' "${modules[@]}") | paste -sd, -)
if [[ -n $missing ]]; then
  fail "jdeps finds that gpfo's jars use modules that $modules_file does not list: $missing." \
    "Add them there (jdeps --print-module-deps says: $found)."
fi
modules_csv=$(IFS=,; echo "${modules[*]}")
info "runtime modules: $modules_csv (jdeps: $found)"

# --- the runtime: jlink, reused while the JDK, the modules and the options stay the same ---
jlink_options=(--strip-debug --no-man-pages --no-header-files)
runtime=$out/jlink-runtime
key="$(cat "$jdk/release") modules=$modules_csv options=${jlink_options[*]}"
if [[ ! -f $runtime.key || $(<"$runtime.key") != "$key" ]]; then
  rm -rf "$runtime" "$runtime.key"
  "$jdk/bin/jlink" --add-modules "$modules_csv" "${jlink_options[@]}" --output "$runtime"
  printf '%s' "$key" >"$runtime.key"
  info "jlink: made $runtime from $jdk (Temurin $java_version)"
fi

# --- the tree: the assembly's, the runtime, every file dated EPOCH ---
rm -rf "$stage"
mkdir -p "$stage"
cp -a "$tree" "$home"
cp -a "$runtime" "$home/runtime"
find "$home" -exec touch -h -d "@$epoch" {} +

# --- the AOT cache (JDK 25, JEP 483/514): a training run of 'gpfo --help' through the launcher,
# so it records the launcher's JVM options and class path; bin/gpfo uses it with the bundled runtime ---
aot=$home/runtime/lib/gpfo.aot
log=$out/aot-training.log
if ! env -u JAVA_HOME -u GPFO_JAVA_HOME GPFO_OPTS="-XX:AOTCacheOutput=$aot" "$home/bin/gpfo" --help >"$log" 2>&1 \
  || [[ ! -f $aot ]]; then
  cat "$log" >&2
  fail "the AOT training run of $home/bin/gpfo --help failed (output above, also in $log)"
fi
touch -d "@$epoch" "$aot"
if ! checked=$(env -u JAVA_HOME -u GPFO_JAVA_HOME GPFO_OPTS=-XX:AOTMode=on "$home/bin/gpfo" --version 2>&1) \
  || [[ ${checked%%$'\n'*} != "gpfo $version (commit "* ]]; then
  fail "gpfo does not start with its AOT cache (-XX:AOTMode=on): $checked"
fi

# --- the tarball: sorted, owned by root, dated EPOCH ---
tar --sort=name --format=gnu --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --mode=go-w,a+rX \
  -C "$stage" -cf - "$name" | gzip -6n >"$tarball.part"
mv "$tarball.part" "$tarball"

mb() {
  awk -v bytes="$1" 'BEGIN { printf "%.1f MB", bytes / 1000000 }'
}
info "$(basename "$tarball"): $(mb "$(stat -c %s "$tarball")"); unpacked $(mb "$(du -sb "$home" | cut -f1)"):" \
  "runtime/ $(mb "$(du -sb "$home/runtime" | cut -f1)") (its AOT cache $(mb "$(stat -c %s "$aot")")), lib/" \
  "$(mb "$(du -sb "$home/lib" | cut -f1)")"
if [[ -f $out/$name.tar.gz ]]; then
  info "$name.tar.gz (no runtime): $(mb "$(stat -c %s "$out/$name.tar.gz")")"
fi
