/*
 * Header self-containment, C99: each c_*.c includes exactly one public
 * header and is compiled on its own with -std=c99 -pedantic -Werror, so a
 * header that needs another include, or uses a non-C99 construct, breaks the
 * build of this test.  At run time each unit checks a few facts.
 */
#include <stdio.h>

int self_c_saAis(void);
int self_c_saNtf(void);
int self_c_saMsg(void);
int self_c_saMsg_saversion(void);
int self_c_saAmf(void);

static int report(const char *name, int rc)
{
	printf("%s: %s\n", name, rc == 0 ? "ok" : "FAILED");
	return rc != 0;
}

int main(void)
{
	int failed = 0;

	failed += report("saAis.h (C99)", self_c_saAis());
	failed += report("saNtf.h (C99)", self_c_saNtf());
	failed += report("saMsg.h (C99)", self_c_saMsg());
	failed += report("saMsg.h with SA_MSG_VERSION_IS_SAVERSION (C99)",
		self_c_saMsg_saversion());
	failed += report("saAmf.h (C99)", self_c_saAmf());
	return failed ? 1 : 0;
}
