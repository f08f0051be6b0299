#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# buildroot.sh SUITE [CACHE]: makes CACHE/roots/SUITE, a minimal Debian
# root of SUITE (bookworm, trixie, sid) with that suite's
# linux-headers-amd64 and the compiler, sparse and tools an external
# module build with W=1 and C=2 needs, and prints its path.  The kernels
# of trixie and sid are built with tools that need a newer glibc than the
# host's, so they are built in such a root, by chroot (see inroot.sh);
# nothing of SUITE is ever installed on the host.
#
# The root also holds SUITE's stock kernel, unpacked with dpkg -x from
# linux-image-amd64's packages, so that the lab can boot it:
#   boot/vmlinuz-KREL, boot/config-KREL   the kernel and its config,
#   usr/src/linux-headers-KREL            the tree to build against, with
#                                         its Module.symvers,
#   .memlab-krel                          KREL, e.g. 6.12.117+deb13-amd64.
#
# Where the lab also boots SUITE's arm64 kernel (trixie), the root holds
# the cross compiler and that kernel's pieces too, unpacked beside the
# amd64 ones: its headers use the root's own (amd64) linux-kbuild, as
# Debian's headers are made to for a cross build.
#   boot/vmlinuz-AREL, boot/config-AREL   AREL is KREL's arm64 flavour,
#   usr/src/linux-headers-AREL            e.g. 6.12.117+deb13-arm64,
#   .memlab-krel-arm64                    AREL.
#
# trixie's root also holds linux-source-6.12 and what a kernel build
# needs beyond a module build, for the debug kernel the lab builds from
# it (build-debug-kernel.sh):
#   usr/src/linux-source-6.12.tar.xz
#
# A root is made once with mmdebstrap and kept as
# CACHE/roots/SUITE-KEY.tar.zst, KEY being the versions of SUITE's
# linux-headers-amd64 and linux-image-amd64, so that a kernel update makes
# a new root; an unchanged one is only unpacked, or used as it is.  KEY
# comes from SUITE's package lists, which apt keeps in CACHE/apt/SUITE,
# apart from the host's own, and reads again once a day (see below).
set -eu
suite=$1
cache=${2:-${MEMLAB_CACHE:-$HOME/.cache/memlab}}
mirror=${MEMLAB_MIRROR:-http://deb.debian.org/debian}
# shellcheck source=qemu-images/lean-root.sh
. "$(dirname "$0")/lean-root.sh"
keyring=$lean_keyring
# Raised whenever what goes into a root changes, so that old ones go.
format=3

# What an external module build with W=1 and C=2 runs: the headers pull
# in their suite's gcc and linux-kbuild; perl and, from 6.16, python3 run
# kernel-doc.
PACKAGES="linux-headers-amd64,gcc,make,libc6-dev,libelf-dev,perl,python3,sparse,bc,bison,flex,kmod"

# bookworm's arm64 lab is cross-built on the host itself; sid's arm64
# kernel is not yet one memlab runs on.  bookworm's debug kernel is built
# on the host, from the host's linux-source-6.1.
arm64='' debug=''
case "$suite" in
bookworm) valid=true ;;
trixie) valid=true arm64=1 debug=1 ;;
# The archive's snapshot of sid has an expired Release file.
sid) valid=false ;;
*) echo "buildroot: unknown suite $suite (bookworm, trixie or sid)" >&2; exit 1 ;;
esac
[ -z "$arm64" ] || PACKAGES="$PACKAGES,gcc-aarch64-linux-gnu"
[ -z "$debug" ] || PACKAGES="$PACKAGES,linux-source,libssl-dev"

dir=$cache/roots/$suite
apt=$cache/apt/$suite
mkdir -p "$cache/roots" "$apt/lists/partial" "$apt/cache/archives/partial"

# One root per suite at a time, whoever else is building it.
exec 9> "$dir.lock"
flock 9

