# tree-manifest.sh DIR: every entry under DIR (type, path, link target; SHA-256 of each file,
# whether it is executable), then the entries not owned by root or writable by group or others.
# Two trees with the same entries hold the same distribution.
dir=$1
if [ -L "$dir" ] || [ ! -d "$dir" ]; then
    echo missing
    exit 0
fi
cd "$dir" || exit 1
LC_ALL=C
export LC_ALL
echo entries:
find . -mindepth 1 \( -type d -printf 'dir %p\n' \) -o \( -type l -printf 'link %p -> %l\n' \) \
    -o \( -type f -perm -u+x -printf 'exec %p\n' \) -o \( -type f -printf 'file %p\n' \) -o -printf 'other %p\n' | sort
find . -type f -print0 | sort -z | xargs -0r sha256sum
echo unsafe:
find . ! -type l \( ! -uid 0 -o -perm /022 \) -print | sort | head -n 10
