/*
 * AMF configuration loader: the <safd> XML file (safd.conf(5)) into the
 * model of amf/model.h (SAI-AIS-AMF-B.04.01 chapter 3, with defaults and
 * short names instead of IMM objects and types).
 *
 * A load runs in three stages and reports every error it finds, each with
 * the file and line, through the caller's report function:
 *   1. XML: well-formed, root element <safd> (libxml2, no network);
 *   2. schema: amf/schema/safd.rng, with precise messages (config_schema.c);
 *   3. model: values in range, names unique, references resolved, and the
 *      few rules without which the model cannot run (an SU needs a
 *      component, a 2N SG needs two SUs, a CSI needs a component of its
 *      type in every SU of its SG, ...).
 * Stage 3 only runs on a schema-valid document, so it may rely on the
 * structure; it still never trusts a value.
 *
 * Defaults are applied here and nowhere else; each one is named in a
 * DEF_* constant (here and in config_comp.c) and listed in safd.conf(5).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <qb/qblog.h>

#include "config_int.h"

#define DEF_MODEL		SA_AMF_2N_REDUNDANCY_MODEL
#define DEF_COMP_RESTART_MAX	3
#define DEF_COMP_RESTART_PROB	SEC(60)
#define DEF_SU_RESTART_MAX	3
#define DEF_SU_RESTART_PROB	SEC(60)
#define DEF_SU_FAILOVER_MAX	3
#define DEF_SU_FAILOVER_PROB	SEC(3600)

static void record(struct cfg_ctx *c, const char *file, long line, const char *fmt,
		   va_list ap)
{
	struct cfg_msg *m;
	char text[1024];

	vsnprintf(text, sizeof(text), fmt, ap);
	c->errors++;
	m = realloc(c->msgs, (c->n_msgs + 1) * sizeof(*m));
	if (m != NULL) {
		c->msgs = m;
		m += c->n_msgs;
		m->file = file ? strdup(file) : NULL;
		m->line = line;
		m->seq = c->n_msgs;
		m->text = strdup(text);
		if (m->text != NULL && (file == NULL || m->file != NULL)) {
			c->n_msgs++;
			return;
		}
		free(m->file);
		free(m->text);
	}
	/* Out of memory: report it now rather than lose it. */
	if (c->report != NULL)
		c->report(c->report_ctx, file ? file : c->file,
			  line > INT_MAX ? INT_MAX : (int)line, text);
}

void cfg_error(struct cfg_ctx *c, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(c, NULL, line, fmt, ap);
	va_end(ap);
}

void cfg_error_in(struct cfg_ctx *c, const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(c, file, line, fmt, ap);
	va_end(ap);
}

/* Errors in other files (the schema) first, then by line, then as found. */
static int msg_cmp(const void *a, const void *b)
{
	const struct cfg_msg *x = a, *y = b;

	if ((x->file == NULL) != (y->file == NULL))
		return x->file == NULL ? 1 : -1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void cfg_flush(struct cfg_ctx *c)
{
	size_t i;

	if (c->n_msgs > 0)
		qsort(c->msgs, c->n_msgs, sizeof(*c->msgs), msg_cmp);
	for (i = 0; i < c->n_msgs; i++) {
		struct cfg_msg *m = &c->msgs[i];

		if (c->report != NULL)
			c->report(c->report_ctx, m->file ? m->file : c->file,
				  m->line > INT_MAX ? INT_MAX : (int)m->line, m->text);
		free(m->file);
		free(m->text);
	}
	free(c->msgs);
	c->msgs = NULL;
	c->n_msgs = 0;
}

/* ------------------------------------------------------------------------ */
/* Values                                                                   */
/* ------------------------------------------------------------------------ */

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Copies s without surrounding blanks into buf; -1 when it does not fit. */
static int trimmed(const char *s, char *buf, size_t len)
{
	size_t n;

	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n >= len)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

int cfg_parse_time(const char *s, SaTimeT *out, char *why, size_t len)
{
	static const struct {
		const char *unit;
		SaTimeT ns;
	} units[] = {
		{ "ms", MS(1) }, { "s", SEC(1) }, { "min", SEC(60) }, { "h", SEC(3600) },
	};
	char buf[40];
	const char *p;
	uint64_t n = 0;
	size_t i;

	if (trimmed(s, buf, sizeof(buf)) < 0) {
		snprintf(why, len, "'%.20s...' is not a duration (write a number and a unit: "
			 "500ms, 10s, 2min, 1h)", s);
		return -1;
	}
	if (buf[0] == '\0') {
		snprintf(why, len, "empty value (write a number and a unit, e.g. 10s)");
		return -1;
	}
	for (p = buf; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > 1000000000000ULL) {
			snprintf(why, len, "'%s' is too long (at most 24h)", buf);
			return -1;
		}
	}
	if (p == buf) {
		snprintf(why, len, "'%s' is not a duration (write a number and a unit: "
			 "500ms, 10s, 2min, 1h)", buf);
		return -1;
	}
	if (*p == '\0') {
		snprintf(why, len, "'%s' has no unit (write %sms, %ss, %smin or %sh)",
			 buf, buf, buf, buf, buf);
		return -1;
	}
	if (*p == '.' || *p == ',') {
		snprintf(why, len, "'%s': write a whole number of a smaller unit "
			 "(1500ms, not 1.5s)", buf);
		return -1;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) == 0) {
			if (n > (uint64_t)(CFG_TIME_MAX / units[i].ns)) {
				snprintf(why, len, "'%s' is too long (at most 24h)", buf);
				return -1;
			}
			*out = (SaTimeT)n * units[i].ns;
			return 0;
		}
	}
	snprintf(why, len, "'%s': unknown unit '%s' (use ms, s, min or h)", buf, p);
	return -1;
}

int cfg_parse_count(const char *s, uint32_t *out, char *why, size_t len)
{
	char buf[40];
	uint64_t n = 0;
	const char *p;

	if (trimmed(s, buf, sizeof(buf)) < 0 || buf[0] == '\0') {
		snprintf(why, len, "'%.20s' is not a whole number", s);
		return -1;
	}
	for (p = buf; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > UINT32_MAX) {
			snprintf(why, len, "'%s' is too large", buf);
			return -1;
		}
	}
	if (*p != '\0') {
		snprintf(why, len, "'%s' is not a whole number", buf);
		return -1;
	}
	*out = (uint32_t)n;
	return 0;
}

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

