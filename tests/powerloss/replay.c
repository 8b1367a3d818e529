/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The replayer of the power-loss test.  Reads the recorder's log (see
 * recorder.c) and a copy of the tree as it was before the logged command,
 * and writes, for every crash point of the log, each on-disk state that a
 * power loss at that point may leave, as a directory of its own.
 *
 *   replay LOG SNAPSHOT OUTDIR
 *
 * The model (docs/HARDENING.md, "Power loss"):
 *  - Every file and directory is an object with a durable version (what
 *    the disk holds for sure) and the versions made since its last flush.
 *  - A file's version changes with each write and truncation; a write of
 *    more than one 4096-byte block also yields the versions in which only
 *    its first blocks arrived (in order).  fsync or fdatasync of the file
 *    makes its current version durable.
 *  - A directory's version changes with each entry made or removed in it:
 *    a create, mkdir, link, unlink, rmdir, or a rename (one change when
 *    both names are in one directory, one change in each directory
 *    otherwise).  fsync of the directory makes its current entries
 *    durable.  fsync of a file does not make its name durable.
 *  - sync and syncfs make everything durable.
 *  - A power loss leaves, for every object independently, its durable
 *    version or one of its later versions: all unflushed data may be lost,
 *    or any prefix of it in the order written; every directory keeps any
 *    prefix of its unflushed entry changes, independently of the others
 *    and of the files' data.
 * A crash point is the start and each logged change; opening an existing
 * file, closing and duplicating change nothing that could be on disk.
 *
 * Output: OUTDIR/final (every change applied: must equal what the command
 * left), OUTDIR/pK/sJ for the Jth distinct state of crash point K, and on
 * standard output one line per crash point:
 *   point K STATES COMBINATIONS OPERATION...
 * then "total OPS POINTS COMBINATIONS STATES".  Exit 0, or 2 with a
 * message when the log cannot be replayed faithfully (an unsupported or
 * unresolvable operation, a model that disagrees with the log).
 */
#undef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK 4096U
#define MAX_FDS 1024
#define MAX_COMBOS 100000U

typedef struct {
	uint8_t *d;
	size_t n;
} blob;

typedef struct {
	char *name;
	size_t ino;
} entry;

typedef struct {
	entry *e;
	size_t n;
} dirmap;

/* An object: versions [0] durable .. [nver - 1] current. */
typedef struct {
	bool dir;
	size_t nver;
	blob *fv;   /* files */
	dirmap *dv; /* directories */
} object;

static object *objs;
static size_t nobjs;
static long fdmap[MAX_FDS];
static const char *opname; /* the operation being replayed, for messages */

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2), noreturn))
#endif
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("replay: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (opname != NULL)
		fprintf(stderr, " (at: %s)", opname);
	fputc('\n', stderr);
	exit(2);
}

static void *xalloc(size_t n)
{
	void *p = calloc(n == 0 ? 1 : n, 1);
	if (p == NULL)
		die("out of memory");
	return p;
}

static void *xgrow(void *p, size_t n, size_t size)
{
	if (n != 0 && size > SIZE_MAX / n)
		die("too large");
	void *q = realloc(p, n * size == 0 ? 1 : n * size);
	if (q == NULL)
		die("out of memory");
	return q;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xalloc(n);
	memcpy(p, s, n);
	return p;
}

/* ---- versions -------------------------------------------------------- */

static size_t new_object(bool dir)
{
	objs = xgrow(objs, nobjs + 1, sizeof *objs);
	object *o = &objs[nobjs];
	memset(o, 0, sizeof *o);
	o->dir = dir;
	o->nver = 1;
	if (dir)
		o->dv = xalloc(sizeof *o->dv);
	else
		o->fv = xalloc(sizeof *o->fv);
	return nobjs++;
}

static blob blob_copy(const blob *b)
{
	blob c = {xalloc(b->n), b->n};
	if (b->n > 0)
		memcpy(c.d, b->d, b->n);
	return c;
}

static dirmap map_copy(const dirmap *m)
{
	dirmap c = {xalloc(m->n * sizeof(entry)), m->n};
	for (size_t i = 0; i < m->n; i++) {
		c.e[i].name = xstrdup(m->e[i].name);
		c.e[i].ino = m->e[i].ino;
	}
	return c;
}

/* A new current version of a file, a copy of the current one. */
static blob *file_push(size_t ino)
{
	object *o = &objs[ino];
	o->fv = xgrow(o->fv, o->nver + 1, sizeof *o->fv);
	o->fv[o->nver] = blob_copy(&o->fv[o->nver - 1]);
	return &o->fv[o->nver++];
}

