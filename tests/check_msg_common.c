/*
 * Helpers shared by the Message Service check programs; see
 * check_msg_common.h.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_msg_common.h"

bool msgt_live(void)
{
	const char *v = getenv("SAFD_TEST_LIVE");

	return v != NULL && strcmp(v, "1") == 0;
}

int msgt_main(Suite *(*make_suite)(void), const char *program)
{
	SRunner *sr = srunner_create(make_suite());
	int failed, ran;

	if (!msgt_live())
		fprintf(stderr, "SKIP: the live cases of %s need a running safd; "
			"tests/cluster/msg-api.sh runs them in a private cluster "
			"(only the argument cases ran)\n", program);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	ran = srunner_ntests_run(sr);
	srunner_free(sr);
	if (ran == 0 && !msgt_live())
		return 77;	/* nothing ran: a SKIP, never a PASS */
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int64_t msgt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t msgt_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void msgt_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static unsigned name_counter;

void msgt_name(SaNameT *name, const char *tag)
{
	int n;

	memset(name, 0, sizeof(*name));
	n = snprintf((char *)name->value, sizeof(name->value), "mt.%ld.%u.%s",
		     (long)getpid(), __atomic_add_fetch(&name_counter, 1, __ATOMIC_SEQ_CST),
		     tag);
	ck_assert(n > 0 && n < (int)sizeof(name->value));
	name->length = (SaUint16T)n;
}

void msgt_name_len(SaNameT *name, size_t len)
{
	ck_assert(len <= SA_MAX_NAME_LENGTH);
	msgt_name(name, "long");
	ck_assert(name->length <= len);
	memset(name->value + name->length, 'x', len - name->length);
	name->length = (SaUint16T)len;
}

void msgt_name_str(SaNameT *name, const char *s)
{
	size_t len = strlen(s);

	ck_assert(len < sizeof(name->value));
	memset(name, 0, sizeof(*name));
	memcpy(name->value, s, len + 1);
	name->length = (SaUint16T)len;
}

SaMsgHandleT msgt_init(const SaMsgCallbacksT *cb, SaUint8T major)
{
	SaVersionT v = { 'B', major, 0 };
	SaMsgHandleT h = 0;
	SaAisErrorT err;

	err = saMsgInitialize(&h, cb, &v);
	ck_assert_msg(err == SA_AIS_OK, "saMsgInitialize(B.%u) returned %d", major, err);
	ck_assert(h != 0);
	return h;
}

void msgt_fini(SaMsgHandleT h)
{
	ck_assert_int_eq(saMsgFinalize(h), SA_AIS_OK);
}

void msgt_attrs(SaMsgQueueCreationAttributesT *a, SaMsgQueueCreationFlagsT flags,
		SaSizeT area_size, SaTimeT retention)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->creationFlags = flags;
	for (i = 0; i <= SA_MSG_MESSAGE_LOWEST_PRIORITY; i++)
		a->size[i] = area_size;
	a->retentionTime = retention;
}

SaMsgQueueHandleT msgt_open(SaMsgHandleT h, const SaNameT *name,
			    SaMsgQueueOpenFlagsT extra_flags,
			    SaMsgQueueCreationFlagsT flags, SaSizeT area,
			    SaTimeT retention)
{
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueHandleT q = 0;
	SaAisErrorT err;

	msgt_attrs(&a, flags, area, retention);
	err = saMsgQueueOpen(h, name, &a, SA_MSG_QUEUE_CREATE | extra_flags,
			     5 * SA_TIME_ONE_SECOND, &q);
	ck_assert_msg(err == SA_AIS_OK, "saMsgQueueOpen(%.*s) returned %d",
		      name->length, name->value, err);
	ck_assert(q != 0);
	return q;
}

SaAisErrorT msgt_send(SaMsgHandleT h, const SaNameT *dest, SaUint8T prio,
		      const void *data, size_t len)
{
	SaMsgMessageT m;

	memset(&m, 0, sizeof(m));
	m.size = len;
	m.data = (void *)(uintptr_t)data;
	m.priority = prio;
	return saMsgMessageSend(h, dest, &m, 10 * SA_TIME_ONE_SECOND);
}

SaAisErrorT msgt_send_str(SaMsgHandleT h, const SaNameT *dest, SaUint8T prio,
			  const char *s)
{
	return msgt_send(h, dest, prio, s, strlen(s) + 1);
}

SaAisErrorT msgt_get(SaMsgQueueHandleT q, void *buf, size_t cap, SaSizeT *len,
		     SaUint8T *prio, SaMsgSenderIdT *sender_id, SaTimeT timeout)
{
	SaMsgMessageT m;
	SaMsgSenderIdT sid = 0;
	SaTimeT sent = 0;
	SaAisErrorT err;

	memset(&m, 0, sizeof(m));
	m.data = buf;
	m.size = cap;
	m.priority = 0xff;
	err = saMsgMessageGet(q, &m, &sent, &sid, timeout);
	if (len != NULL)
		*len = m.size;
	if (prio != NULL)
		*prio = m.priority;
	if (sender_id != NULL)
		*sender_id = sid;
	return err;
}

void msgt_get_str(SaMsgQueueHandleT q, char *buf, size_t cap)
{
	SaSizeT len = 0;
	SaAisErrorT err;

	memset(buf, 0, cap);
	err = msgt_get(q, buf, cap, &len, NULL, NULL, 5 * SA_TIME_ONE_SECOND);
	ck_assert_msg(err == SA_AIS_OK, "saMsgMessageGet returned %d", err);
	ck_assert(len <= cap);
	ck_assert_msg(len > 0 && buf[len - 1] == '\0', "not a string message (size %llu)",
		      (unsigned long long)len);
}