int cfg_check_name(const char *s, char *why, size_t len)
{
	const char *p;

	if (s[0] == '\0') {
		snprintf(why, len, "empty name");
		return -1;
	}
	for (p = s; *p != '\0'; p++) {
		if (!name_char(*p)) {
			snprintf(why, len, "'%.64s%s' is not a valid name (use letters, digits, "
				 "'.', '_' and '-')", s, strlen(s) > 64 ? "..." : "");
			return -1;
		}
	}
	return 0;
}

int cfg_check_names(const char *s, char *why, size_t len)
{
	const char *p = s;
	bool any = false;

	while (*p != '\0') {
		while (is_space(*p))
			p++;
		if (*p == '\0')
			break;
		any = true;
		for (; *p != '\0' && !is_space(*p); p++) {
			if (!name_char(*p)) {
				snprintf(why, len, "'%.64s' is not a list of valid names (use "
					 "letters, digits, '.', '_' and '-', separated by spaces)", s);
				return -1;
			}
		}
	}
	if (!any) {
		snprintf(why, len, "empty list of names");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Reading elements                                                         */
/* ------------------------------------------------------------------------ */

uint32_t cfg_line(xmlNodePtr n)
{
	long l;

	if (n->type == XML_ELEMENT_NODE && n->_private != NULL)
		return (uint32_t)(uintptr_t)n->_private;
	l = xmlGetLineNo(n);

	return l < 0 ? 0 : l > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)l;
}

void cfg_oom(struct build *b)
{
	if (!b->oom)
		cfg_error(b->c, 0, "out of memory");
	b->oom = true;
}

char *cfg_strdup(struct build *b, const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		cfg_oom(b);
	return p;
}

void *cfg_calloc(struct build *b, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		cfg_oom(b);
	return p;
}

char *cfg_printf(struct build *b, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		cfg_oom(b);
		return NULL;
	}
	return p;
}

/* The attribute's value (malloc'd), or NULL when absent. */
char *cfg_str(struct build *b, xmlNodePtr n, const char *attr)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST attr);
	char *s;

	if (v == NULL)
		return NULL;
	s = cfg_strdup(b, (const char *)v);
	xmlFree(v);
	return s;
}

/* Reads a duration of at least min; false (and *out untouched) when the
 * attribute is absent or wrong (then reported). */
bool cfg_time(struct build *b, xmlNodePtr n, const char *attr, SaTimeT min,
		     SaTimeT *out)
{
	char *v = cfg_str(b, n, attr), why[256];
	SaTimeT t;
	bool ok = false;

	if (v == NULL)
		return false;
	if (cfg_parse_time(v, &t, why, sizeof(why)) < 0)
		cfg_error(b->c, cfg_line(n), "element %s: attribute '%s': %s",
			  (const char *)n->name, attr, why);
	else if (t < min)
		cfg_error(b->c, cfg_line(n), "element %s: attribute '%s': %s is too short "
			  "(at least %s)", (const char *)n->name, attr, v,
			  min == MS(1) ? "1ms" : "0ms");
	else
		ok = true;
	if (ok)
		*out = t;
	free(v);
	return ok;
}

bool cfg_count(struct build *b, xmlNodePtr n, const char *attr, uint32_t min,
		      uint32_t *out)
{
	char *v = cfg_str(b, n, attr), why[256];
	uint32_t u;
	bool ok = false;

	if (v == NULL)
		return false;
	if (cfg_parse_count(v, &u, why, sizeof(why)) < 0)
		cfg_error(b->c, cfg_line(n), "element %s: attribute '%s': %s",
			  (const char *)n->name, attr, why);
	else if (u < min)
		cfg_error(b->c, cfg_line(n), "element %s: attribute '%s': must be at least %u",
			  (const char *)n->name, attr, min);
	else
		ok = true;
	if (ok)
		*out = u;
	free(v);
	return ok;
}

/* -1 when absent, else 0 or 1 (the schema allows yes/no/true/false). */
int cfg_bool(struct build *b, xmlNodePtr n, const char *attr)
{
	char *v = cfg_str(b, n, attr);
	int r;

	if (v == NULL)
		return -1;
	r = strcmp(v, "yes") == 0 || strcmp(v, "true") == 0;
	free(v);
	return r;
}

