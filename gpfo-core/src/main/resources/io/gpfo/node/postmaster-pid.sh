# gpfo: shared by inspect.sh and fence.sh (prepended to each).
# postmaster_pid DIR: prints the pid recorded in DIR/postmaster.pid when that process is alive.
postmaster_pid() {
  pid=
  if [ -r "$1/postmaster.pid" ]; then
    pid=$(head -n 1 "$1/postmaster.pid")
  fi
  case $pid in
    ''|*[!0-9]*) return 1 ;;
  esac
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}
