# gpfo: stop a coordinator postmaster for good, so it cannot serve next to the new one.
# Runs as the admin user with the Greenplum environment; arguments: data directory, port.
# Immediate shutdown first; a postmaster that does not exit within seconds (hung) gets SIGKILL, and
# one stopped with SIGSTOP (state T), which no other signal reaches, gets it at once: waiting out an
# immediate stop it cannot answer would spend seconds on the failover's critical path. Then the stale socket lock (in the
# socket directory that postmaster.pid names, else /tmp) is removed if no live process owns it:
# gpactivatestandby reads it as "still running".
dir=$1
port=$2
# read before the stop: an immediate shutdown removes postmaster.pid
postmaster_listen "$dir" "$port"
if pid=$(postmaster_pid "$dir"); then
  if [ "$(process_state "$pid")" != T ]; then
    pg_ctl stop -D "$dir" -m immediate -w -t 5 >/dev/null 2>&1 || true
  fi
  if pid_alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      pid_alive "$pid" || break
      sleep 0.3
    done
  fi
  if pid_alive "$pid"; then
    echo "fence=failed postmaster $pid survived SIGKILL"
    exit 1
  fi
  echo "fence=stopped $pid"
else
  echo "fence=not-running"
fi
socket=${listen_socket_dir:-/tmp}/.s.PGSQL.$listen_port
lock=$socket.lock
if [ -e "$lock" ]; then
  owner=$(head -n 1 "$lock" 2>/dev/null)
  case $owner in
    ''|*[!0-9]*) owner= ;;
  esac
  if [ -z "$owner" ] || ! pid_alive "$owner"; then
    rm -f "$lock" "$socket" && echo "lock=removed $lock"
  fi
fi
exit 0