xmlNodePtr cfg_child(xmlNodePtr n, const char *name)
{
	for (n = n->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

xmlNodePtr cfg_next(xmlNodePtr n, const char *name)
{
	for (n = n->next; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

uint32_t cfg_count_children(xmlNodePtr n, const char *name)
{
	uint32_t count = 0;

	for (n = cfg_child(n, name); n != NULL; n = cfg_next(n, name))
		count++;
	return count;
}

/* Short name of an entity, checked; NULL (reported) when unusable. */
char *cfg_name(struct build *b, xmlNodePtr n, const char *attr)
{
	char *v = cfg_str(b, n, attr), why[256];

	if (v != NULL && cfg_check_name(v, why, sizeof(why)) < 0) {
		cfg_error(b->c, cfg_line(n), "element %s: attribute '%s': %s",
			  (const char *)n->name, attr, why);
		free(v);
		return NULL;
	}
	return v;
}

/* A DN longer than SaNameT can carry makes the entity unusable. */
static void check_dn(struct build *b, const char *kind, const char *name, const char *dn,
		     uint32_t line)
{
	if (dn != NULL && strlen(dn) > SA_MAX_NAME_LENGTH)
		cfg_error(b->c, line, "%s '%.40s%s': its DN (%.40s...) is %zu bytes long, "
			  "more than the %d a SaNameT holds", kind, name,
			  strlen(name) > 40 ? "..." : "", dn, strlen(dn), SA_MAX_NAME_LENGTH);
}

/* ------------------------------------------------------------------------ */
/* The entity tree                                                          */
/* ------------------------------------------------------------------------ */

static const struct amf_comp_type *find_type(const struct amf_model *m, const char *name)
{
	uint32_t i;

	for (i = 0; i < m->n_comp_types; i++)
		if (strcmp(m->comp_types[i].name, name) == 0)
			return &m->comp_types[i];
	return NULL;
}

/* The type named by attribute `attr` of n, or "default"; NULL (reported)
 * when it does not exist. */
static const struct amf_comp_type *get_type(struct build *b, xmlNodePtr n, const char *what,
					    const char *name)
{
	char *v = cfg_str(b, n, "type");
	const struct amf_comp_type *t = find_type(b->m, v ? v : CFG_DEFAULT_TYPE);

	if (t == NULL && v != NULL)
		cfg_error(b->c, cfg_line(n), "%s '%s': comp-type '%s' is not defined", what,
			  name ? name : "?", v);
	free(v);
	return t;
}

static void read_cluster(struct build *b, xmlNodePtr root)
{
	struct amf_model *m = b->m;
	xmlNodePtr cl = cfg_child(root, "cluster"), n;
	uint32_t i;

	if (cl == NULL)
		return;
	m->cluster.line = cfg_line(cl);
	m->cluster.name = cfg_name(b, cl, "name");
	if (m->cluster.name != NULL) {
		m->cluster.dn = cfg_printf(b, "safAmfCluster=%s", m->cluster.name);
		check_dn(b, "cluster", m->cluster.name, m->cluster.dn, m->cluster.line);
	}
	m->nodes = cfg_calloc(b, cfg_count_children(cl, "node"), sizeof(*m->nodes));
	if (m->nodes == NULL)
		return;
	FOR_CHILDREN(n, cl, "node") {
		struct amf_node *node = &m->nodes[m->n_nodes];

		node->line = cfg_line(n);
		node->name = cfg_name(b, n, "name");
		if (node->name == NULL)
			continue;
		m->n_nodes++;
		cfg_count(b, n, "nodeid", 1, &node->nodeid);
		node->dn = cfg_printf(b, "safAmfNode=%s,safAmfCluster=%s", node->name,
				   m->cluster.name ? m->cluster.name : "");
		check_dn(b, "node", node->name, node->dn, node->line);
		for (i = 0; i + 1 < m->n_nodes; i++) {
			if (strcmp(m->nodes[i].name, node->name) == 0)
				cfg_error(b->c, node->line, "node '%s' is already defined at "
					  "line %u", node->name, m->nodes[i].line);
			else if (node->nodeid != 0 && m->nodes[i].nodeid == node->nodeid)
				cfg_error(b->c, node->line, "node '%s': nodeid %u is already "
					  "used by node '%s' (line %u)", node->name, node->nodeid,
					  m->nodes[i].name, m->nodes[i].line);
		}
	}
}

static void read_comp_types(struct build *b, xmlNodePtr root)
{
	struct amf_model *m = b->m;
	uint32_t i, total = cfg_count_children(root, "comp-type") + 1;	/* + "default" */
	xmlNodePtr n;

	m->comp_types = cfg_calloc(b, total, sizeof(*m->comp_types));
	b->types = cfg_calloc(b, total, sizeof(*b->types));
	if (m->comp_types == NULL || b->types == NULL)
		return;
	FOR_CHILDREN(n, root, "comp-type") {
		struct amf_comp_type *t = &m->comp_types[m->n_comp_types];

		t->line = cfg_line(n);
		t->name = cfg_name(b, n, "name");
		if (t->name == NULL)
			continue;
		for (i = 0; i < m->n_comp_types; i++)
			if (strcmp(m->comp_types[i].name, t->name) == 0)
				cfg_error(b->c, t->line, "comp-type '%s' is already defined at "
					  "line %u", t->name, m->comp_types[i].line);
		cfg_settings_read(b, n, &b->types[m->n_comp_types]);
		m->n_comp_types++;
	}
	if (find_type(m, CFG_DEFAULT_TYPE) == NULL) {
		struct amf_comp_type *t = &m->comp_types[m->n_comp_types];
		struct comp_set *s = &b->types[m->n_comp_types];

		t->name = cfg_strdup(b, CFG_DEFAULT_TYPE);
		if (t->name == NULL)
			return;
		memset(s, 0, sizeof(*s));
		s->sa_aware = s->restartable = -1;
		m->n_comp_types++;
	}
}

static void read_comp(struct build *b, struct amf_su *su, xmlNodePtr n)
{
	struct amf_comp *comp = &su->comps[su->n_comps];
	const struct comp_set *t;
	struct comp_set s;
	uint32_t i;

	comp->line = cfg_line(n);
	comp->su = su;
	comp->name = cfg_name(b, n, "name");
	if (comp->name == NULL)
		return;
	su->n_comps++;
	for (i = 0; i + 1 < su->n_comps; i++)
		if (strcmp(su->comps[i].name, comp->name) == 0)
			cfg_error(b->c, comp->line, "comp '%s' is already defined in su '%s' "
				  "at line %u", comp->name, su->name, su->comps[i].line);
	comp->dn = cfg_printf(b, "safComp=%s,%s", comp->name, su->dn ? su->dn : "");
	check_dn(b, "comp", comp->name, comp->dn, comp->line);
	comp->type = get_type(b, n, "comp", comp->name);
	t = comp->type ? &b->types[comp->type - b->m->comp_types] : NULL;
	cfg_settings_read(b, n, &s);
	if (t != NULL)
		cfg_comp_build(b, comp, t, &s);
	/* The healthchecks were copied by value; only the array goes. */
	cfg_settings_free(&s);
}

static void read_su(struct build *b, struct amf_sg *sg, xmlNodePtr n)
{
	const struct amf_model *m = b->m;
	struct amf_su *su = &sg->sus[sg->n_sus];
	char *node;
	uint32_t i;
	xmlNodePtr k;

	su->line = cfg_line(n);
	su->sg = sg;
	su->name = cfg_name(b, n, "name");
	if (su->name == NULL)
		return;
	sg->n_sus++;
	for (i = 0; i + 1 < sg->n_sus; i++)
		if (strcmp(sg->sus[i].name, su->name) == 0)
			cfg_error(b->c, su->line, "su '%s' is already defined in sg '%s' at "
				  "line %u", su->name, sg->name, sg->sus[i].line);
	su->dn = cfg_printf(b, "safSu=%s,%s", su->name, sg->dn ? sg->dn : "");
	check_dn(b, "su", su->name, su->dn, su->line);
	su->rank = sg->n_sus;
	cfg_count(b, n, "rank", 0, &su->rank);

	node = cfg_str(b, n, "node");
	if (node != NULL) {
		for (i = 0; i < m->n_nodes && su->node == NULL; i++)
			if (strcmp(m->nodes[i].name, node) == 0)
				su->node = &m->nodes[i];
		if (su->node == NULL)
			cfg_error(b->c, su->line, "su '%s': node '%s' is not defined in "
				  "<cluster>", su->name, node);
	} else if (m->n_nodes == 1) {
		su->node = &m->nodes[0];
	} else if (m->n_nodes == 0) {
		cfg_error(b->c, su->line, "su '%s': no node to run on (add <cluster> with "
			  "its <node>s)", su->name);
	} else {
		cfg_error(b->c, su->line, "su '%s': say which node it runs on (node=\"...\"): "
			  "the cluster has %u nodes", su->name, m->n_nodes);
	}
	free(node);

	su->comps = cfg_calloc(b, cfg_count_children(n, "comp"), sizeof(*su->comps));
	if (su->comps == NULL)
		return;
	FOR_CHILDREN(k, n, "comp")
		read_comp(b, su, k);
	if (su->n_comps == 0 && cfg_child(n, "comp") == NULL)
		cfg_error(b->c, su->line, "su '%s' has no component", su->name);
}

static void resolve_sus(struct build *b, struct amf_sg *sg, xmlNodePtr n)
{
	uint32_t active = 0, standby = 0, in_service = sg->n_sus;
	bool has_active = cfg_count(b, n, "active-sus", 1, &active);
	bool has_standby = cfg_count(b, n, "standby-sus", 0, &standby);

	cfg_count(b, n, "in-service-sus", 1, &in_service);
	if (sg->n_sus == 0 && cfg_child(n, "su") == NULL)
		cfg_error(b->c, sg->line, "sg '%s' has no SU", sg->name);
	switch (sg->model) {
	case SA_AMF_2N_REDUNDANCY_MODEL:
		if ((has_active && active != 1) || (has_standby && standby != 1))
			cfg_error(b->c, sg->line, "sg '%s': a 2N SG has exactly one active "
				  "and one standby SU (leave out active-sus and standby-sus)",
				  sg->name);
		if (sg->n_sus != 0 && sg->n_sus != 2)
			cfg_error(b->c, sg->line, "sg '%s': a 2N SG needs exactly 2 SUs (one "
				  "active, one standby); it has %u%s", sg->name, sg->n_sus,
				  sg->n_sus > 2 ? " (spare SUs are not supported)" : "");
		active = standby = 1;
		break;
	case SA_AMF_NPM_REDUNDANCY_MODEL:
		if (!has_standby)
			standby = 1;
		if (!has_active)
			active = sg->n_sus > standby ? sg->n_sus - standby : 1;
		if (sg->n_sus != 0 && active + standby > sg->n_sus)
			cfg_error(b->c, sg->line, "sg '%s': N+M with %u active and %u standby "
				  "SUs needs %u SUs; it has %u", sg->name, active, standby,
				  active + standby, sg->n_sus);
		break;
	default:
		if (has_active || has_standby)
			cfg_error(b->c, sg->line, "sg '%s': active-sus and standby-sus apply "
				  "to an N+M SG only (this one is %s)", sg->name,
				  amf_redundancy_model_name(sg->model));
		active = in_service;
		standby = 0;
		break;
	}
	sg->active_sus = active;
	sg->standby_sus = standby;
	sg->in_service_sus = in_service;
	has_active = cfg_count(b, n, "max-active-sis", 0, &sg->max_active_sis);
	has_standby = cfg_count(b, n, "max-standby-sis", 0, &sg->max_standby_sis);
	if ((has_active || has_standby) && (sg->model == SA_AMF_2N_REDUNDANCY_MODEL ||
					    sg->model == SA_AMF_NO_REDUNDANCY_MODEL))
		cfg_error(b->c, sg->line, "sg '%s': max-active-sis and max-standby-sis apply "
			  "to N+M, N-Way and N-Way-Active SGs only (this one is %s)", sg->name,
			  amf_redundancy_model_name(sg->model));
}

/* How many SUs hold SI si ACTIVE and STANDBY, defaults per model. */
static void read_assignments(struct build *b, struct amf_si *si, xmlNodePtr n)
{
	const struct amf_sg *sg = si->sg;
	bool has_active = cfg_count(b, n, "active-assignments", 1, &si->active_assignments);
	bool has_standby = cfg_count(b, n, "standby-assignments", 0,
				     &si->standby_assignments);

	if (sg == NULL)
		return;
	if (has_active && sg->model != SA_AMF_N_WAY_ACTIVE_REDUNDANCY_MODEL)
		cfg_error(b->c, si->line, "si '%s': active-assignments applies to an "
			  "N-Way-Active SG only (sg '%s' is %s)", si->name, sg->name,
			  amf_redundancy_model_name(sg->model));
	if (has_standby && sg->model != SA_AMF_N_WAY_REDUNDANCY_MODEL)
		cfg_error(b->c, si->line, "si '%s': standby-assignments applies to an "
			  "N-Way SG only (sg '%s' is %s)", si->name, sg->name,
			  amf_redundancy_model_name(sg->model));
	if (sg->model == SA_AMF_N_WAY_ACTIVE_REDUNDANCY_MODEL) {
		if (!has_active)
			si->active_assignments = sg->active_sus;
		if (has_active && si->active_assignments > sg->n_sus)
			cfg_error(b->c, si->line, "si '%s': active-assignments %u, but sg "
				  "'%s' has %u SUs", si->name, si->active_assignments,
				  sg->name, sg->n_sus);
		si->standby_assignments = 0;
		return;
	}
	si->active_assignments = 1;
	if (sg->model == SA_AMF_N_WAY_REDUNDANCY_MODEL) {
		if (!has_standby)
			si->standby_assignments = 1;
		if (has_standby && si->standby_assignments >= sg->n_sus)
			cfg_error(b->c, si->line, "si '%s': standby-assignments %u, but sg "
				  "'%s' has %u SUs (one holds it ACTIVE)", si->name,
				  si->standby_assignments, sg->name, sg->n_sus);
		return;
	}
	si->standby_assignments = sg->model == SA_AMF_NO_REDUNDANCY_MODEL ? 0 : 1;
}

static SaAmfRedundancyModelT model_value(const char *s)
{
	SaAmfRedundancyModelT r;

	for (r = SA_AMF_2N_REDUNDANCY_MODEL; r <= SA_AMF_NO_REDUNDANCY_MODEL; r++)
		if (strcmp(amf_redundancy_model_name(r), s) == 0)
			return r;
	return DEF_MODEL;
}

static void read_escalation(struct build *b, xmlNodePtr n, const char *what,
			    struct amf_escalation *e, uint32_t max, SaTimeT prob)
{
	char attr[64];

	e->max = max;
	e->probation = prob;
	snprintf(attr, sizeof(attr), "%s-max", what);
	cfg_count(b, n, attr, 0, &e->max);
	snprintf(attr, sizeof(attr), "%s-probation", what);
	cfg_time(b, n, attr, MS(1), &e->probation);
}

static void read_sg(struct build *b, struct amf_app *app, xmlNodePtr n)
{
	struct amf_sg *sg = &app->sgs[app->n_sgs];
	int auto_repair;
	uint32_t i;
	char *model;
	xmlNodePtr k;

	sg->line = cfg_line(n);
	sg->app = app;
	sg->name = cfg_name(b, n, "name");
	if (sg->name == NULL)
		return;
	app->n_sgs++;
	for (i = 0; i + 1 < app->n_sgs; i++)
		if (strcmp(app->sgs[i].name, sg->name) == 0)
			cfg_error(b->c, sg->line, "sg '%s' is already defined in app '%s' at "
				  "line %u", sg->name, app->name, app->sgs[i].line);
	sg->dn = cfg_printf(b, "safSg=%s,%s", sg->name, app->dn ? app->dn : "");
	check_dn(b, "sg", sg->name, sg->dn, sg->line);
	model = cfg_str(b, n, "model");
	sg->model = model ? model_value(model) : DEF_MODEL;
	free(model);
	read_escalation(b, n, "comp-restart", &sg->comp_restart, DEF_COMP_RESTART_MAX,
			DEF_COMP_RESTART_PROB);
	read_escalation(b, n, "su-restart", &sg->su_restart, DEF_SU_RESTART_MAX,
			DEF_SU_RESTART_PROB);
	read_escalation(b, n, "su-failover", &sg->su_failover, DEF_SU_FAILOVER_MAX,
			DEF_SU_FAILOVER_PROB);
	auto_repair = cfg_bool(b, n, "auto-repair");
	sg->auto_repair = auto_repair != 0;

	sg->sus = cfg_calloc(b, cfg_count_children(n, "su"), sizeof(*sg->sus));
	if (sg->sus == NULL)
		return;
	FOR_CHILDREN(k, n, "su")
		read_su(b, sg, k);
	resolve_sus(b, sg, n);
}

static void read_csi(struct build *b, struct amf_si *si, xmlNodePtr n)
{
	struct amf_csi *csi = &si->csis[si->n_csis];
	uint32_t i;
	xmlNodePtr k;

	csi->line = cfg_line(n);
	csi->si = si;
	csi->name = cfg_name(b, n, "name");
	if (csi->name == NULL)
		return;
	si->n_csis++;
	for (i = 0; i + 1 < si->n_csis; i++)
		if (strcmp(si->csis[i].name, csi->name) == 0)
			cfg_error(b->c, csi->line, "csi '%s' is already defined in si '%s' at "
				  "line %u", csi->name, si->name, si->csis[i].line);
	csi->dn = cfg_printf(b, "safCsi=%s,%s", csi->name, si->dn ? si->dn : "");
	check_dn(b, "csi", csi->name, csi->dn, csi->line);
	csi->type = get_type(b, n, "csi", csi->name);
	csi->attrs = cfg_calloc(b, cfg_count_children(n, "attr"), sizeof(*csi->attrs));
	if (csi->attrs == NULL)
		return;
	FOR_CHILDREN(k, n, "attr") {
		struct amf_csi_attr *a = &csi->attrs[csi->n_attrs];

		a->name = cfg_str(b, k, "name");
		a->value = cfg_str(b, k, "value");
		if (a->name == NULL || a->value == NULL) {
			free(a->name);
			free(a->value);
			a->name = a->value = NULL;
			continue;
		}
		csi->n_attrs++;
	}
}

static void read_si(struct build *b, struct amf_app *app, xmlNodePtr n)
{
	struct amf_si *si = &app->sis[app->n_sis];
	uint32_t i;
	char *sg;
	xmlNodePtr k;

	si->line = cfg_line(n);
	si->app = app;
	si->name = cfg_name(b, n, "name");
	if (si->name == NULL)
		return;
	app->n_sis++;
	for (i = 0; i + 1 < app->n_sis; i++)
		if (strcmp(app->sis[i].name, si->name) == 0)
			cfg_error(b->c, si->line, "si '%s' is already defined in app '%s' at "
				  "line %u", si->name, app->name, app->sis[i].line);
	si->dn = cfg_printf(b, "safSi=%s,%s", si->name, app->dn ? app->dn : "");
	check_dn(b, "si", si->name, si->dn, si->line);
	si->rank = app->n_sis;
	cfg_count(b, n, "rank", 0, &si->rank);

	sg = cfg_str(b, n, "sg");
	if (sg != NULL) {
		for (i = 0; i < app->n_sgs && si->sg == NULL; i++)
			if (strcmp(app->sgs[i].name, sg) == 0)
				si->sg = &app->sgs[i];
		if (si->sg == NULL)
			cfg_error(b->c, si->line, "si '%s': sg '%s' is not defined in app '%s'",
				  si->name, sg, app->name);
	} else if (app->n_sgs == 1) {
		si->sg = &app->sgs[0];
	} else {
		cfg_error(b->c, si->line, app->n_sgs ? "si '%s': say which SG protects it "
			  "(sg=\"...\"): app '%s' has several" : "si '%s': app '%s' has no SG "
			  "to protect it", si->name, app->name);
	}
	free(sg);
	read_assignments(b, si, n);

	si->csis = cfg_calloc(b, cfg_count_children(n, "csi"), sizeof(*si->csis));
	if (si->csis == NULL)
		return;
	FOR_CHILDREN(k, n, "csi")
		read_csi(b, si, k);
	if (si->n_csis == 0 && cfg_child(n, "csi") == NULL)
		cfg_error(b->c, si->line, "si '%s' has no CSI", si->name);
}

static struct amf_si *find_si(struct amf_app *app, const char *name)
{
	uint32_t i;

	for (i = 0; i < app->n_sis; i++)
		if (strcmp(app->sis[i].name, name) == 0)
			return &app->sis[i];
	return NULL;
}

/* si depends="a b": resolved once all SIs of the app are known. */
static void read_depends(struct build *b, struct amf_app *app, struct amf_si *si,
			 xmlNodePtr n)
{
	char *v = cfg_str(b, n, "depends"), *save = NULL, *tok;

	if (v == NULL)
		return;
	si->depends = cfg_calloc(b, strlen(v) / 2 + 1, sizeof(*si->depends));
	for (tok = strtok_r(v, " \t\r\n", &save); tok != NULL && si->depends != NULL;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		struct amf_si *d = find_si(app, tok);

		if (d == NULL)
			cfg_error(b->c, si->line, "si '%s': depends on si '%s', which is not "
				  "defined in app '%s'", si->name, tok, app->name);
		else if (d == si)
			cfg_error(b->c, si->line, "si '%s' depends on itself", si->name);
		else
			si->depends[si->n_depends++] = d;
	}
	free(v);
}

/* Whether target is reachable from si through depends (seen: per SI). */
static bool reaches(const struct amf_app *app, const struct amf_si *si,
		    const struct amf_si *target, unsigned char *seen)
{
	uint32_t k;

	for (k = 0; k < si->n_depends; k++) {
		const struct amf_si *d = si->depends[k];
		size_t i = (size_t)(d - app->sis);

		if (d == target)
			return true;
		if (seen[i])
			continue;
		seen[i] = 1;
		if (reaches(app, d, target, seen))
			return true;
	}
	return false;
}

static void read_app(struct build *b, xmlNodePtr n)
{
	struct amf_model *m = b->m;
	struct amf_app *app = &m->apps[m->n_apps];
	unsigned char *seen;
	xmlNodePtr k, *si_nodes;
	uint32_t i;

	app->line = cfg_line(n);
	app->name = cfg_name(b, n, "name");
	if (app->name == NULL)
		return;
	m->n_apps++;
	for (i = 0; i + 1 < m->n_apps; i++)
		if (strcmp(m->apps[i].name, app->name) == 0)
			cfg_error(b->c, app->line, "app '%s' is already defined at line %u",
				  app->name, m->apps[i].line);
	app->dn = cfg_printf(b, "safApp=%s", app->name);
	check_dn(b, "app", app->name, app->dn, app->line);
	app->sgs = cfg_calloc(b, cfg_count_children(n, "sg"), sizeof(*app->sgs));
	app->sis = cfg_calloc(b, cfg_count_children(n, "si"), sizeof(*app->sis));
	if (app->sgs == NULL || app->sis == NULL)
		return;
	FOR_CHILDREN(k, n, "sg")
		read_sg(b, app, k);
	si_nodes = cfg_calloc(b, cfg_count_children(n, "si"), sizeof(*si_nodes));
	if (si_nodes == NULL)
		return;
	FOR_CHILDREN(k, n, "si") {
		si_nodes[app->n_sis] = k;
		read_si(b, app, k);
	}
	for (i = 0; i < app->n_sis; i++)
		read_depends(b, app, &app->sis[i], si_nodes[i]);
	free(si_nodes);
	/* A cycle means none of its SIs can ever be assigned. */
	seen = cfg_calloc(b, app->n_sis, 1);
	for (i = 0; seen != NULL && i < app->n_sis; i++) {
		memset(seen, 0, app->n_sis);
		if (reaches(app, &app->sis[i], &app->sis[i], seen))
			cfg_error(b->c, app->sis[i].line, "si '%s': its dependencies form a "
				  "cycle (it depends on itself through other SIs)",
				  app->sis[i].name);
	}
	free(seen);
}

/* Rules that need the whole tree: SIs per SG, CSI types per SU. */
static void check_assignable(struct build *b, struct amf_app *app)
{
	uint32_t i, j, k, c;

	for (i = 0; i < app->n_sgs; i++) {
		struct amf_sg *sg = &app->sgs[i];

		sg->sis = cfg_calloc(b, app->n_sis, sizeof(*sg->sis));
		for (j = 0; sg->sis != NULL && j < app->n_sis; j++)
			if (app->sis[j].sg == sg)
				sg->sis[sg->n_sis++] = &app->sis[j];
	}
	for (i = 0; i < app->n_sis; i++) {
		struct amf_si *si = &app->sis[i];

		for (j = 0; si->sg != NULL && j < si->n_csis; j++) {
			const struct amf_csi *csi = &si->csis[j];

			for (k = 0; csi->type != NULL && k < si->sg->n_sus; k++) {
				const struct amf_su *su = &si->sg->sus[k];

				for (c = 0; c < su->n_comps; c++)
					if (su->comps[c].type == csi->type)
						break;
				if (c == su->n_comps && su->n_comps > 0)
					cfg_error(b->c, csi->line, "csi '%s' (comp-type '%s') "
						  "cannot be assigned to su '%s' (line %u): it "
						  "has no component of that type", csi->name,
						  csi->type->name, su->name, su->line);
			}
		}
	}
}

static void count_model(struct amf_model *m)
{
	uint32_t a, g, s;

	m->count.nodes = m->n_nodes;
	m->count.apps = m->n_apps;
	for (a = 0; a < m->n_apps; a++) {
		const struct amf_app *app = &m->apps[a];

		m->count.sgs += app->n_sgs;
		m->count.sis += app->n_sis;
		for (g = 0; g < app->n_sgs; g++) {
			m->count.sus += app->sgs[g].n_sus;
			for (s = 0; s < app->sgs[g].n_sus; s++)
				m->count.comps += app->sgs[g].sus[s].n_comps;
		}
		for (s = 0; s < app->n_sis; s++)
			m->count.csis += app->sis[s].n_csis;
	}
}

/* The absolute directory of path, for relative command paths. */
static char *file_dir(struct build *b, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *abs;

	if (slash == path)
		return cfg_strdup(b, "/");
	dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	if (dir == NULL) {
		cfg_oom(b);
		return NULL;
	}
	abs = realpath(dir, NULL);
	if (abs == NULL) {
		abs = dir;	/* keep it as written */
		dir = NULL;
	}
	free(dir);
	return abs;
}

static void build_model(struct build *b, xmlNodePtr root)
{
	struct amf_model *m = b->m;
	uint32_t i;
	xmlNodePtr n;

	read_cluster(b, root);
	read_comp_types(b, root);
	if (b->oom)
		return;
	m->apps = cfg_calloc(b, cfg_count_children(root, "app"), sizeof(*m->apps));
	if (m->apps == NULL)
		return;
	FOR_CHILDREN(n, root, "app")
		read_app(b, n);
	for (i = 0; i < m->n_apps && !b->oom; i++)
		check_assignable(b, &m->apps[i]);
	count_model(m);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                  */
/* ------------------------------------------------------------------------ */

/* Advances *p past the first `end` (or to the end), counting newlines. */
static void skip_past(const char **p, const char *stop, const char *end, uint32_t *line)
{
	size_t n = strlen(end);

	for (; *p < stop; (*p)++) {
		if ((size_t)(stop - *p) >= n && memcmp(*p, end, n) == 0) {
			*p += n - 1;
			return;
		}
		if (**p == '\n')
			(*line)++;
	}
}

struct starts {
	uint32_t *line;
	size_t n;
	size_t next;
};

static bool assign_lines(xmlNodePtr n, struct starts *st, bool set)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (st->next >= st->n)
			return false;
		n->_private = set ? (void *)(uintptr_t)st->line[st->next] : NULL;
		st->next++;
		if (!assign_lines(n->children, st, set))
			return false;
	}
	return true;
}

/*
 * libxml2 gives an element the line where its start tag ends; a person
 * looks for the line where it begins. This scan of the raw file finds the
 * line of each start tag's '<', in document order, and keeps it in the
 * element's _private (the field libxml2 leaves to applications), which
 * cfg_line() reads. A file the scan does not follow (a DOCTYPE) or whose
 * count of tags differs from the tree keeps libxml2's lines.
 */
static void fix_lines(xmlDocPtr doc, const char *path)
{
	struct starts st = { 0 };
	const char *p, *stop;
	uint32_t line = 1;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL)
		return;
	{
		char chunk[8192];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			char *nb = realloc(buf, len + n);

			if (nb == NULL)
				goto out;
			buf = nb;
			memcpy(buf + len, chunk, n);
			len += n;
		}
	}
	for (p = buf, stop = buf + len; p < stop; p++) {
		if (*p == '\n') {
			line++;
		} else if (*p != '<' || p + 1 >= stop || p[1] == '/') {
			continue;
		} else if ((size_t)(stop - p) >= 4 && memcmp(p, "<!--", 4) == 0) {
			skip_past(&p, stop, "-->", &line);
		} else if ((size_t)(stop - p) >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			skip_past(&p, stop, "]]>", &line);
		} else if (p[1] == '?') {
			skip_past(&p, stop, "?>", &line);
		} else if (p[1] == '!') {
			goto out;	/* DOCTYPE: entities may hide elements */
		} else {
			uint32_t *nl = realloc(st.line, (st.n + 1) * sizeof(*nl));

			if (nl == NULL)
				goto out;
			st.line = nl;
			st.line[st.n++] = line;
		}
	}
	if (assign_lines(xmlDocGetRootElement(doc), &st, true) && st.next == st.n)
		goto out;
	st.next = 0;
	st.n = SIZE_MAX;
	assign_lines(xmlDocGetRootElement(doc), &st, false);
out:
	fclose(f);
	free(buf);
	free(st.line);
}

static void xml_error(void *ctx, CFG_XMLERR *err)
{
	struct cfg_ctx *c = ctx;
	const char *msg = err->message ? err->message : "unknown error";
	int len = (int)strlen(msg);

	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	cfg_error(c, err->line, "%.*s", len, msg);
}

static void log_report(void *ctx, const char *file, int line, const char *message)
{
	if (line > 0)
		qb_log(LOG_ERR, "%s:%d: %s", file, line, message);
	else
		qb_log(LOG_ERR, "%s: %s", file, message);
}

static int load(struct cfg_ctx *c, const char *path, struct amf_model **out);

int amf_config_load_report(const char *path, struct amf_model **out,
			   amf_config_report_fn report, void *ctx)
{
	struct cfg_ctx c = { .file = path, .report = report, .report_ctx = ctx };
	int rc;

	*out = NULL;
	rc = load(&c, path, out);
	cfg_flush(&c);
	return rc;
}

static int load(struct cfg_ctx *c, const char *path, struct amf_model **out)
{
	struct build b = { .c = c };
	xmlNodePtr root;
	xmlDocPtr doc;
	uint32_t i;
	int rc = -EINVAL;

	if (access(path, R_OK) != 0) {
		cfg_error(c, 0, "cannot read: %s", strerror(errno));
		return -EINVAL;
	}
	xmlSetStructuredErrorFunc(c, xml_error);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc == NULL) {
		if (c->errors == 0)
			cfg_error(c, 0, "cannot load the configuration");
		return -EINVAL;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp((const char *)root->name, "safd") != 0) {
		cfg_error(c, root ? cfg_line(root) : 1, "the root element must be <safd>");
		goto out_doc;
	}
	fix_lines(doc, path);
	if (cfg_schema_validate(c, doc) < 0)
		goto out_doc;

	b.m = cfg_calloc(&b, 1, sizeof(*b.m));
	if (b.m == NULL) {
		rc = -ENOMEM;
		goto out_doc;
	}
	b.m->file = cfg_strdup(&b, path);
	b.dir = file_dir(&b, path);
	build_model(&b, root);
	if (b.types != NULL)
		for (i = 0; i < b.m->n_comp_types; i++)
			cfg_settings_free(&b.types[i]);
	free(b.types);
	free(b.dir);
	if (c->errors == 0 && !b.oom) {
		*out = b.m;
		rc = 0;
	} else {
		amf_model_free(b.m);
		rc = b.oom ? -ENOMEM : -EINVAL;
	}
out_doc:
	xmlFreeDoc(doc);
	return rc;
}