static dirmap *dir_push(size_t ino)
{
	object *o = &objs[ino];
	o->dv = xgrow(o->dv, o->nver + 1, sizeof *o->dv);
	o->dv[o->nver] = map_copy(&o->dv[o->nver - 1]);
	return &o->dv[o->nver++];
}

static void map_free(dirmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->e[i].name);
	free(m->e);
}

/* Versions [from, to) of an object. */
static void drop_versions(object *o, size_t from, size_t to)
{
	for (size_t v = from; v < to; v++) {
		if (o->dir)
			map_free(&o->dv[v]);
		else
			free(o->fv[v].d);
	}
}

/* Flush: the current version becomes the only, durable, one. */
static void flush(size_t ino)
{
	object *o = &objs[ino];
	if (o->nver == 1)
		return;
	drop_versions(o, 0, o->nver - 1);
	if (o->dir)
		o->dv[0] = o->dv[o->nver - 1];
	else
		o->fv[0] = o->fv[o->nver - 1];
	o->nver = 1;
}

static bool map_find(const dirmap *m, const char *name, size_t *at)
{
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->e[i].name, name) == 0) {
			*at = i;
			return true;
		}
	}
	return false;
}

static void map_set(dirmap *m, const char *name, size_t ino)
{
	size_t at;
	if (map_find(m, name, &at)) {
		m->e[at].ino = ino;
		return;
	}
	m->e = xgrow(m->e, m->n + 1, sizeof *m->e);
	m->e[m->n].name = xstrdup(name);
	m->e[m->n].ino = ino;
	m->n++;
}

static void map_del(dirmap *m, const char *name)
{
	size_t at;
	if (!map_find(m, name, &at))
		die("no entry %s to remove", name);
	free(m->e[at].name);
	m->e[at] = m->e[m->n - 1];
	m->n--;
}

/* ---- the namespace, as the running program saw it -------------------- */

/* Splits "a/b/c" into the object of "a/b" (current entries) and "c". */
static size_t parent_of(const char *path, char *leaf, size_t cap)
{
	size_t ino = 0;
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		if (slash == NULL)
			break;
		size_t len = (size_t)(slash - p);
		char part[256];
		if (len >= sizeof part)
			die("path component too long: %s", path);
		memcpy(part, p, len);
		part[len] = '\0';
		const object *o = &objs[ino];
		size_t at;
		if (!o->dir || !map_find(&o->dv[o->nver - 1], part, &at))
			die("%s: no directory %s in the model", path, part);
		ino = o->dv[o->nver - 1].e[at].ino;
		p = slash + 1;
	}
	if (strlen(p) >= cap)
		die("name too long: %s", path);
	strcpy(leaf, p);
	if (!objs[ino].dir)
		die("%s: parent is not a directory", path);
	return ino;
}

static bool lookup(const char *path, size_t *ino)
{
	if (strcmp(path, ".") == 0) {
		*ino = 0;
		return true;
	}
	char leaf[256];
	size_t d = parent_of(path, leaf, sizeof leaf);
	const dirmap *m = &objs[d].dv[objs[d].nver - 1];
	size_t at;
	if (!map_find(m, leaf, &at))
		return false;
	*ino = m->e[at].ino;
	return true;
}

/* ---- the snapshot ---------------------------------------------------- */

static blob read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		die("cannot open %s: %s", path, strerror(errno));
	blob b = {NULL, 0};
	size_t cap = 0;
	for (;;) {
		if (b.n == cap) {
			cap = cap == 0 ? 4096 : 2 * cap;
			b.d = xgrow(b.d, cap, 1);
		}
		ssize_t r = read(fd, b.d + b.n, cap - b.n);
		if (r < 0)
			die("cannot read %s: %s", path, strerror(errno));
		if (r == 0)
			break;
		b.n += (size_t)r;
	}
	close(fd);
	return b;
}

static void load(size_t ino, const char *path)
{
	DIR *d = opendir(path);
	if (d == NULL)
		die("cannot list %s: %s", path, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char sub[4096];
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub)
			die("path too long: %s", path);
		struct stat st;
		if (lstat(sub, &st) != 0)
			die("cannot examine %s: %s", sub, strerror(errno));
		size_t child;
		if (S_ISDIR(st.st_mode)) {
			child = new_object(true);
			load(child, sub);
		} else if (S_ISREG(st.st_mode)) {
			child = new_object(false);
			objs[child].fv[0] = read_file(sub);
		} else {
			die("%s: only directories and regular files are modelled", sub);
		}
		map_set(&objs[ino].dv[0], e->d_name, child);
	}
	closedir(d);
}

