# SPDX-License-Identifier: GPL-2.0
#
# memlab: memory-management views for a live Linux kernel.
#
#   make            build the modules, selftests and tools
#   make check      build, boot the lab VM and run every selftest
#   make check-debug  the same on the debug kernel (KASAN, kmemleak, lockdep),
#                   built from Debian's source of 6.1, or with KVER=6.12 of 6.12
#   make demo       boot the lab VM and print every view
#   make bench      boot the lab VM and time memlab's views against the
#                   kernel's own interfaces: a table, and build/bench.json
#   make shell      an interactive shell in the lab VM, modules loaded
#   make lint       checkpatch --strict over the C sources
#   make install    the modules for KDIR's kernel, the running one's by
#                   default (updates/memlab, then depmod), and the tool
#                   under PREFIX; make uninstall
#   make deb        the memlab-dkms and memlab-tools packages, lintian-checked
#   make check-install  install those with apt into a fresh root of KVER's
#                   suite (6.1, 6.12 or 7.2), where DKMS builds the modules, and
#                   run the whole suite on what it built
#
# TESTS="buddy_load slab_alloc" makes check, check-debug and demo run only
# those selftests.
#
# KVER=6.12 or KVER=7.2 (make, check, demo, shell) builds against, and
# boots, the stock kernel of Debian trixie or sid instead of bookworm's
# 6.1, the default.  Their kbuild tools need a newer glibc than the
# host's, so the modules are built by chroot in a minimal root of that
# suite (qemu-images/buildroot.sh: cached in MEMLAB_CACHE, with the
# suite's kernel in its /boot), on a copy of modules/; that build, its
# .ko files and the run's logs are under build/KVER.  The initramfs and
# selftests are the host's, as for 6.1.  BUILDROOT=1 builds 6.1 in
# bookworm's root too; BUILDROOT= builds any KVER with the host's own
# headers and tools, on a host of that suite.
#
# KDIR selects another prepared kernel tree; ACCEL=kvm, CPU=max (for
# 5-level paging) and MEM=256M or MEM=2G (the guest's memory, 1G by
# default; make check wants the 1G) are passed to QEMU.  ARCH=arm64 does all of the above
# for arm64: cross-built, booted on qemu-system-aarch64, with its own
# results under build/arm64.  Nothing here loads a module into the host's
# kernel.

# Downloaded kernels and guest roots live here, outside the tree.
MEMLAB_CACHE	?= $(HOME)/.cache/memlab
LAB_ARCH	:= $(if $(filter arm64,$(ARCH)),arm64,x86)
# Evaluated late: on a fresh machine the kernel is installed by "deps".
KREL		= $(shell $(CURDIR)/qemu-images/kernel-release $(LAB_ARCH) $(KROOT))

# The Debian suite whose stock kernel KVER is.  The host is bookworm.
KVER		?= 6.1
KSUITE_6.1	:= bookworm
KSUITE_6.12	:= trixie
KSUITE_7.2	:= sid
KSUITE		:= $(KSUITE_$(KVER))
ifeq ($(KSUITE),)
$(error KVER=$(KVER): memlab knows KVER=6.1, 6.12 and 7.2)
endif
BUILDROOT	?= $(if $(filter bookworm,$(KSUITE)),,1)
# What the kernel's build system runs in (nothing: the host), and on
# which copy of modules/.
KRUN		=
MODDIR		= $(CURDIR)/modules

