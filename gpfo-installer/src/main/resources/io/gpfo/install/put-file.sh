# put-file.sh STAGED DEST OWNER GROUP MODE CHECK: installs STAGED as DEST with that owner, group
# and mode, under a temporary name first (DEST.gpfo-new: sudo ignores names with a dot), checked
# when CHECK is "sudoers", then renamed into place, so DEST is never partial or unchecked.
set -e
staged=$1 dest=$2
new=$dest.gpfo-new
rm -f -- "$new"
install -o "$3" -g "$4" -m "$5" "$staged" "$new"
if [ "$6" = sudoers ]; then
    if ! problem=$(visudo -cf "$new" 2>&1); then
        rm -f -- "$new"
        echo "visudo rejected it, left $dest as it was: $problem" >&2
        exit 3
    fi
fi
mv -f -- "$new" "$dest"
