/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlab core API: how a memlab module publishes its files.
 *
 * Every memlab module owns one directory, memlab/<name>/, that exists twice:
 * under /sys/kernel/debug/memlab/ and under /proc/memlab/.  A module creates
 * it with memlab_dir_create(), adds files to it with memlab_publish() (one
 * call puts the file in both trees) and takes everything away again with one
 * memlab_dir_remove().
 *
 * A file is described by a static const struct memlab_file.  What it can do
 * follows from what is set:
 *
 *   table	a table: a header line, then one line per record.  The core
 *		iterates it (see struct memlab_table below).
 *   show	a single record, printed in one go, as single_open() would.
 *   show_at	a record per page of an address space, read by address with
 *		pread(), as /proc/PID/pagemap is.
 *   verbs	makes the file writable: each write() is one command line,
 *		parsed by the core against the file's grammar (struct
 *		memlab_verb below) before a verb's run() sees it.
 *
 * The mode follows from the same: 0400 for a view, 0200 for a control file,
 * 0600 for a file that is both.  MEMLAB_F_PRIVILEGED adds the pagemap policy:
 * the open also needs CAP_SYS_ADMIN, for files that show physical or raw
 * kernel addresses.
 *
 * A file's lock(), when set, names the mutex that guards what it shows and
 * changes.  The core takes it, killably, around each record it fills and
 * around each command, and nowhere else: a reader waits for at most one
 * command, a command for at most one record, and either can be killed
 * while it waits.
 */
#ifndef MEMLAB_H
#define MEMLAB_H

#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/types.h>

/*
 * Set in one place, modules/VERSION, which Kbuild passes in; the Debian
 * packages and DKMS take it from there too.
 */
#ifndef MEMLAB_VERSION
#error "MEMLAB_VERSION comes from modules/VERSION, through modules/Kbuild"
#endif

/* The longest command line a control file accepts, newline included. */
#define MEMLAB_CMD_MAX 256

/* Opening needs CAP_SYS_ADMIN too: the file shows PFNs or kernel pointers. */
#define MEMLAB_F_PRIVILEGED	BIT(0)

/* The most positional words, and the most key=value options, of a command. */
#define MEMLAB_CMD_MAX_ARGS	3
#define MEMLAB_CMD_MAX_KEYS	3

struct memlab_dir;

/*
 * A table, as the core iterates it: the header line, then every record in
 * the order of its key.  Keys are what a record is found again by, so they
 * must survive the table changing between two reads: an id, an index into
 * a snapshot taken at open, a zone's number (memlab_zone_at()).  They are
 * below LLONG_MAX.
 *
 * @header:	the "# name1 name2 ..." line, without its newline.
 * @show_header: instead of @header, for a header that depends on the
 *		running kernel (the orders of the buddy allocator, say).
 * @cursor_size: bytes of per-open cursor the core allocates, zeroed, for
 *		fill() to describe a record into; 0 for none.
 * @fill:	describes the first record whose key is at least *@key into
 *		@cursor and sets *@key to that record's key.  Returns 1 when
 *		it found one, 0 past the last record, or a negative errno.
 *		It runs under the file's lock(), if the file has one.
 * @show:	prints the record fill() described, as one line.
 * @rewind:	optional: called when a read starts from the top, before
 *		the header, for a view that takes a fresh snapshot on each
 *		pass; an error fails that read.
 * @read_size:	optional: the size of the buffer records are printed into,
 *		for a table read in bulk.  One read() returns at most one
 *		buffer, a page by default, and each read() costs a system
 *		call and a fill() of its first record again.
 */
struct memlab_table {
	const char *header;
	void (*show_header)(struct seq_file *m);
	int (*rewind)(struct seq_file *m);
	size_t read_size;
	size_t cursor_size;
	int (*fill)(struct seq_file *m, void *cursor, unsigned long *key);
	void (*show)(struct seq_file *m, const void *cursor);
};

/*
 * A command line, split by the core: the positional words after the verb
 * (a verb without a name gets its first word too), and the value of each
 * of the verb's keys, NULL when the line did not give that key.
 */