int amf_config_load(const char *path, struct amf_model **out)
{
	return amf_config_load_report(path, out, log_report, NULL);
}

/* ------------------------------------------------------------------------ */
/* Freeing and naming                                                       */
/* ------------------------------------------------------------------------ */

static void command_free(struct amf_command *cmd)
{
	uint32_t i;

	for (i = 0; cmd->argv != NULL && cmd->argv[i] != NULL; i++)
		free(cmd->argv[i]);
	free(cmd->argv);
	cfg_env_free(cmd->env, cmd->n_env);
}

static void sg_free(struct amf_sg *sg)
{
	uint32_t s, c;

	for (s = 0; sg->sus != NULL && s < sg->n_sus; s++) {
		struct amf_su *su = &sg->sus[s];

		for (c = 0; su->comps != NULL && c < su->n_comps; c++) {
			struct amf_comp *comp = &su->comps[c];

			command_free(&comp->instantiate);
			command_free(&comp->terminate);
			command_free(&comp->cleanup);
			free(comp->healthchecks);
			free(comp->name);
			free(comp->dn);
		}
		free(su->comps);
		free(su->name);
		free(su->dn);
	}
	free(sg->sus);
	free(sg->sis);
	free(sg->name);
	free(sg->dn);
}

static void si_free(struct amf_si *si)
{
	uint32_t c, k;

	for (c = 0; si->csis != NULL && c < si->n_csis; c++) {
		struct amf_csi *csi = &si->csis[c];

		for (k = 0; csi->attrs != NULL && k < csi->n_attrs; k++) {
			free(csi->attrs[k].name);
			free(csi->attrs[k].value);
		}
		free(csi->attrs);
		free(csi->name);
		free(csi->dn);
	}
	free(si->csis);
	free(si->depends);
	free(si->name);
	free(si->dn);
}