uint32_t msgt_count(SaMsgHandleT h, const SaNameT *name)
{
	SaMsgQueueStatusT st;
	SaAisErrorT err;
	uint32_t n = 0;
	int i;

	memset(&st, 0, sizeof(st));
	err = saMsgQueueStatusGet(h, name, &st);
	ck_assert_msg(err == SA_AIS_OK, "saMsgQueueStatusGet(%.*s) returned %d",
		      name->length, name->value, err);
	for (i = 0; i <= SA_MSG_MESSAGE_LOWEST_PRIORITY; i++)
		n += st.saMsgQueueUsage[i].numberOfMessages;
	return n;
}

bool msgt_wait_status(SaMsgHandleT h, const SaNameT *name, SaAisErrorT want, int ms)
{
	int64_t deadline = msgt_now_ms() + ms;
	SaMsgQueueStatusT st;

	for (;;) {
		if (saMsgQueueStatusGet(h, name, &st) == want)
			return true;
		if (msgt_now_ms() >= deadline)
			return false;
		msgt_sleep_ms(10);
	}
}

bool msgt_wait_count(SaMsgHandleT h, const SaNameT *name, uint32_t n, int ms)
{
	int64_t deadline = msgt_now_ms() + ms;

	for (;;) {
		if (msgt_count(h, name) == n)
			return true;
		if (msgt_now_ms() >= deadline)
			return false;
		msgt_sleep_ms(10);
	}
}

bool msgt_stays_existing(SaMsgHandleT h, const SaNameT *name, int ms)
{
	int64_t end = msgt_now_ms() + ms;
	SaMsgQueueStatusT st;

	do {
		if (saMsgQueueStatusGet(h, name, &st) != SA_AIS_OK)
			return false;
		msgt_sleep_ms(20);
	} while (msgt_now_ms() < end);
	return saMsgQueueStatusGet(h, name, &st) == SA_AIS_OK;
}

bool msgt_readable(SaMsgHandleT h, int ms)
{
	SaSelectionObjectT so;
	struct pollfd pfd;
	int64_t deadline = msgt_now_ms() + ms;

	ck_assert_int_eq(saMsgSelectionObjectGet(h, &so), SA_AIS_OK);
	pfd.fd = (int)so;
	pfd.events = POLLIN;
	for (;;) {
		int left = (int)(deadline - msgt_now_ms());
		int rc;

		if (left < 0)
			left = 0;
		pfd.revents = 0;
		rc = poll(&pfd, 1, left);
		if (rc > 0 && (pfd.revents & POLLIN))
			return true;
		if (rc < 0 && errno == EINTR)
			continue;
		if (left == 0 || rc == 0)
			return false;
	}
}

int msgt_dispatch_until(SaMsgHandleT h, volatile int *counter, int target, int ms)
{
	int64_t deadline = msgt_now_ms() + ms;

	while (__atomic_load_n(counter, __ATOMIC_SEQ_CST) < target) {
		int left = (int)(deadline - msgt_now_ms());

		if (left <= 0)
			break;
		if (msgt_readable(h, left < 100 ? left : 100))
			ck_assert_int_eq(saMsgDispatch(h, SA_DISPATCH_ALL), SA_AIS_OK);
	}
	return __atomic_load_n(counter, __ATOMIC_SEQ_CST);
}

bool msgt_join(pthread_t t, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(t, NULL, &ts) == 0;
}

static void *getter_main(void *p)
{
	struct msgt_getter *g = p;

	if (!g->library_buffer) {
		g->msg.data = g->buf;
		g->msg.size = sizeof(g->buf);
	}
	__atomic_store_n(&g->entered, 1, __ATOMIC_SEQ_CST);
	g->result = saMsgMessageGet(g->queue, &g->msg, NULL, &g->sender_id, g->timeout);
	g->returned_ms = msgt_now_ms();
	__atomic_store_n(&g->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void getter_start(struct msgt_getter *g, pthread_t *t, SaMsgQueueHandleT q,
			 SaTimeT timeout, bool library_buffer)
{
	memset(g, 0, sizeof(*g));
	g->queue = q;
	g->timeout = timeout;
	g->library_buffer = library_buffer;
	ck_assert_int_eq(pthread_create(t, NULL, getter_main, g), 0);
}

void msgt_getter_start(struct msgt_getter *g, pthread_t *t, SaMsgQueueHandleT q,
		       SaTimeT timeout)
{
	getter_start(g, t, q, timeout, false);
}

void msgt_getter_start_alloc(struct msgt_getter *g, pthread_t *t, SaMsgQueueHandleT q,
			     SaTimeT timeout)
{
	getter_start(g, t, q, timeout, true);
}

bool msgt_getter_blocked(struct msgt_getter *g, int inside_ms)
{
	int64_t deadline = msgt_now_ms() + 5000;
	int64_t until;

	while (!__atomic_load_n(&g->entered, __ATOMIC_SEQ_CST)) {
		if (msgt_now_ms() >= deadline)
			return false;
		msgt_sleep_ms(1);
	}
	until = msgt_now_ms() + inside_ms;
	while (msgt_now_ms() < until) {
		if (__atomic_load_n(&g->done, __ATOMIC_SEQ_CST))
			return false;
		msgt_sleep_ms(5);
	}
	return !__atomic_load_n(&g->done, __ATOMIC_SEQ_CST);
}
