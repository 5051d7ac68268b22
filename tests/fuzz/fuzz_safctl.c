/*
 * fuzz_safctl: safctl's command line (tools/safctl.c main(), compiled as
 * safctl_main) with the arguments from the input, and no safd: the client
 * library is replaced by a fake whose connect fails, or whose requests
 * fail, or whose requests succeed with an empty answer.
 *
 * Input: a mode byte (% 3: connect fails, requests fail, empty answers),
 * then the arguments separated by NUL bytes (at most 16). safctl runs in a
 * private directory holding good.xml (tests/fuzz/model.xml) and bad.xml,
 * for "config check"; arguments that start with '/' or contain ".." are
 * not run, so that it reads no other file.
 */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/client.h"

#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR "tests/fuzz"
#endif

#define MAX_ARGS 16

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int safctl_main(int argc, char **argv);

static enum { CONNECT_FAILS, REQUEST_FAILS, EMPTY_ANSWER } mode;
static int connected;

SaAisErrorT safd_client_connect(struct safd_client *c, const char *svc, SaUint8T major)
{
	if (mode == CONNECT_FAILS)
		return SA_AIS_ERR_TRY_AGAIN;
	if (connected++)
		abort();	/* one connection at a time */
	return SA_AIS_OK;
}

void safd_client_disconnect(struct safd_client *c)
{
	if (connected-- != 1)
		abort();
}

SaAisErrorT safd_client_request(struct safd_client *c, const void *req, size_t len,
				void *res, size_t res_max, size_t *res_len)
{
	if (connected != 1 || len < sizeof(struct qb_ipc_request_header))
		abort();
	if (res_len != NULL)
		*res_len = 0;
	if (mode == REQUEST_FAILS)
		return SA_AIS_ERR_TRY_AGAIN;
	memset(res, 0, res_max < 64 ? res_max : 64);
	return SA_AIS_OK;
}

static char dir[PATH_MAX];
static int home = -1;		/* the directory libFuzzer was started in */

static void copy(const char *from, const char *to)
{
	char buf[8192];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	if (in == NULL || out == NULL) {
		perror(in == NULL ? from : to);
		abort();
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) != 0)
		abort();
}

static void remove_dir(void)
{
	if (chdir(dir) == 0) {
		unlink("good.xml");
		unlink("bad.xml");
		if (chdir("/") == 0)
			rmdir(dir);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	FILE *bad;

	snprintf(dir, sizeof(dir), "%s/safd-fuzz-safctl.XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	home = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (home < 0 || mkdtemp(dir) == NULL || chdir(dir) != 0) {
		perror(dir);
		abort();
	}
	atexit(remove_dir);
	copy(FUZZ_SRCDIR "/model.xml", "good.xml");
	bad = fopen("bad.xml", "w");
	if (bad == NULL)
		abort();
	fputs("<safd><cluster name=\"x\"><node name=\"a\" nodeid=\"0\"/></cluster>"
	      "<app name=\"a\"><sg name=\"g\" model=\"2N\"/><bogus/></app></safd>\n", bad);
	fclose(bad);
	if (fchdir(home) != 0)	/* libFuzzer's paths are relative to it */
		abort();
	setenv("SAFD_IPC_PREFIX", "safd-fuzz-nobody-listens", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2], *buf;
	int argc = 0, i;
	size_t k, start;

	if (size < 1)
		return 0;
	mode = data[0] % 3;
	buf = malloc(size);		/* the arguments, NUL-terminated */
	if (buf == NULL)
		abort();
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	argv[argc++] = (char *)"safctl";
	for (start = 0, k = 0; k < size && argc <= MAX_ARGS; k++) {
		if (buf[k] != '\0')
			continue;
		argv[argc++] = buf + start;
		start = k + 1;
	}
	argv[argc] = NULL;
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '/' || strstr(argv[i], "..") != NULL) {
			free(buf);
			return 0;
		}
	}
	optind = 0;		/* glibc: a full reset of getopt */
	if (chdir(dir) != 0)
		abort();
	safctl_main(argc, argv);
	fflush(stdout);
	if (fchdir(home) != 0)
		abort();
	if (connected != 0)
		abort();	/* safctl left a connection open */
	free(buf);
	return 0;
}
