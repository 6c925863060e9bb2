# gpfo witness probe: can this host reach the coordinator? Runs on a witness (a segment host)
# over SSH with only what RHEL and Greenplum hosts have: bash, timeout, ping.
# Arguments: host, database port, timeout in seconds. Prints "db=yes|no icmp=yes|no".
# Both probes run at once, so a dead coordinator costs one timeout, not two.
host=$1
port=$2
seconds=$3
# shellcheck disable=SC2016 # $0 and $1 are expanded by the inner bash
timeout "$seconds" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null &
tcp=$!
ping -n -q -c 1 -W "$seconds" "$host" >/dev/null 2>&1 &
icmp=$!
db=no
reach=no
wait "$tcp" && db=yes
wait "$icmp" && reach=yes
echo "db=$db icmp=$reach"