void amf_model_free(struct amf_model *m)
{
	uint32_t a, i;

	if (m == NULL)
		return;
	for (a = 0; m->apps != NULL && a < m->n_apps; a++) {
		struct amf_app *app = &m->apps[a];

		for (i = 0; app->sgs != NULL && i < app->n_sgs; i++)
			sg_free(&app->sgs[i]);
		for (i = 0; app->sis != NULL && i < app->n_sis; i++)
			si_free(&app->sis[i]);
		free(app->sgs);
		free(app->sis);
		free(app->name);
		free(app->dn);
	}
	free(m->apps);
	for (i = 0; m->comp_types != NULL && i < m->n_comp_types; i++)
		free(m->comp_types[i].name);
	free(m->comp_types);
	for (i = 0; m->nodes != NULL && i < m->n_nodes; i++) {
		free(m->nodes[i].name);
		free(m->nodes[i].dn);
	}
	free(m->nodes);
	free(m->cluster.name);
	free(m->cluster.dn);
	free(m->file);
	free(m);
}

void amf_model_summary(const struct amf_model *m, char *buf, size_t len)
{
	const struct amf_model_counts *n = &m->count;

	snprintf(buf, len, "%u application%s, %u SG%s, %u SU%s, %u component%s, %u SI%s, "
		 "%u CSI%s, %u node%s",
		 n->apps, n->apps == 1 ? "" : "s", n->sgs, n->sgs == 1 ? "" : "s",
		 n->sus, n->sus == 1 ? "" : "s", n->comps, n->comps == 1 ? "" : "s",
		 n->sis, n->sis == 1 ? "" : "s", n->csis, n->csis == 1 ? "" : "s",
		 n->nodes, n->nodes == 1 ? "" : "s");
}

