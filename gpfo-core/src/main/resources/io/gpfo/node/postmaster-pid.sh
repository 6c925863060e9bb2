# gpfo: shared by inspect.sh and fence.sh (prepended to each).
# pid_alive PID: whether that process lives. A killed postmaster that its parent has not reaped
# yet is a zombie (state Z): dead, though kill -0 still succeeds on it.
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  state=$(process_state "$1")
  [ "$state" != Z ] && [ "$state" != X ]
}
# process_state PID: the third field of /proc/PID/stat: R, S, D…, T when stopped, Z when a zombie.
process_state() {
  sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
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
# postmaster_listen DIR PORT: where the postmaster of DIR listens on its own host, as it wrote in
# DIR/postmaster.pid (line 4: port, line 5: its first unix socket directory), not libpq's compiled-in
# socket directory: Greenplum uses /tmp, Debian's libpq looks in /var/run/postgresql, and asking the
# wrong one makes a healthy postmaster look hung. Without them in the file: PORT, the configured one.
# Sets listen_port, listen_socket_dir (empty when unknown) and listen_source (for the output).
postmaster_listen() {
  listen_port=$(sed -n 4p "$1/postmaster.pid" 2>/dev/null)
  listen_socket_dir=$(sed -n 5p "$1/postmaster.pid" 2>/dev/null)
  case $listen_port in
    ''|*[!0-9]*) listen_port= ;;
  esac
  case $listen_socket_dir in
    /*) ;;
    *) listen_socket_dir= ;;
  esac
  if [ -n "$listen_port" ] && [ -n "$listen_socket_dir" ]; then
    listen_source=postmaster.pid
  else
    listen_port=$2
    listen_socket_dir=
    listen_source="configured port, default socket directory: postmaster.pid names no port and socket directory"
  fi
}
