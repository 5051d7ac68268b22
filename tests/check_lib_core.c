/*
 * The client library core, through the public API of libSaMsg and libSaAmf:
 * version negotiation, every bad argument of initialize, selection object,
 * dispatch and finalize, finalize waking a blocking dispatch, several
 * threads on one handle, and the fast failure when safd is down.
 *
 * The same cases run against each initialize function (saMsgInitialize,
 * saAmfInitialize, _3 and _4) through the table `apis`. Cases that need a
 * running safd are run by tests/cluster/lib-api.sh inside a private
 * one-node cluster (SAFD_TEST_LIVE=1); without it they are skipped loudly.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include <saAmf.h>
#include <saMsg.h>

struct api {
	const char *name;
	SaUint8T max_major;	/* written back on success and on VERSION */
	SaAisErrorT (*init)(SaUint64T *h, SaVersionT *v);
	SaAisErrorT (*selection)(SaUint64T h, SaSelectionObjectT *so);
	SaAisErrorT (*dispatch)(SaUint64T h, SaDispatchFlagsT f);
	SaAisErrorT (*finalize)(SaUint64T h);
};

static SaAisErrorT msg_init(SaUint64T *h, SaVersionT *v)
{
	/* csa104 passes a struct whose members are all NULL */
	SaMsgCallbacksT cb = { 0 };

	return saMsgInitialize(h, &cb, v);
}

static SaAisErrorT amf_init(SaUint64T *h, SaVersionT *v)
{
	SaAmfCallbacksT cb;

	/* csa104 leaves the proxied slots uninitialized */
	memset(&cb, 0xA5, sizeof(cb));
	cb.saAmfHealthcheckCallback = NULL;
	cb.saAmfComponentTerminateCallback = NULL;
	cb.saAmfCSISetCallback = NULL;
	cb.saAmfCSIRemoveCallback = NULL;
	cb.saAmfProtectionGroupTrackCallback = NULL;
	return saAmfInitialize(h, &cb, v);
}

static SaAisErrorT amf_init_3(SaUint64T *h, SaVersionT *v)
{
	return saAmfInitialize_3(h, NULL, v);
}

static SaAisErrorT amf_init_4(SaUint64T *h, SaVersionT *v)
{
	SaAmfCallbacksT_4 cb = { 0 };

	return saAmfInitialize_4(h, &cb, v);
}

static const struct api apis[] = {
	{ "saMsgInitialize", 3, msg_init, saMsgSelectionObjectGet, saMsgDispatch,
	  saMsgFinalize },
	{ "saAmfInitialize", 4, amf_init, saAmfSelectionObjectGet, saAmfDispatch,
	  saAmfFinalize },
	{ "saAmfInitialize_3", 4, amf_init_3, saAmfSelectionObjectGet, saAmfDispatch,
	  saAmfFinalize },
	{ "saAmfInitialize_4", 4, amf_init_4, saAmfSelectionObjectGet, saAmfDispatch,
	  saAmfFinalize },
};
#define N_APIS ((int)(sizeof(apis) / sizeof(apis[0])))

