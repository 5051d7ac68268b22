/*
 * The client library's handle database (lib/client.c safd_handle_*), with
 * no safd: threads look a handle up and use its instance while another
 * thread destroys it, thousands of times. A lookup must either fail or
 * hand out an instance that stays valid until its put; qb_hdb on its own
 * checks the handle's state and only then takes a reference, while the
 * last put frees the instance and clears the slot, so a lookup racing a
 * finalize got a NULL or freed instance (applications sharing a handle
 * between threads crashed at saMsgFinalize / saAmfFinalize).
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

#include <check.h>

#include "../lib/client.h"

#define ALIVE 0x5afd5afdu
#define ROUNDS 2000
#define THREADS 3

struct thing {
	uint32_t magic;
};

static void thing_destroy(void *p)
{
	struct thing *t = p;

	t->magic = 0;	/* a user after this is caught by the check below */
}

QB_HDB_DECLARE(things, thing_destroy);

struct user {
	SaUint64T handle;
	volatile int *go;
	long got, refused, bad;
};

static void *use(void *p)
{
	struct user *u = p;
	struct thing *t;

	while (!*u->go)
		sched_yield();
	for (;;) {
		if (safd_handle_get(&things, u->handle, (void **)&t) != 0) {
			u->refused++;
			return NULL;
		}
		if (t == NULL || t->magic != ALIVE)
			u->bad++;
		else
			u->got++;
		safd_handle_put(&things, u->handle);
	}
}

START_TEST(test_lookup_racing_destroy)
{
	long got = 0, refused = 0;
	int round, i;

	for (round = 0; round < ROUNDS; round++) {
		struct user u[THREADS];
		pthread_t t[THREADS];
		volatile int go = 0;
		struct thing *thing;
		SaUint64T h;

		ck_assert_int_eq(safd_handle_create(&things, sizeof(*thing), &h,
						    (void **)&thing), SA_AIS_OK);
		thing->magic = ALIVE;
		safd_handle_put(&things, h);	/* only the handle's own reference */
		for (i = 0; i < THREADS; i++) {
			u[i] = (struct user){ .handle = h, .go = &go };
			ck_assert_int_eq(pthread_create(&t[i], NULL, use, &u[i]), 0);
		}
		go = 1;
		sched_yield();
		safd_handle_destroy(&things, h);
		for (i = 0; i < THREADS; i++) {
			ck_assert_int_eq(pthread_join(t[i], NULL), 0);
			ck_assert_msg(u[i].bad == 0, "round %d: a lookup handed out a "
				      "destroyed instance %ld times", round, u[i].bad);
			got += u[i].got;
			refused += u[i].refused;
		}
	}
	ck_assert_int_eq(refused, (long)ROUNDS * THREADS);	/* every user saw the end */
	ck_assert(got > 0);
}
END_TEST

START_TEST(test_handle_zero_and_stale)
{
	struct thing *thing;
	SaUint64T h;
	void *p;

	ck_assert_int_eq(safd_handle_create(&things, sizeof(*thing), &h, (void **)&thing),
			 SA_AIS_OK);
	ck_assert(h != 0);
	safd_handle_put(&things, h);
	ck_assert_int_ne(safd_handle_get(&things, 0, &p), 0);
	safd_handle_destroy(&things, h);
	ck_assert_int_ne(safd_handle_get(&things, h, &p), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lib_handles");
	TCase *tc = tcase_create("handles");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_lookup_racing_destroy);
	tcase_add_test(tc, test_handle_zero_and_stale);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