/* ---- the log --------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Undoes the recorder's %XX escapes in place. */
static void unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p != '\0'; p++) {
		int h, l;
		if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
			*o++ = (char)(h * 16 + l);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

static blob unhex(const char *s)
{
	if (strcmp(s, "-") == 0)
		return (blob){NULL, 0};
	size_t n = strlen(s);
	if (n % 2 != 0)
		die("odd hex data");
	blob b = {xalloc(n / 2), n / 2};
	for (size_t i = 0; i < b.n; i++) {
		int h = hexval(s[2 * i]), l = hexval(s[2 * i + 1]);
		if (h < 0 || l < 0)
			die("bad hex data");
		b.d[i] = (uint8_t)(h * 16 + l);
	}
	return b;
}

static long long number(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0)
		die("bad number '%s'", s);
	return v;
}

static size_t fd_object(const char *s)
{
	long long fd = number(s);
	if (fd >= MAX_FDS || fdmap[fd] < 0)
		die("descriptor %s not open in the model", s);
	return (size_t)fdmap[fd];
}

/* ---- replaying one operation ------------------------------------------ */

static void set_bytes(blob *b, size_t off, const uint8_t *d, size_t n)
{
	if (off > SIZE_MAX - n)
		die("offset too large");
	if (off + n > b->n) {
		b->d = xgrow(b->d, off + n, 1);
		memset(b->d + b->n, 0, off + n - b->n);
		b->n = off + n;
	}
	if (n > 0)
		memcpy(b->d + off, d, n);
}

static void op_write(size_t ino, size_t off, const blob *data)
{
	if (objs[ino].dir)
		die("write to a directory");
	/* The torn versions: the first whole blocks of a long write. */
	size_t end = off + data->n;
	for (size_t b = (off / BLOCK + 1) * BLOCK; b < end; b += BLOCK)
		set_bytes(file_push(ino), off, data->d, b - off);
	set_bytes(file_push(ino), off, data->d, data->n);
}

static void op_trunc(size_t ino, size_t len)
{
	if (objs[ino].dir)
		die("truncation of a directory");
	blob *b = file_push(ino);
	if (len > b->n)
		set_bytes(b, len, NULL, 0);
	b->n = len;
}

/* open FD PATH FLAGS; returns whether it changed anything. */
static bool op_open(char **arg, size_t nargs)
{
	if (nargs != 3)
		die("open takes 3 arguments");
	long long fd = number(arg[0]);
	long long flags = number(arg[2]);
	if (fd >= MAX_FDS)
		die("descriptor too high");
	size_t ino;
	bool changed = false;
	if (!lookup(arg[1], &ino)) {
		if ((flags & O_CREAT) == 0)
			die("%s opened but absent from the model", arg[1]);
		char leaf[256];
		size_t d = parent_of(arg[1], leaf, sizeof leaf);
		ino = new_object(false);
		map_set(dir_push(d), leaf, ino);
		changed = true;
	} else if ((flags & O_TRUNC) != 0 && (flags & O_ACCMODE) != O_RDONLY) {
		op_trunc(ino, 0);
		changed = true;
	}
	fdmap[fd] = (long)ino;
	return changed;
}

static void op_name(const char *op, const char *path)
{
	char leaf[256];
	size_t d = parent_of(path, leaf, sizeof leaf);
	if (strcmp(op, "mkdir") == 0) {
		size_t at;
		if (map_find(&objs[d].dv[objs[d].nver - 1], leaf, &at))
			die("mkdir of an existing name");
		size_t ino = new_object(true);
		map_set(dir_push(d), leaf, ino);
	} else {
		size_t ino;
		if (!lookup(path, &ino))
			die("%s of an absent name", op);
		if (objs[ino].dir != (strcmp(op, "rmdir") == 0))
			die("%s of the wrong kind of object", op);
		map_del(dir_push(d), leaf);
	}
}

static void op_rename(const char *op, const char *from, const char *to)
{
	char lf[256], lt[256];
	size_t df = parent_of(from, lf, sizeof lf);
	size_t dt = parent_of(to, lt, sizeof lt);
	size_t ino;
	if (!lookup(from, &ino))
		die("%s of an absent name", op);
	if (strcmp(op, "link") == 0) {
		map_set(dir_push(dt), lt, ino);
		return;
	}
	if (df == dt) {
		dirmap *m = dir_push(df);
		map_del(m, lf);
		map_set(m, lt, ino);
	} else {
		map_del(dir_push(df), lf);
		map_set(dir_push(dt), lt, ino);
	}
}

