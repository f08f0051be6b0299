# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by buildroot.sh and check-install.sh: lean_mmdebstrap ARGS...
# runs mmdebstrap for the lab's Debian roots, with ARGS (a variant, the
# packages, the suite, the target, the mirrors) after what every such
# root shares.  Without recommends and documentation.  trixie's headers
# depend on the kernel image: its modules are left out and its initramfs
# is not made, which would take minutes and is never booted (the lab has
# its own), by diverting update-initramfs to true.
#
# mmdebstrap runs in a mount namespace of its own, so that whatever it
# mounts in the root goes away with it: a trixie root with packages
# installed by a customize hook was left with /dev/pts mounted on the
# host, which the next run could not remove.

lean_keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# shellcheck disable=SC2016
lean_mmdebstrap() {
	unshare --mount --propagation private \
		mmdebstrap --quiet --keyring="$lean_keyring" \
		--aptopt='APT::Install-Recommends "false";' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/lib/modules/*/kernel/*' \
		--essential-hook='chroot "$1" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs && ln -s /bin/true "$1/usr/sbin/update-initramfs"' \
		"$@"
}
