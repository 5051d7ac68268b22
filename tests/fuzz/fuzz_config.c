/*
 * fuzz_config: the configuration loader (amf/config*.c) on a file with the
 * input's bytes: XML parsing, schema validation against amf/schema/safd.rng
 * and its own error walk, the model build; an accepted model is
 * summarized and freed. Every error report must carry a message.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../amf/model.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[PATH_MAX], path[PATH_MAX];

static void remove_file(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/safd-fuzz-config.XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	snprintf(path, sizeof(path), "%s/safd.xml", dir);
	atexit(remove_file);
	return 0;
}

static void report(void *ctx, const char *file, int line, const char *message)
{
	unsigned *n = ctx;

	if (file == NULL || message == NULL || message[0] == '\0' || line < 0)
		abort();
	(*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct amf_model *m = NULL;
	unsigned errors = 0;
	char summary[256];
	FILE *f;
	int rc;

	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	rc = amf_config_load_report(path, &m, report, &errors);
	if ((rc == 0) != (m != NULL) || (rc < 0 && errors == 0))
		abort();	/* refused without a reason, or the reverse */
	if (m != NULL) {
		amf_model_summary(m, summary, sizeof(summary));
		amf_model_free(m);
	}
	return 0;
}
