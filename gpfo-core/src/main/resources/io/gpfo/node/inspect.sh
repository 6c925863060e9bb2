# gpfo: what runs in a coordinator data directory. Runs as the admin user with the Greenplum
# environment; argument: the data directory. One round trip answers: is a postmaster running
# (its pid is alive), is it stopped (SIGSTOP: alive but hung), and what pg_controldata says.
dir=$1
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
else
  echo "postmaster=not-running"
fi
echo "--- pg_controldata"
pg_controldata "$dir" 2>&1 || true
