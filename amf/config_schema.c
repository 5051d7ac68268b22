/*
 * Schema validation of the configuration file (safd.conf(5)).
 *
 * libxml2 validates the document against amf/schema/safd.rng. Its RELAX NG
 * messages are terse ("Element comp failed to validate attributes") and it
 * stops at the first problem inside an <interleave>, so when validation
 * fails this file walks the whole document against the same schema and
 * says what is wrong where: an unknown element or attribute, a missing
 * required one, a value of the wrong type ("'10' has no unit"), a repeated
 * singleton. The walk reads the schema itself (see the shape rules at the
 * top of safd.rng), so the schema stays the one description of the format.
 * If the walk finds nothing (a construct it does not understand), libxml2's
 * own messages are reported instead, so an invalid file is never accepted.
 *
 * Where the schema comes from: $SAFD_SCHEMA, else the installed
 * SAFD_SCHEMA_PATH ($(pkgdatadir)/safd.rng), else SAFD_SCHEMA_SRC in the
 * source tree, for tests and demos run from an uninstalled build.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "config_int.h"

#ifndef SAFD_SCHEMA_PATH
#define SAFD_SCHEMA_PATH "/usr/share/safd/safd.rng"
#endif
#ifndef SAFD_SCHEMA_SRC
#define SAFD_SCHEMA_SRC SAFD_SCHEMA_PATH
#endif

const char *amf_config_schema_path(void)
{
	const char *env = getenv("SAFD_SCHEMA");

	if (env != NULL && env[0] != '\0')
		return env;
	if (access(SAFD_SCHEMA_PATH, R_OK) == 0)
		return SAFD_SCHEMA_PATH;
	if (access(SAFD_SCHEMA_SRC, R_OK) == 0)
		return SAFD_SCHEMA_SRC;
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* What the schema says about each element                                  */
/* ------------------------------------------------------------------------ */

struct attr_spec {
	const char *name;
	bool required;
	xmlNodePtr type;	/* <ref>, <choice>, <data>, <text>, or NULL */
};

struct kid_spec {
	const char *name;
	bool required;
	bool multiple;
};

struct elem_spec {
	const char *name;
	struct attr_spec *attrs;
	size_t n_attrs;
	struct kid_spec *kids;
	size_t n_kids;
};

struct schema {
	xmlNodePtr grammar;
	struct elem_spec *elems;
	size_t n_elems;
	bool oom;
};

/* The value of a schema attribute (the schema is plain: one text child). */
static const char *rng_prop(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, BAD_CAST name);

	if (a == NULL || a->children == NULL || a->children->type != XML_TEXT_NODE)
		return NULL;
	return (const char *)a->children->content;
}