/* Applies one log line; returns whether a power loss right after it may
 * leave something new on disk. */
static bool apply(char **arg, size_t nargs)
{
	const char *op = arg[0];
	arg++;
	nargs--;
	if (strcmp(op, "unsupported") == 0)
		die("the recorder saw an operation this model does not cover");
	if (strcmp(op, "open") == 0)
		return op_open(arg, nargs);
	if (strcmp(op, "sync") == 0) {
		for (size_t i = 0; i < nobjs; i++)
			flush(i);
		return true;
	}
	if (nargs < 1)
		die("missing arguments");
	if (strcmp(op, "close") == 0) {
		(void)fd_object(arg[0]);
		fdmap[number(arg[0])] = -1;
		return false;
	}
	if (strcmp(op, "dup") == 0 && nargs == 2) {
		size_t ino = fd_object(arg[0]);
		long long to = number(arg[1]);
		if (to >= MAX_FDS)
			die("descriptor too high");
		fdmap[to] = (long)ino;
		return false;
	}
	if (strcmp(op, "write") == 0 && nargs == 3) {
		blob data = unhex(arg[2]);
		op_write(fd_object(arg[0]), (size_t)number(arg[1]), &data);
		free(data.d);
		return true;
	}
	if (strcmp(op, "trunc") == 0 && nargs == 2) {
		op_trunc(fd_object(arg[0]), (size_t)number(arg[1]));
		return true;
	}
	if ((strcmp(op, "fsync") == 0 || strcmp(op, "fdatasync") == 0) && nargs == 1) {
		flush(fd_object(arg[0]));
		return true;
	}
	if ((strcmp(op, "mkdir") == 0 || strcmp(op, "rmdir") == 0 ||
	     strcmp(op, "unlink") == 0) && nargs == 1) {
		op_name(op, arg[0]);
		return true;
	}
	if ((strcmp(op, "rename") == 0 || strcmp(op, "link") == 0) && nargs == 2) {
		op_rename(op, arg[0], arg[1]);
		return true;
	}
	die("unknown or malformed operation");
}

/* ---- the crash states ------------------------------------------------ */

static size_t *choice; /* per object: which version the disk holds */

/* The canonical text of the tree from object ino: for dedup. */
static void serialise(FILE *out, size_t ino, const char *prefix, unsigned depth)
{
	if (depth > 64)
		die("directory cycle");
	const object *o = &objs[ino];
	const dirmap *m = &o->dv[choice[ino]];
	/* Entries in name order, so that equal trees give equal text. */
	size_t *order = xalloc(m->n * sizeof *order);
	for (size_t i = 0; i < m->n; i++) {
		size_t j = i;
		while (j > 0 && strcmp(m->e[order[j - 1]].name, m->e[i].name) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t k = 0; k < m->n; k++) {
		const entry *e = &m->e[order[k]];
		const object *c = &objs[e->ino];
		if (c->dir) {
			fprintf(out, "D %s/%s\n", prefix, e->name);
			char sub[4096];
			snprintf(sub, sizeof sub, "%s/%s", prefix, e->name);
			serialise(out, e->ino, sub, depth + 1);
		} else {
			const blob *b = &c->fv[choice[e->ino]];
			fprintf(out, "F %s/%s %zu\n", prefix, e->name, b->n);
			if (b->n > 0)
				fwrite(b->d, 1, b->n, out);
			fputc('\n', out);
		}
	}
	free(order);
}

static void put_file(const char *path, const blob *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		die("cannot create %s: %s", path, strerror(errno));
	size_t done = 0;
	while (done < b->n) {
		ssize_t w = write(fd, b->d + done, b->n - done);
		if (w <= 0)
			die("cannot write %s", path);
		done += (size_t)w;
	}
	if (close(fd) != 0)
		die("cannot close %s", path);
}

static void materialise(size_t ino, const char *path)
{
	if (mkdir(path, 0700) != 0)
		die("cannot create %s: %s", path, strerror(errno));
	const dirmap *m = &objs[ino].dv[choice[ino]];
	for (size_t i = 0; i < m->n; i++) {
		char sub[4096];
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, m->e[i].name) >= sizeof sub)
			die("path too long");
		size_t c = m->e[i].ino;
		if (objs[c].dir)
			materialise(c, sub);
		else
			put_file(sub, &objs[c].fv[choice[c]]);
	}
}

typedef struct {
	char *text;
	size_t len;
} seen_state;

