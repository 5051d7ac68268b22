/*
 * Component settings (safd.conf(5), COMPONENTS): what a <comp-type> or a
 * <comp> says about life-cycle commands, environment, timeouts, recovery
 * and healthchecks, and how a component's effective settings are built:
 * built-in defaults, overridden by its comp type, overridden by its own
 * attributes and elements. The result is stored in struct amf_comp fully
 * resolved (argv split, environment merged), so the engine never merges.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

#define DEF_CMD_TIMEOUT		SEC(10)
#define DEF_CALLBACK_TIMEOUT	SEC(10)
#define DEF_INST_RETRIES	2
#define DEF_HC_PERIOD		SEC(10)
#define DEF_RECOVERY		SA_AMF_COMPONENT_RESTART

static const char *const cmd_elem[CMD_COUNT] = { "instantiate", "terminate", "cleanup" };

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* <env name= value=/> children of n. */
static void read_env(struct build *b, xmlNodePtr n, struct amf_env **out, uint32_t *count)
{
	uint32_t i, k = 0, total = cfg_count_children(n, "env");
	struct amf_env *env;
	xmlNodePtr e;

	*out = NULL;
	*count = 0;
	if (total == 0)
		return;
	env = cfg_calloc(b, total, sizeof(*env));
	if (env == NULL)
		return;
	FOR_CHILDREN(e, n, "env") {
		char *name = cfg_name(b, e, "name"), *value = cfg_str(b, e, "value");

		for (i = 0; name != NULL && i < k; i++) {
			if (strcmp(env[i].name, name) == 0) {
				cfg_error(b->c, cfg_line(e), "element env: '%s' is set twice in "
					  "<%s>", name, (const char *)n->name);
				break;
			}
		}
		if (name == NULL || value == NULL) {
			free(name);
			free(value);
			continue;
		}
		env[k].name = name;
		env[k].value = value;
		k++;
	}
	*out = env;
	*count = k;
}

void cfg_env_free(struct amf_env *env, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		free(env[i].name);
		free(env[i].value);
	}
	free(env);
}

static void read_healthchecks(struct build *b, xmlNodePtr n, struct comp_set *s)
{
	uint32_t i, total = cfg_count_children(n, "healthcheck");
	xmlNodePtr h;

	if (total == 0)
		return;
	s->hc = cfg_calloc(b, total, sizeof(*s->hc));
	if (s->hc == NULL)
		return;
	FOR_CHILDREN(h, n, "healthcheck") {
		struct amf_healthcheck *hc = &s->hc[s->n_hc];
		char *key = cfg_str(b, h, "key");
		size_t len = key ? strlen(key) : 0;

		if (key == NULL)
			continue;
		if (len == 0 || len > SA_AMF_HEALTHCHECK_KEY_MAX) {
			cfg_error(b->c, cfg_line(h), "element healthcheck: key '%s' is %s",
				  key, len ? "longer than 32 bytes (SA_AMF_HEALTHCHECK_KEY_MAX)" :
				  "empty");
			free(key);
			continue;
		}
		for (i = 0; i < s->n_hc; i++) {
			if (s->hc[i].key.keyLen == len && memcmp(s->hc[i].key.key, key, len) == 0) {
				cfg_error(b->c, cfg_line(h), "element healthcheck: key '%s' is "
					  "already defined at line %u", key, s->hc[i].line);
				break;
			}
		}
		memcpy(hc->key.key, key, len);
		hc->key.keyLen = (SaUint16T)len;
		free(key);
		hc->line = cfg_line(h);
		hc->period = DEF_HC_PERIOD;
		cfg_time(b, h, "period", MS(1), &hc->period);
		hc->max_duration = hc->period;
		cfg_time(b, h, "max-duration", MS(1), &hc->max_duration);
		s->n_hc++;
	}
}

static SaAmfRecommendedRecoveryT recovery_value(const char *s)
{
	SaAmfRecommendedRecoveryT r;

	for (r = SA_AMF_COMPONENT_RESTART; r <= SA_AMF_CONTAINER_RESTART; r++)
		if (strcmp(amf_recovery_name(r), s) == 0)
			return r;
	return (SaAmfRecommendedRecoveryT)0;
}

/* Reads the settings of a <comp-type> or <comp>. */
void cfg_settings_read(struct build *b, xmlNodePtr n, struct comp_set *s)
{
	char *v;
	int i;

	memset(s, 0, sizeof(*s));
	s->sa_aware = cfg_bool(b, n, "sa-aware");
	s->restartable = cfg_bool(b, n, "restartable");
	v = cfg_str(b, n, "recovery");
	if (v != NULL)
		s->recovery = recovery_value(v);
	free(v);
	cfg_time(b, n, "callback-timeout", MS(1), &s->callback);
	cfg_time(b, n, "csi-set-timeout", MS(1), &s->csi_set);
	cfg_time(b, n, "csi-remove-timeout", MS(1), &s->csi_remove);
	cfg_time(b, n, "terminate-callback-timeout", MS(1), &s->terminate_cb);
	cfg_time(b, n, "quiescing-timeout", MS(1), &s->quiescing);
	read_env(b, n, &s->env, &s->n_env);
	read_healthchecks(b, n, s);
	for (i = 0; i < CMD_COUNT; i++) {
		struct cmd_set *cs = &s->cmd[i];
		xmlNodePtr k = cfg_child(n, cmd_elem[i]);

		if (k == NULL)
			continue;
		cs->line = cfg_line(k);
		cs->cmd = cfg_str(b, k, "cmd");
		cs->cmd_line = cs->line;
		cs->args = cfg_str(b, k, "args");
		cs->args_line = cs->line;
		cfg_time(b, k, "timeout", MS(1), &cs->timeout);
		cs->has_retries = cfg_count(b, k, "retries", 0, &cs->retries);
		cs->has_delay = cfg_time(b, k, "retry-delay", 0, &cs->delay);
		read_env(b, k, &cs->env, &cs->n_env);
	}
}

