/* SPDX-License-Identifier: Apache-2.0 */
/*
 * veto_statedir.h - the one public header of libveto-statedir, the
 * companion library that keeps a veto state in a directory on a POSIX
 * (Linux) file system, the way the veto command does (SPEC section 7).
 *
 * libveto itself never touches a file: it hands the installed state in and
 * out as bytes.  This library is the storage a Linux device, hub or gateway
 * can use for those bytes.  A state directory DIR holds:
 *   DIR/state.json        the state document, replaced atomically;
 *   DIR/.lock             an empty regular file whose flock(2) serialises
 *                         every reader and writer;
 *   DIR/.state.json.tmp   a temporary file, present only during a write or
 *                         after a crash in one (removed by the next write).
 * Other entries are ignored (the veto command keeps device.key and
 * device.pub there; it checks those itself).
 *
 * What it guarantees
 *   - A lock held across read, check and write: veto_sd_open takes an
 *     exclusive flock on DIR/.lock and keeps it until veto_sd_close, so a
 *     caller that reads, decides and writes between the two never races
 *     another process using this library on the same directory.
 *   - Atomic replace: veto_sd_write writes a temporary file in DIR, fsyncs
 *     it, renames it over state.json and fsyncs DIR.  A crash or power cut
 *     at any instant leaves the old state.json or the new one, never a torn
 *     one.
 *   - A directory that group or others can write is refused: whoever can
 *     write DIR can swap state.json for a state trusting their own keys.
 *   - Never block, never follow: state.json and .lock are opened with
 *     O_NOFOLLOW | O_NONBLOCK and judged with fstat.  A state.json that is
 *     not a regular file (symbolic link, directory, FIFO, device, socket) is
 *     VETO_SD_CORRUPT; a .lock that is not a regular file is VETO_SD_ERROR
 *     naming it.  Neither call waits on a FIFO planted there.
 *   - Size cap: a state.json over VETO_SD_MAX_STATE bytes is
 *     VETO_SD_CORRUPT, and is never read into memory.
 *
 * What it does not do
 *   - It does not parse or check the state: hand the bytes to
 *     veto_state_parse (veto.h).  A missing or corrupt state must refuse
 *     every update, never reset to factory trust: that is the caller's
 *     decision, and VETO_SD_MISSING / VETO_SD_CORRUPT let it make it.
 *   - It does not protect against the directory's owner or root, nor
 *     against a rollback of the whole file system: bind the state to a
 *     hardware monotonic counter where there is one (SPEC section 7).
 *   - The flock is advisory: a process that writes state.json without this
 *     library (or over NFS, where flock may be emulated) is not held off.
 *   - veto_sd_create syncs DIR's parent only as a best effort.
 *
 * Conventions
 *   - Functions that can fail return enum veto_sd_status.  Their message,
 *     when they fail, goes into the caller's buffer err of errlen bytes
 *     (NUL-terminated, truncated to fit; err may be NULL or errlen 0 to
 *     skip it).  The message names the directory or file.  There is no
 *     global error state.
 *   - errno: after VETO_SD_ERROR, errno holds the cause the message names
 *     (as the failing system call left it); the functions that take no err
 *     buffer (veto_sd_read_fd, veto_sd_write_fd, veto_sd_replace_at) report
 *     through errno alone.  A refusal that no system call caused sets a
 *     fixed errno: EPERM (DIR writable by group or others), EEXIST (DIR
 *     already holds a state), ENOTEMPTY (DIR holds something else),
 *     ENAMETOOLONG (path over VETO_SD_PATH_MAX - 1), EINVAL (.lock is not a
 *     regular file; ELOOP and EISDIR when it is a link or a directory), EIO
 *     (state.json grew while read), EBADF (handle not open).  After
 *     VETO_SD_OK, VETO_SD_MISSING and VETO_SD_CORRUPT, errno is
 *     unspecified.
 *   - Memory: veto_sd_read and veto_sd_read_fd return a malloc'd buffer the
 *     caller frees with free(3).  Nothing else is allocated.
 *
 * Thread and process safety
 *   The library keeps no mutable global state except the test hook below.
 *   A veto_sd_dir must not be used from two threads at once.  Between
 *   processes, the flock on DIR/.lock serialises every veto_sd_open ..
 *   veto_sd_close span.  flock locks belong to the open file description:
 *   two veto_sd_open calls on the same directory in one process exclude each
 *   other too (the second waits), so never open a directory twice from one
 *   thread.  Descriptors are opened O_CLOEXEC, so a program exec'd
 *   while the lock is held does not keep it; but a child made with fork(2)
 *   shares the parent's lock through its copies of the descriptors, and the
 *   lock is released only once both have closed them (a child that will
 *   not use the handle calls veto_sd_close on its copy first).
 *
 * Test hook
 *   With VETO_FAULT_AT=N in the environment, the process raises SIGKILL on
 *   itself just before the Nth step of veto_sd_write, counting the steps
 *   {create temporary, write, fsync file, rename, fsync directory} over every
 *   veto_sd_write of the process (tests/crash).  Unset, empty, 0 or not a
 *   number: no effect.  The variable is read once.  A process that can set
 *   another's environment can kill it anyway; this adds no power.
 */
