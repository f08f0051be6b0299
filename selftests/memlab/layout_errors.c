// SPDX-License-Identifier: GPL-2.0
/*
 * layout/control rejects bad input with -EINVAL and changes nothing; a
 * second area is -EBUSY; the size is capped by max_vmalloc_pages; without
 * CAP_SYS_ADMIN no layout file opens.
 */
#include "memlab_harness.h"
#include "layout_lib.h"

static const char * const files[] = {
	"map", "addresses", "zones", "control", "vmalloc", "vmalloc_summary",
};

static long summary_pages(void)
{
	char *summary = memlab_read_file(LAYOUT_DIR "/vmalloc_summary");
	long pages = summary ? memlab_kv_long(summary, "pages") : -1;

	free(summary);
	return pages;
}

TEST(control_rejects_bad_input)
{
	static const char * const bad[] = {
		"vmalloc", "vmalloc 0", "vmalloc -1", "vmalloc 0x", "vmalloc 1x",
		"vmalloc 1 2", "vmalloc one", "vfree 1", "vfree", "malloc 1",
		"VMALLOC 1", " ",
	};
	char *param, cmd[64];
	unsigned int i;
	long cap;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");
	ASSERT_EQ(0, summary_pages());

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, memlab_write_cmd(LAYOUT_DIR "/control", bad[i]))
			TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(0, summary_pages());
	}

	param = memlab_read_file("/sys/module/memlab_layout/parameters/max_vmalloc_pages");
	ASSERT_NE(NULL, param);
	cap = strtol(param, NULL, 10);
	free(param);
	ASSERT_GT(cap, 0);
	snprintf(cmd, sizeof(cmd), "vmalloc %ld", cap + 1);
	EXPECT_EQ(-EINVAL, memlab_write_cmd(LAYOUT_DIR "/control", cmd));
	EXPECT_EQ(-EINVAL, memlab_write_cmd(LAYOUT_DIR "/control",
					    "vmalloc 18446744073709551617"));
	EXPECT_EQ(0, summary_pages());

	ASSERT_EQ(0, memlab_write_cmd(LAYOUT_DIR "/control", "vmalloc 2"));
	EXPECT_EQ(-EBUSY, memlab_write_cmd(LAYOUT_DIR "/control", "vmalloc 3"));
	EXPECT_EQ(2, summary_pages());
	EXPECT_EQ(0, memlab_write_cmd(LAYOUT_DIR "/control", "vfree"));
	EXPECT_EQ(0, summary_pages());
}

TEST(needs_cap_sys_admin)
{
	char path[128];
	unsigned int i;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		int flags = strcmp(files[i], "control") ? O_RDONLY : O_WRONLY;

		snprintf(path, sizeof(path), "%s/%s", LAYOUT_DIR, files[i]);
		EXPECT_EQ(EPERM, memlab_open_without_sys_admin(path, flags));
		snprintf(path, sizeof(path), "%s/layout/%s", MEMLAB_PROC, files[i]);
		EXPECT_EQ(EPERM, memlab_open_without_sys_admin(path, flags));
	}
}

TEST_HARNESS_MAIN