void cfg_settings_free(struct comp_set *s)
{
	int i;

	for (i = 0; i < CMD_COUNT; i++) {
		free(s->cmd[i].cmd);
		free(s->cmd[i].args);
		cfg_env_free(s->cmd[i].env, s->cmd[i].n_env);
	}
	cfg_env_free(s->env, s->n_env);
	free(s->hc);
}

/* ------------------------------------------------------------------------ */
/* Components: settings of the type, overridden by the component's own      */
/* ------------------------------------------------------------------------ */

struct words {
	char **v;
	uint32_t n;
};

static int words_add(struct build *b, struct words *w, const char *s, size_t len)
{
	char **v = realloc(w->v, (w->n + 2) * sizeof(*v));

	if (v == NULL) {
		cfg_oom(b);
		return -1;
	}
	w->v = v;
	v[w->n] = strndup(s, len);
	if (v[w->n] == NULL) {
		cfg_oom(b);
		return -1;
	}
	v[++w->n] = NULL;
	return 0;
}

/*
 * Splits a command line into words, as a shell would without expanding
 * anything: blanks separate words; '...' keeps everything literally; "..."
 * keeps everything but \" and \\; outside quotes \ keeps the next
 * character. Returns the number of words, or -1 (reported) on an
 * unterminated quote.
 */
