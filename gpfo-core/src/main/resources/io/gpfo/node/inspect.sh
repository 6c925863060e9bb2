# gpfo: what runs in a coordinator data directory. Runs as the admin user with the Greenplum
# environment; arguments: the data directory and the port. One round trip answers: is a
# postmaster running (its pid is alive), is it stopped (SIGSTOP: alive but hung), does it accept
# connections on its own host (pg_isready over the socket and port that the postmaster itself wrote in
# postmaster.pid: a remote SQL failure may be the network's, this one is not), and what
# pg_controldata says.
dir=$1
port=${2:-5432}
if [ ! -d "$dir" ]; then
  echo "postmaster=no-data-directory"
  exit 0
fi
if pid=$(postmaster_pid "$dir"); then
  echo "postmaster=running"
  echo "pid=$pid"
  # third field of /proc/PID/stat: R, S, D… or T when stopped
  state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  echo "process-state=${state:-?}"
  postmaster_listen "$dir" "$port"
  echo "local-sql-socket=${listen_socket_dir:-default} port $listen_port ($listen_source)"
  if [ -n "$listen_socket_dir" ]; then
    set -- -h "$listen_socket_dir" -p "$listen_port"
  else
    set -- -p "$listen_port"
  fi
  # a stopped (T) postmaster cannot answer: no need to wait for it
  if [ "$state" != T ] && timeout 2 pg_isready -q "$@" -t 1 >/dev/null 2>&1; then
    echo "local-sql=ok"
  else
    echo "local-sql=failed"
  fi
else
  echo "postmaster=not-running"
fi
echo "--- pg_controldata"
pg_controldata "$dir" 2>&1 || true