ifeq ($(LAB_ARCH)$(BUILDROOT),arm64)
BUILD		:= $(CURDIR)/build/arm64
# Where deps.sh unpacked Debian's arm64 kernel, headers and guest userland.
SYSROOT		= $(MEMLAB_CACHE)/arm64/$(KREL)/root
KDIR		?= $(SYSROOT)/usr/src/linux-headers-$(KREL)
else ifneq ($(BUILDROOT),)
KROOT		= $(MEMLAB_CACHE)/roots/$(KSUITE)
# A path inside the root, where the build runs.
KDIR		?= /usr/src/linux-headers-$(KREL)
KRUN		= $(CURDIR)/qemu-images/inroot.sh $(KROOT) $(CURDIR)
# The kernel QEMU boots; unset, run.sh boots the host's /boot/vmlinuz-KREL.
KERNEL		?= $(KROOT)/boot/vmlinuz-$(KREL)
ifeq ($(LAB_ARCH),arm64)
ifneq ($(KSUITE),trixie)
$(error ARCH=arm64 runs 6.1 (on the host) and 6.12 (in trixie's root))
endif
# Cross-built in the root with its suite's aarch64 compiler; the guest's
# userland and selftests are bookworm's, as for 6.1 (see deps.sh).
BUILD		:= $(CURDIR)/build/arm64-$(KVER)
SYSROOT		= $(MEMLAB_CACHE)/arm64/$(shell $(CURDIR)/qemu-images/kernel-release arm64)/root
else
BUILD		:= $(CURDIR)/build/$(KVER)
SYSROOT		= /
endif
MODDIR		= $(BUILD)/modules
else
BUILD		:= $(CURDIR)/build
SYSROOT		= /
KDIR		?= /lib/modules/$(KREL)/build
endif
# arm64 is cross-built, on the host or in a root alike.
ifeq ($(LAB_ARCH),arm64)
CROSS_COMPILE	?= aarch64-linux-gnu-
# The kselftest framework picks its compiler from it too.
export CROSS_COMPILE
HELPERS		= $(BUILD)/semihost-exit
else
HELPERS		=
endif
# What qemu-images/run.sh needs to know of the above.  TESTS="a b" runs
# only those selftests, for a quick round while working on them.
TESTS_ENV	= $(if $(TESTS),APPEND_EXTRA="memlab_tests=$(subst $(space),$(comma),$(strip $(TESTS))) $(APPEND_EXTRA)")
QEMU_ENV	= ARCH=$(LAB_ARCH) MEMLAB_CACHE=$(MEMLAB_CACHE) \
		  $(if $(KERNEL),KERNEL=$(KERNEL)) $(TESTS_ENV)
space		:= $(subst ,, )
comma		:= ,

KSRC_TAR	:= /usr/src/linux-source-6.1.tar.xz
KSRC		:= $(BUILD)/linux-source-6.1
KSFT		:= $(BUILD)/kselftest
INITRD		:= $(BUILD)/initramfs.cpio
# demo and shell run no selftest: their image leaves the 70 MiB of them
# out, so that the lab boots in MEM=256M too (an uncompressed initramfs
# takes its size twice while it unpacks).
LAB_INITRD	:= $(BUILD)/initramfs-lab.cpio

COMPAT_HEADERS	= $(wildcard modules/memlab_compat*.h)
# The tool's header defines __printf(), which user space lacks.
TOOL_HEADER	= tools/memlab.h
C_SOURCES	= $(filter-out %.mod.c $(COMPAT_HEADERS) $(TOOL_HEADER), \
		  $(wildcard modules/*.[ch] selftests/memlab/*.[ch] tools/*.[ch] \
			     qemu-images/*.[ch]))
CHECKPATCH	= $(KSRC)/scripts/checkpatch.pl --strict --no-tree --quiet --show-types

# The version, from its one place.
VERSION		:= $(shell cat $(CURDIR)/modules/VERSION)
PREFIX		?= /usr/local
DESTDIR		?=

all: modules selftests tools

deps:
	@$(CURDIR)/qemu-images/deps.sh $(LAB_ARCH) $(MEMLAB_CACHE)
ifneq ($(BUILDROOT),)
	@$(CURDIR)/qemu-images/buildroot.sh $(KSUITE) $(MEMLAB_CACHE) >/dev/null
	@# The root builds a copy: modules/ keeps the host's 6.1 objects.
	@mkdir -p $(MODDIR)
	rsync -a --delete --exclude-from=$(CURDIR)/.gitignore \
		$(CURDIR)/modules/ $(MODDIR)/
endif

# W=1 always; C=2 runs sparse over every file.  The build fails when kbuild
# does (a module that does not link, such as modpost's "ERROR: modpost:
# "sym" undefined!", fails here and not later as a module that will not
# load) and on every warning or error line.  After such lines the objects
# are cleaned, so that the next build prints them again instead of
# passing.  MODDIR= builds another copy of the sources (check-build does).
MODULES_KBUILD	= $(KRUN) $(MAKE) -C $(KDIR) M=$(MODDIR) W=1 $(if $(C),C=$(C)) modules
modules: deps
	@mkdir -p $(BUILD)
	@echo '$(MODULES_KBUILD)'
	@# kbuild's status, not tee's, through a file.
	@{ $(MODULES_KBUILD) 2>&1; echo $$? > $(BUILD)/modules.status; } | \
		tee $(BUILD)/modules.log
	@status=$$(cat $(BUILD)/modules.status); \
	lines=$$(grep -ciE 'warning:|error:' $(BUILD)/modules.log); \
	if [ "$$lines" -ne 0 ]; then \
		echo "modules: $$lines warning or error lines; cleaning $(MODDIR)"; \
		$(KRUN) $(MAKE) -s -C $(KDIR) M=$(MODDIR) clean >/dev/null 2>&1; \
	fi; \
	[ "$$status" -eq 0 ] || echo "modules: kbuild failed (status $$status)"; \
	[ "$$status" -eq 0 ] && [ "$$lines" -eq 0 ]

# The modules' checksums, rewritten only when a module changed, so that
# the image is rebuilt then and not after every kbuild run.
$(BUILD)/modules.sum: modules
	@cksum $(MODDIR)/*.ko > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

sparse:
	$(MAKE) modules C=2

$(KSRC)/.extracted: | deps
	@mkdir -p $(BUILD)
	rm -rf $(KSRC)
	tar -C $(BUILD) -xf $(KSRC_TAR) linux-source-6.1/tools linux-source-6.1/scripts
	touch $@

# The kselftest framework builds and installs them from inside a kernel
# tree, so the suite is copied into the extracted source first.  It builds
# into KSFT_OBJ, outside that copy, and lib.mk remakes a program when its
# .c changed; a changed header or Makefile remakes them all, since the
# suite's Makefile lists no header dependencies.  The stamp keeps an
# unchanged suite from being reinstalled, and so the image from being
# rebuilt.
KSFT_OBJ	:= $(BUILD)/kselftest-obj
KSFT_STAMP	:= $(BUILD)/kselftest.stamp
$(KSFT_STAMP): selftests/memlab $(wildcard selftests/memlab/*) $(KSRC)/.extracted
	rsync -a --delete selftests/memlab/ $(KSRC)/tools/testing/selftests/memlab/
	$(if $(filter %.h %/Makefile %/.extracted,$?),rm -rf $(KSFT_OBJ))
	rm -rf $(KSFT)
	$(MAKE) -C $(KSRC)/tools/testing/selftests top_srcdir=$(KSRC) \
		O=$(KSFT_OBJ) TARGETS=memlab install INSTALL_PATH=$(KSFT)
	touch $@

selftests: $(KSFT_STAMP)

lint: $(KSRC)/.extracted
	$(CHECKPATCH) -f $(C_SOURCES)
	@# The files whose job is to compare kernel versions.
	$(CHECKPATCH) --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
		-f $(COMPAT_HEADERS)
	$(CHECKPATCH) --ignore PREFER_DEFINED_ATTRIBUTE_MACRO -f $(TOOL_HEADER)

# The memlab tool.  The lab's copy is static, so that it runs on any
# guest's userland, and built by the guest's compiler (CROSS_COMPILE for
# arm64); the packages' and "make install"'s copy is the host's own,
# linked against its libc with the distribution's CFLAGS and LDFLAGS.
TOOL_SOURCES	= $(wildcard tools/*.c)
TOOL_DEPS	= $(TOOL_SOURCES) $(wildcard tools/*.h)
TOOL_WARNINGS	= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
TOOL		:= $(BUILD)/memlab
HOST_TOOL	:= $(CURDIR)/build/host/memlab
CFLAGS		?= -O2 -g

$(TOOL): $(TOOL_DEPS) | deps
	@mkdir -p $(@D)
	$(CROSS_COMPILE)gcc -static -O2 $(TOOL_WARNINGS) -Werror -o $@ $(TOOL_SOURCES) -lm

$(HOST_TOOL): $(TOOL_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(TOOL_WARNINGS) $(LDFLAGS) -o $@ $(TOOL_SOURCES) -lm

tools: $(TOOL)
host-tool: $(HOST_TOOL)

# The arm64 guest's way out of QEMU with a verdict (see qemu-images/init).
$(BUILD)/semihost-exit: qemu-images/semihost-exit.c | deps
	@mkdir -p $(BUILD)
	$(CROSS_COMPILE)gcc -static -O2 -Wall -Wextra -Werror -s -o $@ $<

# What the image is built for, rewritten only when that changes.
$(BUILD)/image.args: FORCE
	@mkdir -p $(@D)
	@echo '$(KREL) $(SYSROOT) $(MODDIR) $(KSFT) $(HELPERS)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

# Rebuilt only when something that goes into it changed.
$(INITRD): $(BUILD)/modules.sum $(KSFT_STAMP) $(HELPERS) $(BUILD)/image.args \
		$(TOOL) qemu-images/init qemu-images/mkinitramfs.sh
	$(CURDIR)/qemu-images/mkinitramfs.sh $(INITRD) $(KREL) \
		$(MODDIR) $(KSFT) $(TOOL) $(SYSROOT) $(HELPERS)

image: modules selftests $(HELPERS) $(TOOL) $(INITRD)

$(LAB_INITRD): $(BUILD)/modules.sum $(HELPERS) $(BUILD)/image.args \
		$(TOOL) qemu-images/init qemu-images/mkinitramfs.sh
	@mkdir -p $(BUILD)/no-kselftest
	$(CURDIR)/qemu-images/mkinitramfs.sh $(LAB_INITRD) $(KREL) \
		$(MODDIR) $(BUILD)/no-kselftest $(TOOL) $(SYSROOT) $(HELPERS)

lab-image: modules $(HELPERS) $(TOOL) $(LAB_INITRD)

# A module that does not link, or builds with a warning, must fail
# "make modules": proved on a copy of modules/ before the lab boots.
check-build:
	$(CURDIR)/qemu-images/check-build.sh

# check-build runs on the host's own kernel tree: a build root sees only
# this tree, not check-build's copy in TMPDIR.
check: sparse lint $(if $(BUILDROOT),,check-build) image
	$(QEMU_ENV) $(CURDIR)/qemu-images/check.sh $(INITRD) $(KREL) $(BUILD)

# The debug kernel of KVER (6.1 or 6.12) is built once per debug.config
# and source version, and kept in MEMLAB_CACHE.
check-debug: selftests $(TOOL)
	$(TESTS_ENV) $(CURDIR)/qemu-images/check-debug.sh $(MEMLAB_CACHE) $(BUILD) \
		$(KSFT) $(TOOL) $(KVER)

demo: lab-image
	@$(QEMU_ENV) $(CURDIR)/qemu-images/run.sh demo $(LAB_INITRD) $(KREL) $(BUILD)/demo.log | \
		awk '/memlab: demo end/ { on = 0 } on { print; fflush() } /memlab: demo begin/ { on = 1 }'

# The table on the terminal, the JSON into $(BUILD)/bench.json; fails when
# the guest's verdict is not a pass: a ratio missed its goal, or the bench
# could not run (bench_ratios --full in the guest).
bench: image
	@rm -f $(BUILD)/bench.log $(BUILD)/bench.json $(BUILD)/bench.status
	@{ $(QEMU_ENV) $(CURDIR)/qemu-images/run.sh bench $(INITRD) $(KREL) $(BUILD)/bench.log; \
	   echo $$? > $(BUILD)/bench.status; } | \
		awk '/memlab: bench end/ { on = 0 } on { print; fflush() } /memlab: bench begin/ { on = 1 }'
	@awk '/memlab: bench json end/ { on = 0 } on { print } /memlab: bench json begin/ { on = 1 }' \
		$(BUILD)/bench.log | sed 's/\r$$//' > $(BUILD)/bench.json
	@echo "bench: $(BUILD)/bench.json"
	@test "$$(cat $(BUILD)/bench.status)" = 0

shell: lab-image
	$(QEMU_ENV) $(CURDIR)/qemu-images/run.sh shell $(LAB_INITRD) $(KREL)

# For a machine without DKMS, with its own kernel's headers: KDIR= on the
# command line, or the running kernel's.  The host's own tools build it,
# and nothing of the lab (deps, QEMU, build roots) is needed.  The modules
# go into updates/memlab, where they take precedence over any other copy,
# unsigned (the distribution's key is not there to sign with; see the
# README on Secure Boot), and depmod makes modprobe find them and their
# dependencies (kbuild's own depmod step wants a System.map, which headers
# lack, and says it skips).  DESTDIR stages it all, and then depmod is
# left to whoever installs the staged tree.
INSTALL_KDIR	= $(if $(filter command line,$(origin KDIR)),$(KDIR),/lib/modules/$(shell uname -r)/build)
# The release the modules' vermagic names, and modules_install installs
# under (Debian's kernel.release holds the upstream version instead).
INSTALL_KREL	= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
			$(INSTALL_KDIR)/include/generated/utsrelease.h)
INSTALL_KBUILD	= $(MAKE) -C $(INSTALL_KDIR) M=$(CURDIR)/modules
install: install-tools
	$(INSTALL_KBUILD) modules
	$(INSTALL_KBUILD) INSTALL_MOD_DIR=updates/memlab CONFIG_MODULE_SIG_ALL= \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) DEPMOD=true modules_install
	$(if $(DESTDIR),,depmod -a $(INSTALL_KREL))

install-tools: $(HOST_TOOL)
	install -D -m 0755 $(HOST_TOOL) $(DESTDIR)$(PREFIX)/bin/memlab
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	sed 's/@VERSION@/$(VERSION)/' tools/memlab.1 > \
		$(DESTDIR)$(PREFIX)/share/man/man1/memlab.1
	install -D -m 0644 tools/memlab.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/memlab

uninstall:
	rm -rf $(DESTDIR)/lib/modules/$(INSTALL_KREL)/updates/memlab
	$(if $(DESTDIR),,depmod -a $(INSTALL_KREL))
	rm -f $(DESTDIR)$(PREFIX)/bin/memlab \
		$(DESTDIR)$(PREFIX)/share/man/man1/memlab.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/memlab

# What DKMS builds from: dkms.conf and the module sources, as
# /usr/src/memlab-VERSION (memlab-dkms installs it; so can "dkms add .").
DKMS_SRC	= $(DESTDIR)/usr/src/memlab-$(VERSION)
install-dkms-source:
	install -D -m 0644 dkms.conf $(DKMS_SRC)/dkms.conf
	install -d $(DKMS_SRC)/modules
	install -m 0644 modules/Kbuild modules/VERSION \
		$(filter-out %.mod.c,$(wildcard modules/*.c)) modules/*.h \
		$(DKMS_SRC)/modules/

# Installs the packages with apt into a fresh root of KVER's suite, where
# DKMS builds the modules; boots them and the installed tool with the whole
# suite; then removes the packages and looks for what they left.
ifneq ($(filter check-install,$(MAKECMDGOALS)),)
ifneq ($(LAB_ARCH),x86)
$(error check-install runs on x86_64)
endif
endif
check-install: deb selftests
	$(QEMU_ENV) $(CURDIR)/qemu-images/check-install.sh $(KSUITE) $(KREL) \
		$(BUILD) $(KSFT) $(DEB_DIR)

# The packages are built from a copy of the tree that git knows, with a
# changelog entry of modules/VERSION's version and the last commit's date,
# so that the same commit gives the same packages.  They land in
# build/deb/, and lintian must have nothing to say of them.
DEB_DIR		:= $(CURDIR)/build/deb
DEB_SRC		:= $(DEB_DIR)/memlab-$(VERSION)
deb: deps
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	git ls-files -z | xargs -0 cp -a --parents -t $(DEB_SRC)
	{ echo 'memlab ($(VERSION)) unstable; urgency=medium'; echo; \
	  echo '  * memlab $(VERSION), built from commit $(shell git rev-parse --short HEAD).'; \
	  echo; \
	  echo " -- memlab developers <memlab@lists.example.org>  $$(date -R -d @$$(git log -1 --format=%ct))"; \
	} > $(DEB_SRC)/debian/changelog
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b > $(DEB_DIR)/build.log 2>&1 || \
		{ tail -n 30 $(DEB_DIR)/build.log; exit 1; }
	lintian --fail-on error,warning \
		$(DEB_DIR)/memlab_$(VERSION)_*.changes
	@ls $(DEB_DIR)/*.deb

clean:
	-$(KRUN) $(MAKE) -C $(KDIR) M=$(MODDIR) clean
	rm -rf $(BUILD)

.PHONY: all deps modules sparse selftests lint image lab-image check check-build check-debug demo \
	bench shell tools host-tool install install-tools uninstall install-dkms-source deb check-install clean FORCE