# apt, apart from the host's sources, lists, cache and installed packages.
suite_apt() {
	tool=$1
	shift
	"$tool" -q -o Dir::Etc::SourceList="$apt/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" \
		-o Dir::State::status=/dev/null -o Acquire::Languages=none \
		-o Acquire::Check-Valid-Until="$valid" \
		-o APT::Architecture=amd64 \
		${arm64:+-o APT::Architectures::=amd64 -o APT::Architectures::=arm64} \
		-o APT::Sandbox::User="$(id -un)" "$@"
}
# SUITE's package lists are read again when they are a day old, or with
# MEMLAB_REFRESH=1; what they say of the kernel is kept in $versions, so
# that a build with the root up to date runs no apt at all.
versions=$apt/versions
if [ -n "${MEMLAB_REFRESH:-}" ] ||
	[ -z "$(find "$versions" -mmin -1440 2>/dev/null)" ] ||
	{ [ -n "$arm64" ] && ! ls "$apt"/lists/*binary-arm64_Packages* > /dev/null 2>&1; }; then
	echo "deb [signed-by=$keyring] $mirror $suite main" > "$apt/sources.list"
	suite_apt apt-get update > "$apt/update.log" 2>&1 || {
		cat "$apt/update.log" >&2
		echo "buildroot: cannot read $suite's package lists" >&2
		exit 1
	}
	# KREL from "Depends: linux-base-amd64 (= 7.2.13-1),
	# linux-headers-7.2.13+deb14-amd64 (= 7.2.13-1)".
	suite_apt apt-cache show --no-all-versions linux-headers-amd64 \
		linux-image-amd64 | awk '
		/^Package: / { pkg = $2 }
		/^Version: / { version[pkg] = $2 }
		/^Depends: / && pkg == "linux-headers-amd64" {
			n = split(substr($0, 10), dep, /, */)
			for (i = 1; i <= n; i++)
				if (dep[i] ~ /^linux-headers-/) {
					split(dep[i], name, " ")
					krel = substr(name[1], 15)
				}
		}
		END {
			print version["linux-headers-amd64"],
				version["linux-image-amd64"], krel
		}' > "$versions.tmp"
	mv "$versions.tmp" "$versions"
fi
read -r hver iver krel < "$versions" || :
if [ -z "$hver" ] || [ -z "$iver" ] || [ -z "$krel" ]; then
	rm -f "$versions"
	echo "buildroot: $suite has no linux-headers-amd64 or linux-image-amd64" >&2
	exit 1
fi
key="$hver-$iver-$format"
tarball=$cache/roots/$suite-$key.tar.zst

# Debian's 7.x headers run scripts/checker-valid.sh to see whether sparse
# understands the kernel (__typeof_unqual__), but do not ship it; C=2
# then says "sparse is not available" and checks nothing.  This is the
# kernel's own script, put back into a root whose headers lack it.
fix_headers() {
	common=$(echo "$1"/usr/src/linux-headers-*-common)
	[ -d "$common" ] || return 0
	grep -q checker-valid.sh "$common/Makefile" || return 0
	[ -f "$common/scripts/checker-valid.sh" ] && return 0
	cat > "$common/scripts/checker-valid.sh" <<'SCRIPT'
#!/bin/sh -eu
# SPDX-License-Identifier: GPL-2.0

[ ! -x "$(command -v "$1")" ] && exit 1

tmp_file=$(mktemp)
trap "rm -f $tmp_file" EXIT

cat << EOF >$tmp_file
static inline int u(const int *q)
{
	__typeof_unqual__(*q) v = *q;
	return v;
}
EOF

# sparse happily exits with 0 on error so validate
# there is none on stderr. Use awk as grep is a pain with sh -e
$@ $tmp_file 2>&1 | awk -v c=1 '/error/{c=0}END{print c}'
SCRIPT
	chmod 0755 "$common/scripts/checker-valid.sh"
}

if [ "$(cat "$dir/.memlab-key" 2>/dev/null)" = "$key" ]; then
	fix_headers "$dir"
	echo "$dir"
	exit 0
fi

if [ -f "$tarball" ]; then
	echo "buildroot: unpacking $suite ($krel) from $tarball" >&2
	rm -rf "$dir"
	mkdir -p "$dir"
	zstd -dcq "$tarball" | tar -C "$dir" --numeric-owner -xf -
	echo "$key" > "$dir/.memlab-key"
	fix_headers "$dir"
	echo "$dir"
	exit 0