struct memlab_args {
	unsigned int argc;
	char *argv[MEMLAB_CMD_MAX_ARGS];
	char *val[MEMLAB_CMD_MAX_KEYS];
};

/*
 * One verb of a control file's grammar: "name ARG... [key=VALUE]...".
 * Positional words come first; then each of @keys may follow once, in any
 * order, as key=value.  Anything else is -EINVAL before run() is called.
 * A verb with no @name must be the file's only one and takes the whole
 * line (pgwalk's "PID ADDR").  The grammar is also published in
 * memlab/commands, which is where the fuzzer learns it.
 *
 * @usage:	the positional words as the README writes them, e.g.
 *		"ORDER COUNT" or "ID|all"; "" for none.
 * @min_args, @max_args: how many positional words run() accepts.
 * @keys:	the options this verb accepts, as "key=VALUE" (e.g.
 *		"count=COUNT"), NULL-terminated; val[i] is @keys[i]'s.
 * @unlocked:	run() is not called under the file's lock(): it takes
 *		locks of its own, and the declaration says why.
 * @run:	does the command; on error it must have changed nothing.
 */
struct memlab_verb {
	const char *name;
	const char *usage;
	unsigned int min_args;
	unsigned int max_args;
	const char *keys[MEMLAB_CMD_MAX_KEYS + 1];
	bool unlocked;
	int (*run)(struct seq_file *m, const struct memlab_args *args);
};

struct memlab_file {
	const char *name;
	unsigned int flags;
	struct memlab_table table;
	int (*show)(struct seq_file *m, void *v);
	/*
	 * Instead of @table or @show: a file read by address, as
	 * /proc/PID/pagemap is, where a pread() at an address answers for
	 * that address in one system call.  Each page of offsets holds the
	 * record of the page at its start, which show_at() prints, shorter
	 * than a page: a read at ADDR + k returns the record from its byte
	 * k, and a read past its end returns 0, so that a read() from a
	 * position, and cat, stop at the end of one record.  A read that
	 * continues the one before is served from the record that one
	 * printed, so its parts agree.  Offsets stop at LLONG_MAX: neither
	 * procfs nor debugfs passes on FOP_UNSIGNED_OFFSET (6.12) or
	 * FMODE_UNSIGNED_OFFSET, so a file of addresses above it maps them
	 * below.
	 */
	int (*show_at)(struct seq_file *m, unsigned long addr);
	/*
	 * Optional, for a single record (@show or @show_at): the buffer it
	 * is printed into, when it is much smaller than the page seq_file
	 * would start with.  The buffer is zeroed as it is allocated
	 * (init_on_alloc), on every open; a record that does not fit gets a
	 * bigger one, as with seq_file.
	 */
	size_t show_size;
	/*
	 * Optional, called once the seq_file exists.  This is where a view
	 * snapshots expensive data; it stores it with memlab_set_private().
	 */
	int (*open)(struct seq_file *m);
	/* Optional: undoes open(). */
	void (*release)(struct seq_file *m);
	/* The grammar of a writable file, terminated by an empty verb. */
	const struct memlab_verb *verbs;
	/* Optional: the mutex the core takes around records and commands. */
	struct mutex *(*lock)(struct seq_file *m);
};

struct memlab_dir *memlab_dir_create(const char *name, struct module *owner,
				     void *data);
int memlab_publish(struct memlab_dir *dir, const struct memlab_file *file);
int memlab_publish_all(struct memlab_dir *dir, const struct memlab_file *files,
		       size_t count);
int memlab_publish_all_data(struct memlab_dir *dir,
			    const struct memlab_file *files, size_t count,
			    void *data);
void memlab_dir_remove(struct memlab_dir *dir);

/*
 * The @data given to memlab_dir_create(): the module's own context; or
 * the one the file was published with, by memlab_publish_all_data().
 */
void *memlab_data(struct seq_file *m);

/* Per-open state, for open()/release() and for writable views. */
void *memlab_private(struct seq_file *m);
void memlab_set_private(struct seq_file *m, void *priv);

/*
 * Every number below 100's two decimal digits: decimals are written a
 * pair of digits per load and store, which halves their work where a
 * table prints thousands.
 */
