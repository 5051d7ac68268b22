/*
 * Who may talk to safd: two lists, each of users and groups.
 *   --ipc-allow LIST    may connect to any service (the APIs, safctl);
 *                       default "root,@safd"
 *   --admin-allow LIST  may also run admin operations (safctl amf lock
 *                       ...); default "root"
 * LIST is comma separated: a user name or uid, or @ and a group name or
 * gid. A client is in a list when its uid is listed, or its primary group
 * or one of its user's supplementary groups (getgrouplist()) is. A name
 * that does not resolve is an error when the operator wrote it, and
 * skipped (with a notice) in the defaults: a host without a safd group
 * simply has only root.
 *
 * The lists are exhaustive: an operator who leaves root out locks root out.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>

#include "core.h"

#define ACCESS_MAX_IDS 64
#define ACCESS_MAX_GROUPS 256

struct access_list {
	uid_t users[ACCESS_MAX_IDS];
	size_t n_users;
	gid_t groups[ACCESS_MAX_IDS];
	size_t n_groups;
	char text[256];		/* as given, for messages */
};

static struct access_list ipc_list, admin_list;

static const char ipc_allow_default[] = "root,@safd";
static const char admin_allow_default[] = "root";

/* A decimal id that fits id_t, or -1. */
static long parse_id(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > INT_MAX)
		return -1;
	return v;
}

/* One entry: 0, or -EINVAL after a message on stderr (names that do not
 * resolve are only an error when `strict`). */
static int add_entry(struct access_list *l, const char *what, const char *item, bool strict)
{
	bool group = item[0] == '@';
	const char *name = group ? item + 1 : item;
	long id = parse_id(name);

	if (*name == '\0') {
		fprintf(stderr, "safd: %s: empty %s in '%s'\n", what, group ? "group" : "user",
			l->text);
		return -EINVAL;
	}
	if (id < 0 && group) {
		struct group *g = getgrnam(name);

		id = g != NULL ? (long)g->gr_gid : -1;
	} else if (id < 0) {
		struct passwd *p = getpwnam(name);

		id = p != NULL ? (long)p->pw_uid : -1;
	}
	if (id < 0) {
		if (strict) {
			fprintf(stderr, "safd: %s: no %s named '%s' on this host\n", what,
				group ? "group" : "user", name);
			return -EINVAL;
		}
		qb_log(LOG_INFO, "%s: no %s named '%s' on this host; skipped", what,
		       group ? "group" : "user", name);
		return 0;
	}
	if ((group ? l->n_groups : l->n_users) == ACCESS_MAX_IDS) {
		fprintf(stderr, "safd: %s: more than %d %s\n", what, ACCESS_MAX_IDS,
			group ? "groups" : "users");
		return -EINVAL;
	}
	if (group)
		l->groups[l->n_groups++] = (gid_t)id;
	else
		l->users[l->n_users++] = (uid_t)id;
	return 0;
}

static int parse_list(struct access_list *l, const char *what, const char *text, bool strict)
{
	char buf[sizeof(l->text)], *item, *save = NULL;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (strlen(text) >= sizeof(l->text)) {
		fprintf(stderr, "safd: %s: the list is longer than %zu characters\n", what,
			sizeof(l->text) - 1);
		return -EINVAL;
	}
	snprintf(l->text, sizeof(l->text), "%s", text);
	snprintf(buf, sizeof(buf), "%s", text);
	if (buf[0] == '\0' || buf[0] == ',' || buf[strlen(buf) - 1] == ',' ||
	    strstr(buf, ",,") != NULL) {
		fprintf(stderr, "safd: %s: '%s' is not a comma-separated list of users and "
			"@groups\n", what, text);
		return -EINVAL;
	}
	for (item = strtok_r(buf, ",", &save); item != NULL && rc == 0;
	     item = strtok_r(NULL, ",", &save))
		rc = add_entry(l, what, item, strict);
	return rc;
}

int safd_access_init(const char *ipc_allow, const char *admin_allow)
{
	if (parse_list(&ipc_list, "--ipc-allow", ipc_allow != NULL ? ipc_allow :
		       ipc_allow_default, ipc_allow != NULL) < 0)
		return -EINVAL;
	return parse_list(&admin_list, "--admin-allow", admin_allow != NULL ? admin_allow :
			  admin_allow_default, admin_allow != NULL);
}

static bool listed(const struct access_list *l, uid_t uid, gid_t gid, const gid_t *groups,
		   int n_groups)
{
	size_t i;
	int k;

	for (i = 0; i < l->n_users; i++)
		if (l->users[i] == uid)
			return true;
	for (i = 0; i < l->n_groups; i++) {
		if (l->groups[i] == gid)
			return true;
		for (k = 0; k < n_groups; k++)
			if (l->groups[i] == groups[k])
				return true;
	}
	return false;
}

enum safd_access safd_access_check(uid_t uid, gid_t gid)
{
	gid_t groups[ACCESS_MAX_GROUPS];
	int n = 0;
	struct passwd *p = getpwuid(uid);

	if (p != NULL) {
		n = ACCESS_MAX_GROUPS;
		if (getgrouplist(p->pw_name, gid, groups, &n) < 0)
			n = ACCESS_MAX_GROUPS;	/* the first ones were filled */
	}
	if (!listed(&ipc_list, uid, gid, groups, n))
		return SAFD_ACCESS_NONE;
	return listed(&admin_list, uid, gid, groups, n) ? SAFD_ACCESS_ADMIN : SAFD_ACCESS_USE;
}

const char *safd_access_ipc_text(void)
{
	return ipc_list.text;
}

const char *safd_access_admin_text(void)
{
	return admin_list.text;
}
