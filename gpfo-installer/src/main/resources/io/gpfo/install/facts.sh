# facts.sh ADMIN_USER TOOL...: what gpfo install needs to know about this host, one key=value a
# line. Tools are looked up with the PATH a service gets, as the agent will find them.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
user=$1
shift
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
for tool in "$@"; do
    printf 'tool.%s=%s\n' "$tool" "$(command -v "$tool" 2>/dev/null)"
done
# first line only: "systemd 219" (RHEL 7), "systemd 252 (252.17-1~deb12u1)"
if systemctl=$(command -v systemctl 2>/dev/null); then
    printf 'systemd.version=%s\n' "$("$systemctl" --version 2>/dev/null | head -n 1)"
fi
if java=$(command -v java 2>/dev/null); then
    printf 'java.version=%s\n' "$("$java" -version 2>&1 | head -n 1)"
fi
if id "$user" >/dev/null 2>&1; then
    printf 'user.group=%s\n' "$(id -gn "$user")"
fi
