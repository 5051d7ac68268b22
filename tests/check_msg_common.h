/*
 * Helpers shared by the Message Service check programs (check_msg_*.c).
 *
 * Every check_msg_* program has argument cases that run anywhere and live
 * cases that need a running safd: tests/cluster/msg-api.sh runs the programs
 * inside a private one-node cluster with SAFD_TEST_LIVE=1.
 *
 * Rules the helpers enforce for the cases: names are unique per test (pid
 * and a counter), so cases never see each other's queues; every wait is a
 * poll with a deadline (msgt_wait_*, msgt_dispatch_until, msgt_join), never
 * a bare sleep.
 */
#ifndef CHECK_MSG_COMMON_H
#define CHECK_MSG_COMMON_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include <saMsg.h>

/* SA_AIS_ERR_NOT_EXIST as csa104 knows it. */
#define MSGT_NOT_EXIST_CODE 0xC

bool msgt_live(void);
/* main() of every check_msg_* program: runs the suite (the live TCases are
 * added by `make_suite` only when msgt_live()), prints a loud SKIP line for
 * the live part when there is no safd, returns the exit status. */
int msgt_main(Suite *(*make_suite)(void), const char *program);

int64_t msgt_now_ms(void);		/* CLOCK_MONOTONIC */
int64_t msgt_realtime_ns(void);		/* CLOCK_REALTIME, as SaTimeT */
void msgt_sleep_ms(int ms);		/* only for polling helpers */

/* A unique queue or group name "mt.<pid>.<n>.<tag>". */
void msgt_name(SaNameT *name, const char *tag);
/* A name of exactly `len` bytes (len <= 256), unique prefix, 'x' padding. */
void msgt_name_len(SaNameT *name, size_t len);
/* Name from a C string, no uniqueness (csa104's fixed name). */
void msgt_name_str(SaNameT *name, const char *s);

/* saMsgInitialize with release 'B' and `major`; asserts SA_AIS_OK. */
SaMsgHandleT msgt_init(const SaMsgCallbacksT *cb, SaUint8T major);

void msgt_attrs(SaMsgQueueCreationAttributesT *a, SaMsgQueueCreationFlagsT flags,
		SaSizeT area_size, SaTimeT retention);
/* Opens `name` with CREATE | extra_flags and msgt_attrs(flags, area,
 * retention); asserts SA_AIS_OK and returns the queue handle. */
SaMsgQueueHandleT msgt_open(SaMsgHandleT h, const SaNameT *name,
			    SaMsgQueueOpenFlagsT extra_flags,
			    SaMsgQueueCreationFlagsT flags, SaSizeT area,
			    SaTimeT retention);

/* Synchronous send of len bytes, priority prio, type 0, no sender name. */
SaAisErrorT msgt_send(SaMsgHandleT h, const SaNameT *dest, SaUint8T prio,
		      const void *data, size_t len);
/* Send of a C string with its NUL. */
SaAisErrorT msgt_send_str(SaMsgHandleT h, const SaNameT *dest, SaUint8T prio,
			  const char *s);

/* Get into buf (capacity cap). *len (if not NULL) gets message.size, *prio
 * the priority, *sender_id the sender id. */
SaAisErrorT msgt_get(SaMsgQueueHandleT q, void *buf, size_t cap, SaSizeT *len,
		     SaUint8T *prio, SaMsgSenderIdT *sender_id, SaTimeT timeout);
/* Get of a string message (timeout 5 s) into buf; asserts SA_AIS_OK. */
void msgt_get_str(SaMsgQueueHandleT q, char *buf, size_t cap);

/* Messages in the queue (all priorities); asserts StatusGet is SA_AIS_OK. */
uint32_t msgt_count(SaMsgHandleT h, const SaNameT *name);
/* Polls saMsgQueueStatusGet until it returns `want`, for at most ms. */
bool msgt_wait_status(SaMsgHandleT h, const SaNameT *name, SaAisErrorT want,
		      int ms);
/* Polls until the queue holds exactly `n` messages, for at most ms. */
bool msgt_wait_count(SaMsgHandleT h, const SaNameT *name, uint32_t n, int ms);
/* Asserts StatusGet keeps returning SA_AIS_OK for `ms` (polled). */
bool msgt_stays_existing(SaMsgHandleT h, const SaNameT *name, int ms);

/* The handle's selection object becomes readable within ms. */
bool msgt_readable(SaMsgHandleT h, int ms);
/* Dispatches (SA_DISPATCH_ALL, polling the selection object) until
 * *counter >= target or ms pass; returns *counter. */
int msgt_dispatch_until(SaMsgHandleT h, volatile int *counter, int target, int ms);

/* Waits for thread t at most ms; false if it is still running. */
bool msgt_join(pthread_t t, int ms);

/* A thread blocked in saMsgMessageGet. */
struct msgt_getter {
	SaMsgQueueHandleT queue;
	SaTimeT timeout;
	char buf[1024];
	bool library_buffer;	/* Get with msg.data NULL instead of buf */
	SaMsgMessageT msg;
	SaMsgSenderIdT sender_id;
	SaAisErrorT result;
	int entered;		/* atomic: about to call Get */
	int done;		/* atomic: Get returned */
	int64_t returned_ms;
};
void msgt_getter_start(struct msgt_getter *g, pthread_t *t, SaMsgQueueHandleT q,
		       SaTimeT timeout);
/* The same with a buffer the library allocates (free msg.data). */
void msgt_getter_start_alloc(struct msgt_getter *g, pthread_t *t, SaMsgQueueHandleT q,
			     SaTimeT timeout);
/* Waits until the getter has called Get and has stayed inside it for
 * `inside_ms` (so the request has reached safd); false if it returned. */
bool msgt_getter_blocked(struct msgt_getter *g, int inside_ms);

/* Finalizes h and asserts SA_AIS_OK. */
void msgt_fini(SaMsgHandleT h);

#endif /* CHECK_MSG_COMMON_H */
