# stream-upload.sh DEST SIZE SHA256 MODE: writes stdin to DEST for a server without the SFTP
# subsystem. Written to a private temporary file next to DEST (mktemp: 0600, created
# exclusively), checked against the size and SHA-256 the sender computed, given MODE, flushed to
# disk, then renamed into place: DEST is never partial, and a damaged copy never replaces it.
set -e
dest=$1 size=$2 sum=$3 mode=$4
tmp=$(mktemp "$(dirname -- "$dest")/.$(basename -- "$dest").gpfo-upload.XXXXXXXX")
trap 'rm -f -- "$tmp"' EXIT
cat > "$tmp"
got_size=$(wc -c < "$tmp" | tr -d ' ')
got_sum=$(sha256sum < "$tmp")
got_sum=${got_sum%% *}
if [ "$got_size" != "$size" ] || [ "$got_sum" != "$sum" ]; then
    echo "the copy is damaged: received $got_size bytes with sha256 $got_sum, sent $size bytes with sha256 $sum" >&2
    exit 3
fi
chmod "$mode" "$tmp"
# coreutils before 8.24 ignore the file argument (and say so): then everything is flushed
sync -- "$tmp" 2>/dev/null || sync
mv -f -- "$tmp" "$dest"
trap - EXIT