const char *amf_redundancy_model_name(SaAmfRedundancyModelT model)
{
	switch (model) {
	case SA_AMF_2N_REDUNDANCY_MODEL: return "2N";
	case SA_AMF_NPM_REDUNDANCY_MODEL: return "N+M";
	case SA_AMF_N_WAY_REDUNDANCY_MODEL: return "N-Way";
	case SA_AMF_N_WAY_ACTIVE_REDUNDANCY_MODEL: return "N-Way-Active";
	case SA_AMF_NO_REDUNDANCY_MODEL: return "No-Redundancy";
	}
	return "unknown";
}

const char *amf_recovery_name(SaAmfRecommendedRecoveryT recovery)
{
	switch (recovery) {
	case SA_AMF_NO_RECOMMENDATION: return "no-recommendation";
	case SA_AMF_COMPONENT_RESTART: return "component-restart";
	case SA_AMF_COMPONENT_FAILOVER: return "component-failover";
	case SA_AMF_NODE_SWITCHOVER: return "node-switchover";
	case SA_AMF_NODE_FAILOVER: return "node-failover";
	case SA_AMF_NODE_FAILFAST: return "node-failfast";
	case SA_AMF_CLUSTER_RESET: return "cluster-reset";
	case SA_AMF_APPLICATION_RESTART: return "application-restart";
	case SA_AMF_CONTAINER_RESTART: return "container-restart";
	}
	return "unknown";
}