static bool is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr first_elem(xmlNodePtr n)
{
	for (n = n ? n->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

static xmlNodePtr find_define(const struct schema *s, const char *name)
{
	xmlNodePtr n;

	for (n = s->grammar->children; n != NULL; n = n->next) {
		const char *dn = is(n, "define") ? rng_prop(n, "name") : NULL;

		if (dn != NULL && strcmp(dn, name) == 0)
			return n;
	}
	return NULL;
}

static void *grow(struct schema *s, void *array, size_t n, size_t size)
{
	void *p = realloc(array, (n + 1) * size);

	if (p == NULL)
		s->oom = true;
	return p;
}

static void add_attr(struct schema *s, struct elem_spec *e, xmlNodePtr a, bool required)
{
	struct attr_spec *p = grow(s, e->attrs, e->n_attrs, sizeof(*p));
	const char *name = rng_prop(a, "name");

	if (p == NULL || name == NULL) {
		if (p != NULL)
			e->attrs = p;
		return;
	}
	e->attrs = p;
	p[e->n_attrs++] = (struct attr_spec){ name, required, first_elem(a) };
}

static void add_kid(struct schema *s, struct elem_spec *e, const char *name,
		    bool required, bool multiple)
{
	struct kid_spec *p = grow(s, e->kids, e->n_kids, sizeof(*p));

	if (p == NULL)
		return;
	e->kids = p;
	p[e->n_kids++] = (struct kid_spec){ name, required, multiple };
}

/* Collects the attributes and child elements of e from the pattern n. */
static void walk(struct schema *s, struct elem_spec *e, xmlNodePtr n, bool required,
		 bool multiple, int depth)
{
	xmlNodePtr k, def;
	const char *name;

	if (n->type != XML_ELEMENT_NODE || depth > 32)
		return;
	if (is(n, "attribute")) {
		add_attr(s, e, n, required);
	} else if (is(n, "element")) {
		name = rng_prop(n, "name");
		if (name != NULL)
			add_kid(s, e, name, required, multiple);
	} else if (is(n, "ref")) {
		name = rng_prop(n, "name");
		def = name ? find_define(s, name) : NULL;
		if (def == NULL)
			return;
		k = first_elem(def);
		if (k != NULL && is(k, "element"))
			walk(s, e, k, required, multiple, depth + 1);
		else
			for (k = def->children; k != NULL; k = k->next)
				walk(s, e, k, required, multiple, depth + 1);
	} else if (is(n, "optional") || is(n, "zeroOrMore") || is(n, "oneOrMore") ||
		   is(n, "choice") || is(n, "interleave") || is(n, "group") ||
		   is(n, "mixed")) {
		if (is(n, "optional") || is(n, "zeroOrMore") || is(n, "choice"))
			required = false;
		if (is(n, "zeroOrMore") || is(n, "oneOrMore"))
			multiple = true;
		for (k = n->children; k != NULL; k = k->next)
			walk(s, e, k, required, multiple, depth + 1);
	}
}

static int schema_build(struct schema *s, xmlDocPtr sdoc)
{
	xmlNodePtr n, el, k;

	s->grammar = xmlDocGetRootElement(sdoc);
	if (s->grammar == NULL || !is(s->grammar, "grammar"))
		return -1;
	for (n = s->grammar->children; n != NULL; n = n->next) {
		struct elem_spec *e;

		el = is(n, "define") ? first_elem(n) : NULL;
		if (el == NULL || !is(el, "element") || rng_prop(el, "name") == NULL)
			continue;
		e = grow(s, s->elems, s->n_elems, sizeof(*e));
		if (e == NULL)
			return -1;
		s->elems = e;
		e = &s->elems[s->n_elems++];
		*e = (struct elem_spec){ .name = rng_prop(el, "name") };
		for (k = el->children; k != NULL; k = k->next)
			walk(s, e, k, true, false, 0);
	}
	return s->oom ? -1 : 0;
}

static void schema_free(struct schema *s)
{
	size_t i;

	for (i = 0; i < s->n_elems; i++) {
		free(s->elems[i].attrs);
		free(s->elems[i].kids);
	}
	free(s->elems);
}

static const struct elem_spec *elem_spec(const struct schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_elems; i++)
		if (strcmp(s->elems[i].name, name) == 0)
			return &s->elems[i];
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* Checking a document against it                                           */
/* ------------------------------------------------------------------------ */

/* Appends "a, b, c" (the <value>s of a <choice>) to buf. */
static void choice_values(xmlNodePtr choice, char *buf, size_t len)
{
	xmlNodePtr v;
	size_t used = 0;

	buf[0] = '\0';
	for (v = choice->children; v != NULL; v = v->next) {
		xmlChar *t;
		int n;

		if (!is(v, "value"))
			continue;
		t = xmlNodeGetContent(v);
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			     t ? (const char *)t : "");
		xmlFree(t);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

static bool in_choice(xmlNodePtr choice, const char *value)
{
	xmlNodePtr v;
	bool found = false;

	for (v = choice->children; v != NULL && !found; v = v->next) {
		xmlChar *t;

		if (!is(v, "value"))
			continue;
		t = xmlNodeGetContent(v);
		found = t != NULL && strcmp((const char *)t, value) == 0;
		xmlFree(t);
	}
	return found;
}

/*
 * Checks value against the attribute's type. Returns 0, -1 with the reason
 * in why, or 1 when the type is not one this walk understands (libxml2's
 * verdict then stands).
 */
static int check_value(const struct schema *s, xmlNodePtr type, const char *value,
		       char *why, size_t len)
{
	char values[256];
	const char *ref;
	SaTimeT t;
	uint32_t u;
	xmlNodePtr def;

	if (type == NULL || is(type, "text"))
		return 0;
	if (is(type, "choice")) {
		if (in_choice(type, value))
			return 0;
		choice_values(type, values, sizeof(values));
		snprintf(why, len, "'%s' is not one of %s", value, values);
		return -1;
	}
	if (!is(type, "ref") || (ref = rng_prop(type, "name")) == NULL)
		return 1;
	if (strcmp(ref, "t-time") == 0)
		return cfg_parse_time(value, &t, why, len);
	if (strcmp(ref, "t-count") == 0)
		return cfg_parse_count(value, &u, why, len);
	if (strcmp(ref, "t-name") == 0)
		return cfg_check_name(value, why, len);
	if (strcmp(ref, "t-names") == 0)
		return cfg_check_names(value, why, len);
	def = find_define(s, ref);
	if (def != NULL && first_elem(def) != NULL)
		return check_value(s, first_elem(def), value, why, len);
	return 1;
}

static bool blank(const xmlChar *t)
{
	for (; t != NULL && *t != '\0'; t++)
		if (*t != ' ' && *t != '\t' && *t != '\n' && *t != '\r')
			return false;
	return true;
}

/* Checks el (whose spec is e) and its subtree; returns the number of
 * problems reported. */
static unsigned diagnose(struct cfg_ctx *c, const struct schema *s, xmlNodePtr el,
			 const struct elem_spec *e)
{
	unsigned found = 0;
	long line = cfg_line(el);
	char why[512];
	xmlAttrPtr a;
	xmlNodePtr k;
	size_t i;

	for (a = el->properties; a != NULL; a = a->next) {
		const struct attr_spec *as = NULL;
		xmlChar *v;
		int rc;

		for (i = 0; i < e->n_attrs && as == NULL; i++)
			if (strcmp(e->attrs[i].name, (const char *)a->name) == 0)
				as = &e->attrs[i];
		if (as == NULL) {
			cfg_error(c, line, "element %s: unknown attribute '%s'", e->name,
				  (const char *)a->name);
			found++;
			continue;
		}
		v = xmlNodeListGetString(el->doc, a->children, 1);
		rc = check_value(s, as->type, v ? (const char *)v : "", why, sizeof(why));
		if (rc < 0) {
			cfg_error(c, line, "element %s: attribute '%s': %s", e->name,
				  as->name, why);
			found++;
		}
		xmlFree(v);
	}
	for (i = 0; i < e->n_attrs; i++) {
		if (e->attrs[i].required && !xmlHasProp(el, BAD_CAST e->attrs[i].name)) {
			cfg_error(c, line, "element %s: attribute '%s' is required", e->name,
				  e->attrs[i].name);
			found++;
		}
	}
	for (i = 0; i < e->n_kids; i++) {
		const struct kid_spec *ks = &e->kids[i];
		unsigned count = 0;

		for (k = el->children; k != NULL; k = k->next) {
			if (k->type != XML_ELEMENT_NODE || strcmp((const char *)k->name, ks->name))
				continue;
			if (++count == 2 && !ks->multiple) {
				cfg_error(c, cfg_line(k),
					  "element %s: only one <%s> is allowed inside <%s>",
					  ks->name, ks->name, e->name);
				found++;
			}
		}
		if (count == 0 && ks->required) {
			cfg_error(c, line, "element %s: needs a <%s> element", e->name, ks->name);
			found++;
		}
	}
	for (k = el->children; k != NULL; k = k->next) {
		const struct elem_spec *ke = NULL;

		if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) &&
		    !blank(k->content)) {
			cfg_error(c, xmlGetLineNo(k), "element %s: text is not allowed here "
				  "(values go in attributes)", e->name);
			found++;
			continue;
		}
		if (k->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < e->n_kids && ke == NULL; i++)
			if (strcmp(e->kids[i].name, (const char *)k->name) == 0)
				ke = elem_spec(s, e->kids[i].name);
		if (ke == NULL) {
			cfg_error(c, cfg_line(k), "element %s: not allowed inside <%s>%s",
				  (const char *)k->name, e->name,
				  elem_spec(s, (const char *)k->name) ? "" : " (unknown element)");
			found++;
			continue;
		}
		found += diagnose(c, s, k, ke);
	}
	return found;
}

/* ------------------------------------------------------------------------ */
/* Validation                                                               */
/* ------------------------------------------------------------------------ */

struct rng_error {
	long line;
	char *message;
};

struct rng_errors {
	struct cfg_ctx *c;
	const char *file;	/* for errors without one */
	struct rng_error *v;
	size_t n;
};

static void collect(void *ctx, CFG_XMLERR *err)
{
	struct rng_errors *r = ctx;
	const char *msg = err->message ? err->message : "invalid";
	struct rng_error *p;
	size_t len = strlen(msg);
	long line = err->node ? (long)cfg_line((xmlNodePtr)err->node) : err->line;

	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	p = realloc(r->v, (r->n + 1) * sizeof(*p));
	if (p == NULL)
		return;
	r->v = p;
	p[r->n].line = line;
	p[r->n].message = strndup(msg, len);
	if (p[r->n].message != NULL)
		r->n++;
}

/* Errors in the schema itself name the schema file. */
static void schema_error(void *ctx, CFG_XMLERR *err)
{
	struct rng_errors *r = ctx;
	const char *msg = err->message ? err->message : "invalid schema";
	int len = (int)strlen(msg);

	while (len > 0 && msg[len - 1] == '\n')
		len--;
	cfg_error_in(r->c, err->file ? err->file : r->file, err->line, "%.*s", len, msg);
}

int cfg_schema_validate(struct cfg_ctx *c, xmlDocPtr doc)
{
	const char *path = amf_config_schema_path();
	struct rng_errors errs = { .c = c, .file = path };
	xmlRelaxNGParserCtxtPtr pctx = NULL;
	xmlRelaxNGValidCtxtPtr vctx = NULL;
	struct schema s = { 0 };
	xmlRelaxNGPtr rng = NULL;
	xmlDocPtr sdoc = NULL;
	unsigned before = c->errors;
	int rc = -1;
	size_t i;

	if (path == NULL) {
		cfg_error(c, 0, "cannot find the schema safd.rng (looked for %s and %s; "
			  "set SAFD_SCHEMA to its path)", SAFD_SCHEMA_PATH, SAFD_SCHEMA_SRC);
		return -1;
	}
	xmlSetStructuredErrorFunc(&errs, schema_error);
	sdoc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (sdoc == NULL) {
		cfg_error(c, 0, "cannot read the schema %s", path);
		goto out;
	}
	/* Compiling modifies the document, so libxml2 works on a copy. */
	pctx = xmlRelaxNGNewDocParserCtxt(sdoc);
	if (pctx == NULL)
		goto out_oom;
	xmlRelaxNGSetParserStructuredErrors(pctx, schema_error, &errs);
	rng = xmlRelaxNGParse(pctx);
	if (rng == NULL) {
		cfg_error(c, 0, "the schema %s is invalid", path);
		goto out;
	}
	vctx = xmlRelaxNGNewValidCtxt(rng);
	if (vctx == NULL)
		goto out_oom;
	xmlRelaxNGSetValidStructuredErrors(vctx, collect, &errs);
	if (xmlRelaxNGValidateDoc(vctx, doc) == 0) {
		rc = 0;
		goto out;
	}
	if (schema_build(&s, sdoc) == 0) {
		xmlNodePtr root = xmlDocGetRootElement(doc);
		const struct elem_spec *e = root ? elem_spec(&s, (const char *)root->name) : NULL;

		if (e != NULL)
			diagnose(c, &s, root, e);
	}
	if (c->errors == before) {
		for (i = 0; i < errs.n; i++)
			cfg_error(c, errs.v[i].line, "%s", errs.v[i].message);
		if (errs.n == 0)
			cfg_error(c, 0, "does not match the schema %s", path);
	}
	goto out;

out_oom:
	cfg_error(c, 0, "out of memory");
out:
	for (i = 0; i < errs.n; i++)
		free(errs.v[i].message);
	free(errs.v);
	schema_free(&s);
	if (vctx != NULL)
		xmlRelaxNGFreeValidCtxt(vctx);
	if (rng != NULL)
		xmlRelaxNGFree(rng);
	if (pctx != NULL)
		xmlRelaxNGFreeParserCtxt(pctx);
	if (sdoc != NULL)
		xmlFreeDoc(sdoc);
	return rc;
}