/* Writes every distinct state of the current crash point K. */
static void crash_point(const char *outdir, size_t k, const char *what, size_t *combos_total,
                        size_t *states_total)
{
	size_t combos = 1;
	for (size_t i = 0; i < nobjs; i++) {
		if (combos > MAX_COMBOS / objs[i].nver)
			die("more than %u combinations at one crash point", MAX_COMBOS);
		combos *= objs[i].nver;
	}
	char pdir[4096];
	snprintf(pdir, sizeof pdir, "%s/p%zu", outdir, k);
	if (mkdir(pdir, 0700) != 0)
		die("cannot create %s: %s", pdir, strerror(errno));
	seen_state *seen = NULL;
	size_t nseen = 0;
	for (size_t c = 0; c < combos; c++) {
		size_t rest = c;
		for (size_t i = 0; i < nobjs; i++) {
			choice[i] = rest % objs[i].nver;
			rest /= objs[i].nver;
		}
		seen_state s = {NULL, 0};
		FILE *f = open_memstream(&s.text, &s.len);
		if (f == NULL)
			die("out of memory");
		serialise(f, 0, "", 0);
		fclose(f);
		bool dup = false;
		for (size_t j = 0; j < nseen && !dup; j++)
			dup = seen[j].len == s.len && memcmp(seen[j].text, s.text, s.len) == 0;
		if (dup) {
			free(s.text);
			continue;
		}
		seen = xgrow(seen, nseen + 1, sizeof *seen);
		seen[nseen++] = s;
		char sdir[4200];
		snprintf(sdir, sizeof sdir, "%s/s%zu", pdir, nseen);
		materialise(0, sdir);
	}
	for (size_t j = 0; j < nseen; j++)
		free(seen[j].text);
	free(seen);
	printf("point %zu %zu %zu %s\n", k, nseen, combos, what);
	*combos_total += combos;
	*states_total += nseen;
}

/* The line as the log has it, shortened for the report. */
static void describe(char *out, size_t cap, char **arg, size_t nargs)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < nargs && n + 1 < cap; i++) {
		const char *a = arg[i];
		char buf[64];
		if (strcmp(arg[0], "write") == 0 && i == 3) {
			snprintf(buf, sizeof buf, "(%zu bytes)", strcmp(a, "-") == 0 ? 0 : strlen(a) / 2);
			a = buf;
		}
		int w = snprintf(out + n, cap - n, "%s%s", i == 0 ? "" : " ", a);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: replay LOG SNAPSHOT OUTDIR\n");
		return 2;
	}
	for (size_t i = 0; i < MAX_FDS; i++)
		fdmap[i] = -1;
	(void)new_object(true); /* 0: the root */
	load(0, argv[2]);
	FILE *log = fopen(argv[1], "r");
	if (log == NULL)
		die("cannot open %s: %s", argv[1], strerror(errno));
	if (mkdir(argv[3], 0700) != 0)
		die("cannot create %s: %s", argv[3], strerror(errno));

	size_t ops = 0, points = 0, combos = 0, states = 0;
	choice = xalloc(nobjs * sizeof *choice);
	crash_point(argv[3], points++, "(before the command)", &combos, &states);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, log)) > 0) {
		if (line[len - 1] != '\n')
			die("log ends in a torn line");
		line[len - 1] = '\0';
		char *arg[8];
		size_t nargs = 0;
		for (char *t = strtok(line, " "); t != NULL; t = strtok(NULL, " ")) {
			if (nargs == 8)
				die("too many fields in a log line");
			arg[nargs++] = t;
		}
		if (nargs == 0)
			die("empty log line");
		for (size_t i = 1; i < nargs; i++)
			unescape(arg[i]);
		char what[512];
		describe(what, sizeof what, arg, nargs);
		opname = what;
		ops++;
		bool changed = apply(arg, nargs);
		choice = xgrow(choice, nobjs, sizeof *choice);
		if (changed)
			crash_point(argv[3], points++, what, &combos, &states);
		opname = NULL;
	}
	free(line);
	fclose(log);

	/* Every change applied: what the program's directory must hold. */
	for (size_t i = 0; i < nobjs; i++)
		choice[i] = objs[i].nver - 1;
	char fin[4096];
	snprintf(fin, sizeof fin, "%s/final", argv[3]);
	materialise(0, fin);
	printf("total %zu %zu %zu %zu\n", ops, points, combos, states);
	for (size_t i = 0; i < nobjs; i++) {
		drop_versions(&objs[i], 0, objs[i].nver);
		free(objs[i].dir ? (void *)objs[i].dv : (void *)objs[i].fv);
	}
	free(objs);
	free(choice);
	return 0;
}