#ifndef VETO_STATEDIR_H
#define VETO_STATEDIR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(VETO_SD_BUILDING) && (defined(__GNUC__) || defined(__clang__))
#define VETO_SD_API __attribute__((visibility("default")))
#else
#define VETO_SD_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#define VETO_SD_NODISCARD __attribute__((warn_unused_result))
#else
#define VETO_SD_NODISCARD
#endif

/* The largest state.json read (4 MiB, far above any state of the
 * contract's limits). */
#define VETO_SD_MAX_STATE (4U * 1024U * 1024U)
/* The longest directory path, with its NUL. */
#define VETO_SD_PATH_MAX 4096U

enum veto_sd_status {
	VETO_SD_OK = 0,      /* done */
	VETO_SD_MISSING = 1, /* veto_sd_read: DIR/state.json does not exist */
	VETO_SD_CORRUPT = 2, /* veto_sd_read: state.json is there but cannot be a
	                      * state: not a regular file, or over
	                      * VETO_SD_MAX_STATE bytes (SPEC section 7 calls it
	                      * corrupt, not unreadable); err says which */
	VETO_SD_ERROR = -1   /* anything else: err and errno say what */
};

/*
 * An open state directory.  Treat the members as private: they are visible
 * only so that the handle can live on the stack or in a struct.  Initialise
 * one with VETO_SD_DIR_CLOSED (or let veto_sd_open fill it in); then
 * veto_sd_close may be called on it at any point, once or more.
 */
typedef struct veto_sd_dir {
	int dirfd;                    /* DIR, O_DIRECTORY; -1 when closed */
	int lockfd;                   /* DIR/.lock, flock'ed; -1 when closed */
	char path[VETO_SD_PATH_MAX];  /* DIR as given, for messages */
} veto_sd_dir;

#define VETO_SD_DIR_CLOSED {-1, -1, {0}}

/*
 * Makes DIR (mode 0700, then a best-effort fsync of its parent), or accepts
 * an existing one that group and others cannot write and that holds nothing
 * but what an interrupted enrolment leaves (.lock, the temporary file).
 * VETO_SD_ERROR when DIR already holds a state.json (of any kind) or
 * anything else: an enrolment never overwrites a state.  Takes no lock:
 * follow it with veto_sd_open and a veto_sd_read that must say
 * VETO_SD_MISSING before the first veto_sd_write.
 */
VETO_SD_API VETO_SD_NODISCARD enum veto_sd_status
veto_sd_create(const char *dir, char *err, size_t errlen);

