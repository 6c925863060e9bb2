# state.sh PATH: one line saying what PATH is now, without following a symbolic link:
#   missing | other | link TARGET | dir OWNER GROUP MODE | file OWNER GROUP MODE SHA256
p=$1
if [ -L "$p" ]; then
    printf 'link %s\n' "$(readlink "$p")"
elif [ -d "$p" ]; then
    stat -c 'dir %U %G %a' "$p"
elif [ -f "$p" ]; then
    attributes=$(stat -c '%U %G %a' "$p") || exit 1
    sum=$(sha256sum < "$p") || exit 1
    printf 'file %s %s\n' "$attributes" "${sum%% *}"
elif [ -e "$p" ]; then
    echo other
else
    echo missing
fi
