/*
 * safctl config check FILE [--json]: validates a configuration file
 * (safd.conf(5)) offline, with the loader safd itself uses (amf/config.c),
 * so a file that passes here is one safd accepts. Needs no running safd.
 *
 * Text: "FILE: ok (summary)" on stdout and exit 0, or each error as
 * "FILE:LINE: message" on stderr and exit 1. JSON: one object on stdout,
 * {"ok":bool,"file":...,"errors":[{"file","line","message"}],"summary":{...}},
 * with the same exit status.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../amf/model.h"
#include "safctl.h"

struct config_error {
	char *file;
	int line;
	char *message;
};

struct check {
	bool json;
	struct config_error *errors;
	size_t n;
	bool lost;		/* out of memory while collecting */
};

/* A JSON string: quotes, backslashes and control characters escaped,
 * other bytes (UTF-8 included) as they are. */
static void json_text(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void on_error(void *ctx, const char *file, int line, const char *message)
{
	struct check *chk = ctx;
	struct config_error *e;

	if (!chk->json) {
		if (line > 0)
			fprintf(stderr, "%s:%d: %s\n", file, line, message);
		else
			fprintf(stderr, "%s: %s\n", file, message);
		return;
	}
	e = realloc(chk->errors, (chk->n + 1) * sizeof(*e));
	if (e == NULL) {
		chk->lost = true;
		return;
	}
	chk->errors = e;
	e[chk->n].file = strdup(file);
	e[chk->n].line = line;
	e[chk->n].message = strdup(message);
	if (e[chk->n].file == NULL || e[chk->n].message == NULL) {
		free(e[chk->n].file);
		free(e[chk->n].message);
		chk->lost = true;
		return;
	}
	chk->n++;
}

static void print_json(const struct check *chk, const char *path,
		       const struct amf_model *m)
{
	size_t i;

	printf("{\"ok\":%s,\"file\":", yes(m != NULL));
	json_text(path);
	printf(",\"errors\":[");
	for (i = 0; i < chk->n; i++) {
		printf("%s{\"file\":", i ? "," : "");
		json_text(chk->errors[i].file);
		if (chk->errors[i].line > 0)
			printf(",\"line\":%d,\"message\":", chk->errors[i].line);
		else
			printf(",\"line\":null,\"message\":");
		json_text(chk->errors[i].message);
		printf("}");
	}
	if (chk->lost)
		printf("%s{\"file\":null,\"line\":null,\"message\":\"out of memory: "
		       "errors were lost\"}", chk->n ? "," : "");
	printf("],\"summary\":");
	if (m == NULL) {
		printf("null}\n");
		return;
	}
	printf("{\"nodes\":%u,\"applications\":%u,\"sgs\":%u,\"sus\":%u,"
	       "\"components\":%u,\"sis\":%u,\"csis\":%u}}\n",
	       m->count.nodes, m->count.apps, m->count.sgs, m->count.sus,
	       m->count.comps, m->count.sis, m->count.csis);
}

int cmd_config_check(struct safd_client *c, bool json, const char *path)
{
	struct check chk = { .json = json };
	struct amf_model *m = NULL;
	char summary[256];
	size_t i;
	int rc;

	(void)c;
	rc = amf_config_load_report(path, &m, on_error, &chk);
	if (json) {
		print_json(&chk, path, rc == 0 ? m : NULL);
	} else if (rc == 0) {
		amf_model_summary(m, summary, sizeof(summary));
		printf("%s: ok (%s)\n", path, summary);
	}
	for (i = 0; i < chk.n; i++) {
		free(chk.errors[i].file);
		free(chk.errors[i].message);
	}
	free(chk.errors);
	amf_model_free(m);
	return rc == 0 ? 0 : 1;
}
