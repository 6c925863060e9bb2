# gpfo: shared by inspect.sh and fence.sh (prepended to each).
# pid_alive PID: whether that process lives. A killed postmaster that its parent has not reaped
# yet is a zombie (state Z): dead, though kill -0 still succeeds on it.
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ "$state" != Z ] && [ "$state" != X ]
}
# postmaster_pid DIR: prints the pid recorded in DIR/postmaster.pid when that process is alive.
postmaster_pid() {
  pid=
  if [ -r "$1/postmaster.pid" ]; then
    pid=$(head -n 1 "$1/postmaster.pid")
  fi
  case $pid in
    ''|*[!0-9]*) return 1 ;;
  esac
  pid_alive "$pid" && echo "$pid"
}