extern char memlab_dec_pairs[100][2];	/* read-only once memlab is loaded */

/* The hex digits @val needs, without its "0x": 1 for 0. */
static __always_inline unsigned int memlab_hex_digits(u64 val)
{
	return val ? (fls64(val) + 3) / 4 : 1;
}

/* The decimal digits @val needs. */
static __always_inline unsigned int memlab_dec_digits(u64 val)
{
	unsigned int digits = 1;

	while (val >= 100) {
		val /= 100;
		digits += 2;
	}
	return digits + (val >= 10);
}

/*
 * The eight hex digits of @val, as the eight bytes of a word whose most
 * significant byte is the first digit: each nibble is spread into a byte
 * of its own, then all eight are made ASCII at once.  No table and no
 * loop: under TCG, which runs the lab, every load costs a lookup in the
 * emulated TLB, and a table lookup per digit was most of a row's cost.
 */
static __always_inline u64 memlab_hex8(u32 val)
{
	u64 x = val;

	x = (x | x << 16) & 0x0000ffff0000ffffULL;
	x = (x | x << 8) & 0x00ff00ff00ff00ffULL;
	x = (x | x << 4) & 0x0f0f0f0f0f0f0f0fULL;
	/* '0' more for each, and 'a' - '0' - 10 more for those above 9. */
	return x + 0x3030303030303030ULL +
	       (((x + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL) *
	       ('a' - '0' - 10);
}

/* Stores the eight bytes of @word at @p, most significant first. */
static __always_inline void memlab_store8(char *p, u64 word)
{
	__be64 be = cpu_to_be64(word);

	memcpy(p, &be, sizeof(be));
}

/*
 * @val as 0x-prefixed hex at @p; returns where it ends.  It writes whole
 * words, so up to 7 bytes past the end are overwritten: @p must have room
 * for 2 + 16 bytes, and what follows is written after it.
 */
static __always_inline char *memlab_buf_hex(char *p, u64 val)
{
	unsigned int digits = memlab_hex_digits(val);

	p[0] = '0';
	p[1] = 'x';
	p += 2;
	if (digits > 8) {
		memlab_store8(p, memlab_hex8(val >> 32) << (8 * (16 - digits)));
		p += digits - 8;
		digits = 8;
	}
	memlab_store8(p, memlab_hex8(val) << (8 * (8 - digits)));
	return p + digits;
}

/* @val in decimal at @p, which has room for its 20 bytes. */
static __always_inline char *memlab_buf_dec(char *p, u64 val)
{
	unsigned int digits = memlab_dec_digits(val);
	char *end = p + digits;

	for (p = end; digits >= 2; digits -= 2, val /= 100) {
		p -= 2;
		memcpy(p, memlab_dec_pairs[val % 100], 2);
	}
	if (digits)
		p[-1] = '0' + val;
	return end;
}

/* @val as 0x-prefixed hex at the end of @buf; returns where it starts. */
static inline unsigned int memlab_format_hex(char buf[2 + 16], u64 val)
{
	unsigned int i = 2 + 16;

	do {
		buf[--i] = "0123456789abcdef"[val & 0xf];
		val >>= 4;
	} while (val);
	buf[--i] = 'x';
	buf[--i] = '0';
	return i;
}

/*
 * A table field in the house style, @sep (if not NULL) and then @val as
 * 0x-prefixed hex, without vsnprintf(): in a long table the formatting is
 * most of the cost, and seq_printf() parses its format again for every
 * field of every row.  Decimals have the kernel's seq_put_decimal_ull().
 */
static inline void memlab_put_hex(struct seq_file *m, const char *sep, u64 val)
{
	char buf[2 + 16];
	unsigned int i = memlab_format_hex(buf, val);

	if (sep)
		seq_puts(m, sep);
	seq_write(m, buf + i, sizeof(buf) - i);
}

/*
 * A row assembled on the stack and handed to seq_file in one seq_write(),
 * for the views that print rows by the ten thousand (pgwalk/ranges) or
 * must answer fast (pgwalk/walk).  There, a call per field is most of the
 * cost: under TCG, which runs the lab, pgwalk/ranges spent more time in
 * seq_puts() and its like than in walking the page tables, and every load
 * and store counts, so digits are written where they go.  A row holds
 * MEMLAB_ROW_MAX bytes and its newline; a field that would not fit is
 * cut, so a view sizes its widest row to fit.
 */
#define MEMLAB_ROW_MAX	256

struct memlab_row {
	unsigned int len;
	char buf[MEMLAB_ROW_MAX + 1];
};

static inline void memlab_row_char(struct memlab_row *row, char c)
{
	if (row->len < MEMLAB_ROW_MAX)
		row->buf[row->len++] = c;
}

static inline void memlab_row_mem(struct memlab_row *row, const char *s,
				  unsigned int len)
{
	len = min(len, MEMLAB_ROW_MAX - row->len);
	memcpy(row->buf + row->len, s, len);
	row->len += len;
}

/* A loop: the strings are a few bytes, and strlen() would be a call. */
static inline void memlab_row_str(struct memlab_row *row, const char *s)
{
	while (*s && row->len < MEMLAB_ROW_MAX)
		row->buf[row->len++] = *s++;
}

/* @val as 0x-prefixed hex. */
static inline void memlab_row_hex(struct memlab_row *row, u64 val)
{
	if (row->len + 2 + 16 > MEMLAB_ROW_MAX)
		return;
	row->len = memlab_buf_hex(row->buf + row->len, val) - row->buf;
}

/* Division by a constant is a multiplication: no divide is executed. */
static inline void memlab_row_dec(struct memlab_row *row, u64 val)
{
	if (row->len + 20 > MEMLAB_ROW_MAX)
		return;
	row->len = memlab_buf_dec(row->buf + row->len, val) - row->buf;
}

/*
 * Points @text, a seq_file the caller zeroed once, at the rest of @row,
 * for printers that write only to a seq_file; memlab_row_grew() then
 * counts what they wrote, cut to fit.  In place, rather than a new
 * seq_file per row: zeroing one takes "rep stos", which TCG runs a word
 * at a time, and a walk prints six rows.
 */
static inline void memlab_row_seq(struct memlab_row *row, struct seq_file *text)
{
	text->buf = row->buf + row->len;
	text->size = MEMLAB_ROW_MAX - row->len;
	text->count = 0;
}

static inline void memlab_row_grew(struct memlab_row *row,
				   const struct seq_file *text)
{
	row->len += min_t(size_t, text->count, MEMLAB_ROW_MAX - row->len);
}

/* Ends the row with its newline and hands it to @m. */
static inline void memlab_row_put(struct seq_file *m, struct memlab_row *row)
{
	row->buf[row->len++] = '\n';
	seq_write(m, row->buf, row->len);
	row->len = 0;
}

/*
 * The number rules of every control file: decimal or 0x-prefixed hex,
 * nothing else: no sign, no octal, no trailing characters.  Each returns
 * 0 or -EINVAL (-ERANGE for a number too big for the type).
 *
 * memlab_parse_count() takes a count in [1, @max].
 * memlab_parse_id_or_all() takes an id or "all", for "free ID|all": *@all
 * says which, and *@id is set only for an id.
 */
int memlab_parse_u64(const char *word, u64 *val);
int memlab_parse_ulong(const char *word, unsigned long *val);
int memlab_parse_uint(const char *word, unsigned int *val);
int memlab_parse_count(const char *word, unsigned long max,
		       unsigned long *count);
int memlab_parse_id_or_all(const char *word, unsigned long *id, bool *all);

/*
 * The populated zones (or, with @all_zones, every zone of every online node),
 * one at a time in node and zone order, for tables keyed by zone: a zone's
 * key is nid * MAX_NR_ZONES + zone_idx, the same in every view.  Returns the
 * first such zone whose key is at least *@key and sets *@key to its key, or
 * NULL after the last one.
 */
struct zone *memlab_zone_at(unsigned long *key, bool all_zones);

/*
 * A migrate type's name as /proc/pagetypeinfo prints it, or "-" for
 * MIGRATE_TYPES and beyond (no type known).
 */
const char *memlab_migratetype_name(unsigned int migratetype);

#endif /* MEMLAB_H */
