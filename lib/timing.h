/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) The owner's timing (SPEC section 5.2): the schedule a policy signs,
 * and the arithmetic of wall clocks, windows and holds.  Nothing here
 * reads a clock: every time is handed in.  A wall-clock time is held as
 * seconds from 1970-01-01T00:00:00 on that clock's own calendar (the UTC
 * time shifted by the clock's offset, or the local reading as handed in). */
#ifndef VETO_TIMING_H
#define VETO_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMING_MAX_WINDOWS 32U
#define TIMING_MAX_HOLDS 16U
/* A local reading is plausible from 12 hours behind to 14 hours ahead of
 * the verifier's time, both ends included. */
#define TIMING_LOCAL_AHEAD (14 * 3600)
#define TIMING_LOCAL_BEHIND (12 * 3600)

typedef enum timing_clock { TCLOCK_UTC, TCLOCK_LOCAL, TCLOCK_OFFSET } timing_clock;

typedef struct vwindow {
	uint8_t days;   /* bit 0 Monday .. bit 6 Sunday: the days a window starts */
	uint16_t start; /* minutes from 00:00 */
	uint16_t end;   /* differs from start; below it: the window runs past midnight */
} vwindow;

typedef struct vhold {
	int64_t from, until; /* UTC; from < until */
	bool fast_path;      /* the fast path passes through this hold */
} vhold;

typedef struct vtiming {
	timing_clock clock;
	int32_t offset; /* seconds east of UTC (TCLOCK_OFFSET) */
	vwindow windows[TIMING_MAX_WINDOWS];
	size_t n_windows; /* 0: always open */
	vhold holds[TIMING_MAX_HOLDS];
	size_t n_holds;
	bool has_fast_path; /* its roles are flagged `fast` in the policy's roles */
} vtiming;

/* Monday 0 .. Sunday 6 of a wall-clock time. */
unsigned veto__timing_weekday(int64_t wall);
/* Whether w is open at wall (seconds ignored). */
bool veto__timing_window_open(const vwindow *w, int64_t wall);
/* Whether any window of t is open at wall; true without windows. */
bool veto__timing_open(const vtiming *t, int64_t wall);
/* The first wall-clock minute after wall at which a window of t opens
 * (t has windows, none open at wall): a multiple of 60 seconds. */
int64_t veto__timing_next_open(const vtiming *t, int64_t wall);
/* Whether a local reading is plausible at the verifier's time now. */
bool veto__timing_local_plausible(int64_t local, int64_t now);
/* Whether a hold is active at now (UTC). */
bool veto__timing_hold_active(const vhold *h, int64_t now);

/* "HH:MM" (00:00..23:59) into minutes. */
bool veto__timing_hhmm(const char *s, size_t len, uint16_t *minutes);
/* "+HH:MM" / "-HH:MM" (00:00..14:00) into seconds east of UTC. */
bool veto__timing_offset(const char *s, size_t len, int32_t *seconds);
/* A day name ("mon".."sun") into its bit. */
bool veto__timing_day(const char *s, size_t len, uint8_t *bit);
/* The wall-clock time "YYYY-MM-DDTHH:MM:00" and the clock's suffix ("Z",
 * "+HH:MM" or nothing for the local clock) into buf (at least 32 bytes). */
void veto__timing_wall_text(char *buf, size_t cap, const vtiming *t, int64_t wall);

#endif
