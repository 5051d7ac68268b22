/*
 * Private interfaces between the files of the AMF configuration loader:
 * amf/config.c (reading, model building, semantic checks) and
 * amf/config_schema.c (RELAX NG validation and error diagnosis).
 */
#ifndef SAFD_AMF_CONFIG_INT_H
#define SAFD_AMF_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>
#include <libxml/xmlversion.h>

#include "model.h"

/* libxml2 2.12 made the structured error callbacks take a const error. */
#if LIBXML_VERSION >= 21200
#define CFG_XMLERR const xmlError
#else
#define CFG_XMLERR xmlError
#endif

/* The longest time any setting may have. */
#define CFG_TIME_MAX (24LL * 3600 * 1000000000LL)

/* An error held back until the end of the load, to be reported in line
 * order whatever stage found it. */
struct cfg_msg {
	char *file;		/* NULL: the configuration file */
	long line;
	size_t seq;
	char *text;
};

/* One load: where errors go and how many there were. */
struct cfg_ctx {
	const char *file;
	amf_config_report_fn report;
	void *report_ctx;
	unsigned errors;
	struct cfg_msg *msgs;
	size_t n_msgs;
};

/* Records "message" at file:line (file NULL: the configuration file). */
void cfg_error(struct cfg_ctx *c, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cfg_error_in(struct cfg_ctx *c, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Reports the recorded errors, sorted by file and line, and forgets them. */
void cfg_flush(struct cfg_ctx *c);

/* Value parsers shared by the diagnosis and the model builder. Each returns
 * 0, or -1 with the reason in why ("'10' has no unit (...)"). */
int cfg_parse_time(const char *s, SaTimeT *out, char *why, size_t len);
int cfg_parse_count(const char *s, uint32_t *out, char *why, size_t len);
int cfg_check_name(const char *s, char *why, size_t len);
int cfg_check_names(const char *s, char *why, size_t len);

#define MS(n) ((SaTimeT)(n) * 1000000LL)
#define SEC(n) ((SaTimeT)(n) * 1000000000LL)

/* The comp type of components and CSIs without type=. */
#define CFG_DEFAULT_TYPE "default"

enum { CMD_INSTANTIATE, CMD_TERMINATE, CMD_CLEANUP, CMD_COUNT };

/* Settings read from one <comp-type> or <comp>; 0, -1 or NULL = not set. */
struct cmd_set {
	uint32_t line;		/* of the element; 0 when absent */
	char *cmd;
	uint32_t cmd_line;
	char *args;
	uint32_t args_line;
	SaTimeT timeout;
	bool has_retries;
	uint32_t retries;
	bool has_delay;
	SaTimeT delay;
	struct amf_env *env;
	uint32_t n_env;
};

struct comp_set {
	int sa_aware;
	int restartable;
	SaAmfRecommendedRecoveryT recovery;
	SaTimeT callback, csi_set, csi_remove, terminate_cb, quiescing;
	struct cmd_set cmd[CMD_COUNT];
	struct amf_env *env;
	uint32_t n_env;
	struct amf_healthcheck *hc;
	uint32_t n_hc;
};

struct build {
	struct cfg_ctx *c;
	struct amf_model *m;
	char *dir;			/* absolute directory of the file */
	struct comp_set *types;		/* parallel to m->comp_types */
	bool oom;
};

/* config.c: reading elements. Getters return false / -1 / NULL when the
 * attribute is absent or wrong (then reported) and leave *out alone. */
uint32_t cfg_line(xmlNodePtr n);
void cfg_oom(struct build *b);
char *cfg_strdup(struct build *b, const char *s);
void *cfg_calloc(struct build *b, size_t n, size_t size);
char *cfg_printf(struct build *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *cfg_str(struct build *b, xmlNodePtr n, const char *attr);
bool cfg_time(struct build *b, xmlNodePtr n, const char *attr, SaTimeT min, SaTimeT *out);
bool cfg_count(struct build *b, xmlNodePtr n, const char *attr, uint32_t min, uint32_t *out);
int cfg_bool(struct build *b, xmlNodePtr n, const char *attr);
char *cfg_name(struct build *b, xmlNodePtr n, const char *attr);
xmlNodePtr cfg_child(xmlNodePtr n, const char *name);
xmlNodePtr cfg_next(xmlNodePtr n, const char *name);
uint32_t cfg_count_children(xmlNodePtr n, const char *name);

#define FOR_CHILDREN(k, parent, name) \
	for ((k) = cfg_child((parent), (name)); (k) != NULL; (k) = cfg_next((k), (name)))

/* config_comp.c: component settings */
void cfg_settings_read(struct build *b, xmlNodePtr n, struct comp_set *s);
void cfg_settings_free(struct comp_set *s);
/* Fills comp's settings from the defaults, type settings t, then its own s. */
void cfg_comp_build(struct build *b, struct amf_comp *comp, const struct comp_set *t,
		    const struct comp_set *s);
void cfg_env_free(struct amf_env *env, uint32_t n);

/* config_schema.c: validates doc against the schema. Returns 0 when valid; else every
 * problem was reported through c and it returns -1. */
int cfg_schema_validate(struct cfg_ctx *c, xmlDocPtr doc);

#endif /* SAFD_AMF_CONFIG_INT_H */