fi

echo "buildroot: making the $suite root for $krel" >&2
rm -rf "$dir" "$dir.new"
work=$(mktemp -d "$cache/roots/$suite.work.XXXXXX")
trap 'rm -rf "$work" "$dir.new"' EXIT

# A kernel, unpacked into $work/RELEASE: linux-image-RELEASE (or, where
# there is none, its -unsigned twin) and, from 7.x, where it is a
# wrapper, the linux-binary-RELEASE with the image and linux-base-RELEASE
# with its config.  ARCH's extra packages (its headers) come along.
fetch_kernel() {
	release=$1 arch=$2
	shift 2
	mkdir -p "$work/$release/debs"
	(
		cd "$work/$release/debs"
		# download PKG: fetches PKG for ARCH; false if SUITE has none.
		download() {
			suite_apt apt-cache show "$1:$arch" > /dev/null 2>&1 || return 1
			suite_apt apt-get download "$1:$arch" > /dev/null || exit 1
		}
		download "linux-image-$release" ||
			download "linux-image-$release-unsigned" || :
		for pkg in "linux-binary-$release" "linux-base-$release" "$@"; do
			download "$pkg" || :
		done
	)
	for deb in "$work/$release"/debs/*.deb; do
		dpkg-deb -x "$deb" "$work/$release"
	done
	rm -rf "$work/$release/debs"
}
# find_one RELEASE PATH...: the first PATH in RELEASE's packages.
find_one() {
	release=$1
	shift
	for path in "$@"; do
		[ -f "$work/$release/$path" ] && { echo "$work/$release/$path"; return 0; }
	done
	echo "buildroot: $suite's linux-image-$release has none of $*" >&2
	return 1
}
# install_kernel RELEASE ROOT: puts RELEASE's image and config in /boot.
install_kernel() {
	mkdir -p "$2/boot"
	cp "$(find_one "$1" "boot/vmlinuz-$1" "usr/lib/modules/$1/vmlinuz" \
		"lib/modules/$1/vmlinuz")" "$2/boot/vmlinuz-$1"
	cp "$(find_one "$1" "boot/config-$1" "usr/lib/modules/$1/config" \
		"lib/modules/$1/config")" "$2/boot/config-$1"
}
fetch_kernel "$krel" amd64
arel=${krel%-amd64}-arm64
[ -z "$arm64" ] || fetch_kernel "$arel" arm64 "linux-headers-$arel"

lean_mmdebstrap --variant=essential --include="$PACKAGES" \
	--aptopt="Acquire::Check-Valid-Until \"$valid\";" \
	"$suite" "$dir.new" "$mirror" >&2

install_kernel "$krel" "$dir.new"
[ -f "$dir.new/usr/src/linux-headers-$krel/Module.symvers" ] || {
	echo "buildroot: the $suite root has no linux-headers-$krel" >&2
	exit 1
}
echo "$krel" > "$dir.new/.memlab-krel"
if [ -n "$debug" ] && ! ls "$dir.new"/usr/src/linux-source-*.tar.xz > /dev/null 2>&1; then
	echo "buildroot: the $suite root has no linux-source tarball" >&2
	exit 1
fi
if [ -n "$arm64" ]; then
	install_kernel "$arel" "$dir.new"
	cp -a "$work/$arel/usr/src/linux-headers-$arel" "$dir.new/usr/src/"
	[ -f "$dir.new/usr/src/linux-headers-$arel/Module.symvers" ] || {
		echo "buildroot: the $suite root has no linux-headers-$arel" >&2
		exit 1
	}
	echo "$arel" > "$dir.new/.memlab-krel-arm64"
fi

tar -C "$dir.new" --numeric-owner -cf - . | zstd -q -T0 -3 > "$tarball.tmp"
mv "$tarball.tmp" "$tarball"
for old in "$cache/roots/$suite"-*.tar.zst; do
	[ "$old" = "$tarball" ] || rm -f "$old"
done
echo "$key" > "$dir.new/.memlab-key"
mv "$dir.new" "$dir"
fix_headers "$dir"
echo "$dir"