static bool live(void)
{
	const char *v = getenv("SAFD_TEST_LIVE");

	return v != NULL && strcmp(v, "1") == 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static SaUint64T init_ok(const struct api *a)
{
	SaVersionT v = { 'B', 1, 0 };
	SaUint64T h = 0;

	ck_assert_int_eq(a->init(&h, &v), SA_AIS_OK);
	ck_assert(h != 0);
	return h;
}

/* --- arguments checked before anything is sent ----------------------- */

START_TEST(test_init_null_args)
{
	const struct api *a = &apis[_i];
	SaVersionT v = { 'B', 1, 0 };
	SaUint64T h = 0;

	ck_assert_int_eq(a->init(NULL, &v), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(a->init(&h, NULL), SA_AIS_ERR_INVALID_PARAM);
	/* version untouched when the call is rejected for a NULL */
	ck_assert_int_eq(v.releaseCode, 'B');
	ck_assert_int_eq(v.majorVersion, 1);
}
END_TEST

static const struct {
	SaVersionT in;
	bool ok;
} versions[] = {
	{ { 'A', 1, 1 }, false },
	{ { 'C', 1, 1 }, false },
	{ { 'b', 1, 1 }, false },
	{ { 'B', 0, 1 }, false },
	{ { 'B', 5, 1 }, false },
	{ { 'B', 255, 0 }, false },
	{ { 0, 0, 0 }, false },
};

START_TEST(test_init_bad_versions)
{
	size_t i;

	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		const struct api *a = &apis[_i];
		SaVersionT v = versions[i].in;
		SaUint64T h = 0;

		ck_assert_msg(a->init(&h, &v) == SA_AIS_ERR_VERSION,
			      "%s accepted %c.%u", a->name, versions[i].in.releaseCode,
			      versions[i].in.majorVersion);
		ck_assert_int_eq(v.releaseCode, 'B');
		ck_assert_int_eq(v.majorVersion, a->max_major);
		ck_assert_int_eq(v.minorVersion, 1);
	}
}
END_TEST

START_TEST(test_msg_major_4_is_too_new)
{
	SaVersionT v = { 'B', 4, 1 };
	SaMsgHandleT h;

	ck_assert_int_eq(saMsgInitialize(&h, NULL, &v), SA_AIS_ERR_VERSION);
	ck_assert_int_eq(v.majorVersion, 3);
}
END_TEST

START_TEST(test_bad_handles)
{
	const struct api *a = &apis[_i];
	static const SaUint64T bad[] = { 0, 1, 0xdeadbeef, 0xffffffffffffffffULL };
	SaSelectionObjectT so;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(a->selection(bad[i], &so), SA_AIS_ERR_BAD_HANDLE);
		ck_assert_int_eq(a->dispatch(bad[i], SA_DISPATCH_ALL), SA_AIS_ERR_BAD_HANDLE);
		ck_assert_int_eq(a->dispatch(bad[i], SA_DISPATCH_BLOCKING),
				 SA_AIS_ERR_BAD_HANDLE);
		ck_assert_int_eq(a->finalize(bad[i]), SA_AIS_ERR_BAD_HANDLE);
	}
}
END_TEST

/* safd is not there: the call fails at once with TRY_AGAIN. */
START_TEST(test_safd_down_fails_fast)
{
	const struct api *a = &apis[_i];
	SaVersionT v = { 'B', 1, 1 };
	SaUint64T h = 0;
	int64_t t0;

	setenv("SAFD_IPC_PREFIX", "safd-test-nobody-listens", 1);
	t0 = now_ms();
	ck_assert_int_eq(a->init(&h, &v), SA_AIS_ERR_TRY_AGAIN);
	ck_assert_msg(now_ms() - t0 < 1000, "took %lld ms", (long long)(now_ms() - t0));
	ck_assert(h == 0);
	/* a retry asks for the same version */
	ck_assert_int_eq(v.releaseCode, 'B');
	ck_assert_int_eq(v.majorVersion, 1);
	ck_assert_int_eq(v.minorVersion, 1);
}
END_TEST

/* --- with a running safd ---------------------------------------------- */

START_TEST(test_init_versions_accepted)
{
	const struct api *a = &apis[_i];
	SaUint8T major;

	for (major = 1; major <= a->max_major; major++) {
		SaVersionT v = { 'B', major, 0 };
		SaUint64T h = 0;

		ck_assert_int_eq(a->init(&h, &v), SA_AIS_OK);
		ck_assert_int_eq(v.releaseCode, 'B');
		ck_assert_int_eq(v.majorVersion, a->max_major);
		ck_assert_int_eq(v.minorVersion, 1);
		ck_assert_int_eq(a->finalize(h), SA_AIS_OK);
	}
}
END_TEST