/*
 * Opens DIR into *d, refuses it when group or others can write it, opens
 * (creating when absent, mode 0600) DIR/.lock, which must be a regular file,
 * and takes an exclusive flock on it, waiting while another holder has it.
 * The lock is held until veto_sd_close.  VETO_SD_OK, or VETO_SD_ERROR with
 * *d closed (veto_sd_close on it does nothing).  The refusal's message is:
 *   "state directory DIR can be written by group or others (mode 0NNN), so
 *    they could replace the trusted state; run 'chmod go-w DIR'"
 */
VETO_SD_API VETO_SD_NODISCARD enum veto_sd_status
veto_sd_open(veto_sd_dir *d, const char *dir, char *err, size_t errlen);

/*
 * Reads DIR/state.json into a malloc'd buffer *data of *len bytes, with a
 * NUL after them (not counted); the caller frees it.  On anything but
 * VETO_SD_OK, *data is NULL and *len 0.  VETO_SD_MISSING when absent,
 * VETO_SD_CORRUPT as above, VETO_SD_ERROR when it cannot be read (or grew
 * while being read, which the lock rules out for writers using this
 * library).  d must be open.
 */
VETO_SD_API VETO_SD_NODISCARD enum veto_sd_status
veto_sd_read(veto_sd_dir *d, uint8_t **data, size_t *len, char *err, size_t errlen);

/*
 * Replaces DIR/state.json with data[0..len) atomically (see above), mode
 * 0600.  VETO_SD_ERROR when d is not open or a step failed: before the
 * rename, state.json is left unchanged and the temporary file removed; when
 * only the final fsync of DIR failed, the message says the new state was
 * written but its durability is in doubt.
 */
VETO_SD_API VETO_SD_NODISCARD enum veto_sd_status
veto_sd_write(veto_sd_dir *d, const void *data, size_t len, char *err, size_t errlen);

/* Releases the lock and closes *d.  Safe on a closed handle. */
VETO_SD_API void veto_sd_close(veto_sd_dir *d);

/*
 * The file primitives the state directory is built on, for a caller's own
 * files (the veto command writes its outputs with them).  They print
 * nothing and report through errno.
 */

/*
 * Reads fd to its end, or until limit + 1 bytes, into a malloc'd buffer
 * *out (with a NUL after the *len bytes; the caller frees it): *len > limit
 * means the input is over the limit.  size_hint (the size fstat saw, 0 when
 * unknown) sizes the first buffer.  limit must be below SIZE_MAX - 1.
 * VETO_SD_OK, or VETO_SD_ERROR with errno ENOMEM (out of memory) or
 * read(2)'s; *out and *len are then untouched.
 */
VETO_SD_API VETO_SD_NODISCARD enum veto_sd_status
veto_sd_read_fd(int fd, size_t limit, uint64_t size_hint, uint8_t **out, size_t *len);

/* write(2) until all len bytes are written (retrying on EINTR).
 * VETO_SD_OK, or VETO_SD_ERROR with write(2)'s errno. */
VETO_SD_API VETO_SD_NODISCARD enum veto_sd_status
veto_sd_write_fd(int fd, const void *data, size_t len);

/*
 * Finishes an atomic replace in directory dirfd: fd is a new temporary
 * file named tmp there (the caller created it, O_EXCL); gives it the
 * permission bits mode unless mode < 0, writes data to it, fsyncs and
 * closes it, renames tmp to target and fsyncs dirfd.  fd is closed in every
 * case; dirfd never.  VETO_SD_OK, or VETO_SD_ERROR with errno set and
 * *failed_step naming the step that failed: "write", "sync", "close",
 * "rename" (then tmp is removed and target unchanged) or "sync-dir" (target
 * already replaced; only its durability is in doubt).
 */
VETO_SD_API VETO_SD_NODISCARD enum veto_sd_status
veto_sd_replace_at(int dirfd, int fd, const char *tmp, const char *target, long mode,
                   const void *data, size_t len, const char **failed_step);

#ifdef __cplusplus
}
#endif

#endif