static int split(struct build *b, const char *s, struct words *w, uint32_t line,
		 const char *elem, const char *attr)
{
	size_t len = strlen(s), n = 0;
	char *word = cfg_calloc(b, len + 1, 1);
	const char *p = s;
	int count = 0;

	if (word == NULL)
		return -1;
	while (*p != '\0') {
		bool in_word = false;

		while (is_space(*p))
			p++;
		n = 0;
		while (*p != '\0' && !is_space(*p)) {
			in_word = true;
			if (*p == '\'' || *p == '"') {
				char q = *p++;

				while (*p != '\0' && *p != q) {
					if (q == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
						p++;
					word[n++] = *p++;
				}
				if (*p == '\0') {
					cfg_error(b->c, line, "element %s: attribute '%s': "
						  "unterminated %c quote", elem, attr, q);
					free(word);
					return -1;
				}
				p++;
			} else if (*p == '\\' && p[1] != '\0') {
				word[n++] = p[1];
				p += 2;
			} else {
				word[n++] = *p++;
			}
		}
		if (in_word) {
			if (words_add(b, w, word, n) < 0) {
				free(word);
				return -1;
			}
			count++;
		}
	}
	free(word);
	return count;
}

/* Adds src to the list (a name already there takes the new value). */
static int env_merge(struct build *b, struct amf_command *cmd, const struct amf_env *src,
		     uint32_t n)
{
	uint32_t i, j;

	for (i = 0; i < n; i++) {
		struct amf_env *e;

		for (j = 0; j < cmd->n_env; j++)
			if (strcmp(cmd->env[j].name, src[i].name) == 0)
				break;
		if (j < cmd->n_env) {
			char *v = cfg_strdup(b, src[i].value);

			if (v == NULL)
				return -1;
			free(cmd->env[j].value);
			cmd->env[j].value = v;
			continue;
		}
		e = realloc(cmd->env, (cmd->n_env + 1) * sizeof(*e));
		if (e == NULL) {
			cfg_oom(b);
			return -1;
		}
		cmd->env = e;
		e[cmd->n_env].name = cfg_strdup(b, src[i].name);
		e[cmd->n_env].value = cfg_strdup(b, src[i].value);
		if (e[cmd->n_env].name == NULL || e[cmd->n_env].value == NULL) {
			free(e[cmd->n_env].name);
			free(e[cmd->n_env].value);
			return -1;
		}
		cmd->n_env++;
	}
	return 0;
}

static void build_command(struct build *b, struct amf_comp *comp, int i,
			  const struct comp_set *t, const struct comp_set *s)
{
	const struct cmd_set *tc = &t->cmd[i], *sc = &s->cmd[i];
	struct amf_command *cmd = i == CMD_INSTANTIATE ? &comp->instantiate :
				  i == CMD_TERMINATE ? &comp->terminate : &comp->cleanup;
	const char *line = sc->cmd ? sc->cmd : tc->cmd;
	const char *args = sc->args ? sc->args : tc->args;
	uint32_t cmd_line = sc->cmd ? sc->cmd_line : tc->cmd_line;
	uint32_t args_line = sc->args ? sc->args_line : tc->args_line;
	struct words w = { 0 };
	int n;

	cmd->timeout = sc->timeout ? sc->timeout : tc->timeout ? tc->timeout : DEF_CMD_TIMEOUT;
	if (line == NULL) {
		if (args != NULL)
			cfg_error(b->c, args_line, "element %s: args= without a cmd= (in the "
				  "comp or its comp-type)", cmd_elem[i]);
		return;
	}
	n = split(b, line, &w, cmd_line, cmd_elem[i], "cmd");
	if (n == 0)
		cfg_error(b->c, cmd_line, "element %s: attribute 'cmd' is empty", cmd_elem[i]);
	if (n > 0 && args != NULL && split(b, args, &w, args_line, cmd_elem[i], "args") < 0)
		n = -1;
	if (n <= 0) {
		for (n = 0; w.v != NULL && w.v[n] != NULL; n++)
			free(w.v[n]);
		free(w.v);
		return;
	}
	/* A relative path with a slash is relative to the file's directory. */
	if (w.v[0][0] != '/' && strchr(w.v[0], '/') != NULL && b->dir != NULL) {
		char *abs = cfg_printf(b, "%s/%s", b->dir, w.v[0]);

		if (abs != NULL) {
			free(w.v[0]);
			w.v[0] = abs;
		}
	}
	cmd->argv = w.v;
	cmd->argc = w.n;
	if (env_merge(b, cmd, t->env, t->n_env) == 0 &&
	    env_merge(b, cmd, s->env, s->n_env) == 0 &&
	    env_merge(b, cmd, tc->env, tc->n_env) == 0)
		env_merge(b, cmd, sc->env, sc->n_env);
}

static SaTimeT first_time(SaTimeT a, SaTimeT b, SaTimeT c, SaTimeT d, SaTimeT def)
{
	return a ? a : b ? b : c ? c : d ? d : def;
}

/* Applies the defaults, then type t, then the component's own settings s. */
void cfg_comp_build(struct build *b, struct amf_comp *comp, const struct comp_set *t,
		       const struct comp_set *s)
{
	const struct cmd_set *ti = &t->cmd[CMD_INSTANTIATE], *si = &s->cmd[CMD_INSTANTIATE];
	uint32_t i, j;
	int k;

	comp->sa_aware = s->sa_aware >= 0 ? s->sa_aware : t->sa_aware >= 0 ? t->sa_aware : true;
	comp->restartable = s->restartable >= 0 ? s->restartable :
			    t->restartable >= 0 ? t->restartable : true;
	comp->recovery = s->recovery ? s->recovery : t->recovery ? t->recovery : DEF_RECOVERY;
	comp->csi_set_timeout = first_time(s->csi_set, s->callback, t->csi_set, t->callback,
					   DEF_CALLBACK_TIMEOUT);
	comp->csi_remove_timeout = first_time(s->csi_remove, s->callback, t->csi_remove,
					      t->callback, DEF_CALLBACK_TIMEOUT);
	comp->terminate_callback_timeout = first_time(s->terminate_cb, s->callback,
						      t->terminate_cb, t->callback,
						      DEF_CALLBACK_TIMEOUT);
	comp->quiescing_timeout = first_time(s->quiescing, s->callback, t->quiescing,
					     t->callback, DEF_CALLBACK_TIMEOUT);
	comp->instantiate_retries = si->has_retries ? si->retries :
				    ti->has_retries ? ti->retries : DEF_INST_RETRIES;
	comp->instantiate_retry_delay = si->has_delay ? si->delay :
					ti->has_delay ? ti->delay : 0;
	for (k = 0; k < CMD_COUNT; k++)
		build_command(b, comp, k, t, s);
	if (comp->instantiate.argv == NULL && si->cmd == NULL && ti->cmd == NULL)
		cfg_error(b->c, comp->line, "comp '%s': no instantiate command (add "
			  "<instantiate cmd=\"...\"/> to it or to comp-type '%s')",
			  comp->name, comp->type ? comp->type->name : CFG_DEFAULT_TYPE);

	/* Healthchecks: the type's, then the component's (same key replaces). */
	comp->healthchecks = cfg_calloc(b, (size_t)t->n_hc + s->n_hc, sizeof(*comp->healthchecks));
	if (comp->healthchecks == NULL)
		return;
	for (i = 0; i < t->n_hc; i++)
		comp->healthchecks[comp->n_healthchecks++] = t->hc[i];
	for (i = 0; i < s->n_hc; i++) {
		for (j = 0; j < t->n_hc; j++)
			if (comp->healthchecks[j].key.keyLen == s->hc[i].key.keyLen &&
			    memcmp(comp->healthchecks[j].key.key, s->hc[i].key.key,
				   s->hc[i].key.keyLen) == 0)
				break;
		if (j < t->n_hc)
			comp->healthchecks[j] = s->hc[i];
		else
			comp->healthchecks[comp->n_healthchecks++] = s->hc[i];
	}
}