START_TEST(test_selection_object)
{
	const struct api *a = &apis[_i];
	SaSelectionObjectT so = 0;
	SaUint64T h;

	h = init_ok(a);
	ck_assert_int_eq(a->selection(h, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(a->selection(h, &so), SA_AIS_OK);
	ck_assert_msg(fcntl((int)so, F_GETFD) >= 0, "selection object is not an fd");
	ck_assert_int_eq(a->finalize(h), SA_AIS_OK);
	ck_assert_int_eq(a->selection(h, &so), SA_AIS_ERR_BAD_HANDLE);
}
END_TEST

START_TEST(test_dispatch_flags)
{
	const struct api *a = &apis[_i];
	SaUint64T h;

	h = init_ok(a);
	/* nothing pending: ONE and ALL return at once */
	ck_assert_int_eq(a->dispatch(h, SA_DISPATCH_ONE), SA_AIS_OK);
	ck_assert_int_eq(a->dispatch(h, SA_DISPATCH_ALL), SA_AIS_OK);
	ck_assert_int_eq(a->dispatch(h, (SaDispatchFlagsT)0), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(a->dispatch(h, (SaDispatchFlagsT)4), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(a->dispatch(h, (SaDispatchFlagsT)-1), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(a->finalize(h), SA_AIS_OK);
}
END_TEST

START_TEST(test_finalize_twice)
{
	const struct api *a = &apis[_i];
	SaUint64T h;

	h = init_ok(a);
	ck_assert_int_eq(a->finalize(h), SA_AIS_OK);
	ck_assert_int_eq(a->finalize(h), SA_AIS_ERR_BAD_HANDLE);
	ck_assert_int_eq(a->dispatch(h, SA_DISPATCH_ALL), SA_AIS_ERR_BAD_HANDLE);
}
END_TEST

struct blocking {
	const struct api *api;
	SaUint64T handle;
	SaAisErrorT result;
	int entered;
};

static void *dispatch_blocking(void *p)
{
	struct blocking *b = p;

	__atomic_store_n(&b->entered, 1, __ATOMIC_SEQ_CST);
	b->result = b->api->dispatch(b->handle, SA_DISPATCH_BLOCKING);
	return NULL;
}

/* Waits for `t` until the deadline; false if it is still running. */
static bool join_within(pthread_t t, int ms)
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

START_TEST(test_finalize_wakes_blocking_dispatch)
{
	struct blocking b[3];
	pthread_t t[3];
	SaUint64T h;
	int i;

	h = init_ok(&apis[_i]);
	for (i = 0; i < 3; i++) {
		b[i] = (struct blocking){ .api = &apis[_i], .handle = h, .result = 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, dispatch_blocking, &b[i]), 0);
	}
	/* wait (with a deadline) until every thread is in dispatch */
	for (i = 0; i < 3; i++) {
		int64_t deadline = now_ms() + 5000;

		while (!__atomic_load_n(&b[i].entered, __ATOMIC_SEQ_CST)) {
			ck_assert_msg(now_ms() < deadline, "dispatch thread did not start");
			sched_yield();
		}
	}
	ck_assert_int_eq(apis[_i].finalize(h), SA_AIS_OK);
	for (i = 0; i < 3; i++) {
		ck_assert_msg(join_within(t[i], 2000),
			      "blocking dispatch did not return after finalize");
		ck_assert_msg(b[i].result == SA_AIS_OK || b[i].result == SA_AIS_ERR_BAD_HANDLE,
			      "blocking dispatch returned %d", b[i].result);
	}
}
END_TEST

struct worker {
	const struct api *api;
	int iterations;
	int failures;
};

static void *init_finalize_loop(void *p)
{
	struct worker *w = p;
	int i;

	for (i = 0; i < w->iterations; i++) {
		SaVersionT v = { 'B', 1, 0 };
		SaSelectionObjectT so;
		SaUint64T h = 0;

		if (w->api->init(&h, &v) != SA_AIS_OK ||
		    w->api->selection(h, &so) != SA_AIS_OK ||
		    w->api->dispatch(h, SA_DISPATCH_ALL) != SA_AIS_OK ||
		    w->api->finalize(h) != SA_AIS_OK)
			w->failures++;
	}
	return NULL;
}

START_TEST(test_threads_own_handles)
{
	struct worker w[8];
	pthread_t t[8];
	int i;

	for (i = 0; i < 8; i++) {
		w[i] = (struct worker){ .api = &apis[_i], .iterations = 25 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, init_finalize_loop, &w[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		ck_assert(join_within(t[i], 20000));
		ck_assert_int_eq(w[i].failures, 0);
	}
}
END_TEST

struct sharer {
	const struct api *api;
	SaUint64T handle;
	int ok;
	int bad_handle;
	int other;
};

static void *use_shared_handle(void *p)
{
	struct sharer *s = p;
	SaSelectionObjectT so;
	int i;

	for (i = 0; i < 2000; i++) {
		SaAisErrorT e1 = s->api->selection(s->handle, &so);
		SaAisErrorT e2 = s->api->dispatch(s->handle, SA_DISPATCH_ALL);

		if (e1 == SA_AIS_OK && e2 == SA_AIS_OK)
			s->ok++;
		else if (e1 == SA_AIS_ERR_BAD_HANDLE || e2 == SA_AIS_ERR_BAD_HANDLE)
			s->bad_handle++;
		else
			s->other++;
		if (e1 == SA_AIS_ERR_BAD_HANDLE)
			break;
	}
	return NULL;
}

/* Several threads use one handle while another finalizes it: every call
 * either works or says BAD_HANDLE; nothing crashes or hangs. */
START_TEST(test_threads_share_handle_during_finalize)
{
	struct sharer s[4];
	pthread_t t[4];
	SaUint64T h;
	int i;

	h = init_ok(&apis[_i]);
	for (i = 0; i < 4; i++) {
		s[i] = (struct sharer){ .api = &apis[_i], .handle = h };
		ck_assert_int_eq(pthread_create(&t[i], NULL, use_shared_handle, &s[i]), 0);
	}
	while (s[0].ok == 0 && s[0].bad_handle == 0)
		sched_yield();
	ck_assert_int_eq(apis[_i].finalize(h), SA_AIS_OK);
	for (i = 0; i < 4; i++) {
		ck_assert(join_within(t[i], 20000));
		ck_assert_int_eq(s[i].other, 0);
	}
}
END_TEST

START_TEST(test_many_handles)
{
	SaUint64T h[200];
	int i, j;

	for (i = 0; i < 200; i++) {
		h[i] = init_ok(&apis[_i]);
		for (j = 0; j < i; j++)
			ck_assert(h[j] != h[i]);
	}
	for (i = 0; i < 200; i++)
		ck_assert_int_eq(apis[_i].finalize(h[i]), SA_AIS_OK);
}
END_TEST

static Suite *lib_core_suite(void)
{
	Suite *s = suite_create("lib_core");
	TCase *args = tcase_create("arguments");
	TCase *lv;

	tcase_set_timeout(args, 10);
	tcase_add_loop_test(args, test_init_null_args, 0, N_APIS);
	tcase_add_loop_test(args, test_init_bad_versions, 0, N_APIS);
	tcase_add_test(args, test_msg_major_4_is_too_new);
	tcase_add_loop_test(args, test_bad_handles, 0, N_APIS);
	tcase_add_loop_test(args, test_safd_down_fails_fast, 0, N_APIS);
	suite_add_tcase(s, args);

	if (!live())
		return s;
	lv = tcase_create("live");
	tcase_set_timeout(lv, 60);
	tcase_add_loop_test(lv, test_init_versions_accepted, 0, N_APIS);
	tcase_add_loop_test(lv, test_selection_object, 0, N_APIS);
	tcase_add_loop_test(lv, test_dispatch_flags, 0, N_APIS);
	tcase_add_loop_test(lv, test_finalize_twice, 0, N_APIS);
	tcase_add_loop_test(lv, test_finalize_wakes_blocking_dispatch, 0, N_APIS);
	tcase_add_loop_test(lv, test_threads_own_handles, 0, N_APIS);
	tcase_add_loop_test(lv, test_threads_share_handle_during_finalize, 0, N_APIS);
	tcase_add_loop_test(lv, test_many_handles, 0, N_APIS);
	suite_add_tcase(s, lv);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lib_core_suite());
	int failed;

	if (!live())
		fprintf(stderr, "SKIP: live cases of check_lib_core need a running safd; "
			"tests/cluster/lib-api.sh runs them in a private cluster\n");
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
