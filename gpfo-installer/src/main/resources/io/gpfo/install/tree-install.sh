# tree-install.sh DEST TARBALL: unpacks TARBALL into a fresh DEST.gpfo-new, makes it root's and
# not group/world writable, then puts it in DEST's place (the old tree is removed last).
set -e
dest=$1 tarball=$2
new=$dest.gpfo-new
old=$dest.gpfo-old
rm -rf -- "$new" "$old"
mkdir -m 0755 -- "$new"
tar -C "$new" --no-same-owner -xzf "$tarball"
chown -R -h 0:0 -- "$new"
chmod -R go-w -- "$new"
if [ -e "$dest" ] || [ -L "$dest" ]; then
    mv -T -- "$dest" "$old"
fi
mv -T -- "$new" "$dest"
rm -rf -- "$old"
