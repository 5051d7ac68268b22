/*
 * safd: the per-node daemon. Parses options, sets up logging, loads the
 * configuration, connects to corosync (CPG + quorum), starts one IPC server
 * per service and runs one libqb main loop until SIGTERM or SIGINT.
 *
 * Every path and name can be set by flag or environment (flags win), so tests
 * and demos run isolated and unprivileged.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qb/qblog.h>
#include <qb/qbloop.h>

#include <safd/util.h>
#include "core.h"
#include "safd_config.h"

struct options {
	bool foreground;
	bool debug;
	bool syslog;
	const char *config;
	const char *log_file;
	const char *ipc_prefix;
	const char *cpg_group;
	const char *state_dir;
	const char *ipc_allow;		/* NULL: the default */
	const char *admin_allow;
	long max_conns;
	long max_client_conns;
	const char *journal;		/* NULL: none */
	bool journal_nosync;
	uint64_t journal_size;
};

static qb_loop_t *loop;
static int exit_status = EXIT_SUCCESS;
static const char *blackbox_dir;

struct qb_loop *safd_loop(void)
{
	return loop;
}

const char *safd_state_dir(void)
{
	return blackbox_dir;
}

void safd_exit(int status)
{
	if (status != EXIT_SUCCESS && exit_status == EXIT_SUCCESS) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/safd-blackbox-%d", blackbox_dir,
			 (int)getpid());
		if (qb_log_blackbox_write_to_file(path) > 0)
			qb_log(LOG_NOTICE, "blackbox written to %s", path);
	}
	exit_status = status;
	qb_loop_stop(loop);
}

static int32_t on_signal(int32_t sig, void *data)
{
	qb_log(LOG_NOTICE, "signal %d: shutting down", sig);
	safd_exit(EXIT_SUCCESS);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
"Usage: safd [OPTIONS]\n"
"SA Forum AMF and Message Service daemon (one per node, on corosync).\n"
"\n"
"  -f, --foreground        stay in the foreground, log to stderr\n"
"  -c, --config FILE       configuration file (XML)        [$SAFD_CONFIG]\n"
"  -l, --log-file FILE     also log to FILE                [$SAFD_LOG_FILE]\n"
"  -d, --debug             log debug messages              [$SAFD_DEBUG=1]\n"
"  -s, --syslog            also log to syslog (the default without -f)\n"
"      --ipc-prefix NAME   IPC service names NAME-msg, NAME-amf, NAME-adm\n"
"                          (default safd)                  [$SAFD_IPC_PREFIX]\n"
"      --cpg-group NAME    corosync process group (default safd) [$SAFD_CPG_GROUP]\n"
"      --state-dir DIR     where the blackbox is written   [$SAFD_STATE_DIR]\n"
"      --ipc-allow LIST    who may connect: users, @groups, comma separated\n"
"                          (default root,@safd)           [$SAFD_IPC_ALLOW]\n"
"      --admin-allow LIST  who may run admin operations (default root)\n"
"                                                          [$SAFD_ADMIN_ALLOW]\n"
"      --max-connections N         client connections in all (default 1024)\n"
"      --max-client-connections N  per client process (default 256)\n"
"      --journal DIR       keep persistent message queues on disk in DIR (a\n"
"                          relative DIR is in the state directory), so that\n"
"                          a restart of the whole cluster keeps them\n"
"                                                          [$SAFD_JOURNAL]\n"
"      --journal-sync yes|no  flush the journal to the disk at every commit\n"
"                          (default yes)                   [$SAFD_JOURNAL_SYNC]\n"
"      --journal-size SIZE the most the journal may hold: N, NK, NM or NG\n"
"                          (default 1G)                    [$SAFD_JOURNAL_SIZE]\n"
"  -V, --version           print the version and exit\n"
"  -h, --help              print this help and exit\n");
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

/* A count option: 1..100000, else -1. */
static long count_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s != '\0' && *end == '\0' && v >= 1 && v <= 100000 ? v : -1;
}

/* A size with an optional K, M or G suffix, 1M..1T; 0 when invalid. */
static uint64_t size_arg(const char *s)
{
	char *end;
	unsigned long long v;
	uint64_t unit = 1;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return 0;
	if (*end == 'K' || *end == 'k')
		unit = 1ULL << 10;
	else if (*end == 'M' || *end == 'm')
		unit = 1ULL << 20;
	else if (*end == 'G' || *end == 'g')
		unit = 1ULL << 30;
	if ((unit != 1 && *++end != '\0') || *end != '\0' || v > (1ULL << 40) / unit)
		return 0;
	v *= unit;
	return v >= (1ULL << 20) ? v : 0;
}

/* Returns -1 to continue, otherwise an exit status. */
static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_IPC_PREFIX = 256, OPT_CPG_GROUP, OPT_STATE_DIR, OPT_IPC_ALLOW,
	       OPT_ADMIN_ALLOW, OPT_MAX_CONNS, OPT_MAX_CLIENT_CONNS, OPT_JOURNAL,
	       OPT_JOURNAL_SYNC, OPT_JOURNAL_SIZE };
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "log-file", required_argument, NULL, 'l' },
		{ "debug", no_argument, NULL, 'd' },
		{ "syslog", no_argument, NULL, 's' },
		{ "ipc-prefix", required_argument, NULL, OPT_IPC_PREFIX },
		{ "cpg-group", required_argument, NULL, OPT_CPG_GROUP },
		{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
		{ "ipc-allow", required_argument, NULL, OPT_IPC_ALLOW },
		{ "admin-allow", required_argument, NULL, OPT_ADMIN_ALLOW },
		{ "max-connections", required_argument, NULL, OPT_MAX_CONNS },
		{ "max-client-connections", required_argument, NULL, OPT_MAX_CLIENT_CONNS },
		{ "journal", required_argument, NULL, OPT_JOURNAL },
		{ "journal-sync", required_argument, NULL, OPT_JOURNAL_SYNC },
		{ "journal-size", required_argument, NULL, OPT_JOURNAL_SIZE },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sync, *size;
	int c;

	o->config = env_or("SAFD_CONFIG", NULL);
	o->journal = env_or("SAFD_JOURNAL", NULL);
	sync = env_or("SAFD_JOURNAL_SYNC", "yes");
	size = env_or("SAFD_JOURNAL_SIZE", "1G");
	o->log_file = env_or("SAFD_LOG_FILE", NULL);
	o->debug = strcmp(env_or("SAFD_DEBUG", "0"), "1") == 0;
	o->ipc_prefix = env_or("SAFD_IPC_PREFIX", SAFD_IPC_PREFIX_DEFAULT);
	o->cpg_group = env_or("SAFD_CPG_GROUP", "safd");
	o->state_dir = env_or("SAFD_STATE_DIR", "/var/lib/safd");
	o->ipc_allow = env_or("SAFD_IPC_ALLOW", NULL);
	o->admin_allow = env_or("SAFD_ADMIN_ALLOW", NULL);

	while ((c = getopt_long(argc, argv, "fc:l:dsVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->foreground = true; break;
		case 'c': o->config = optarg; break;
		case 'l': o->log_file = optarg; break;
		case 'd': o->debug = true; break;
		case 's': o->syslog = true; break;
		case OPT_IPC_PREFIX: o->ipc_prefix = optarg; break;
		case OPT_CPG_GROUP: o->cpg_group = optarg; break;
		case OPT_STATE_DIR: o->state_dir = optarg; break;
		case OPT_IPC_ALLOW: o->ipc_allow = optarg; break;
		case OPT_ADMIN_ALLOW: o->admin_allow = optarg; break;
		case OPT_MAX_CONNS: o->max_conns = count_arg(optarg); break;
		case OPT_MAX_CLIENT_CONNS: o->max_client_conns = count_arg(optarg); break;
		case OPT_JOURNAL: o->journal = optarg; break;
		case OPT_JOURNAL_SYNC: sync = optarg; break;
		case OPT_JOURNAL_SIZE: size = optarg; break;
		case 'V': printf("safd %s\n", PACKAGE_VERSION); return EXIT_SUCCESS;
		case 'h': usage(stdout); return EXIT_SUCCESS;
		default: usage(stderr); return 2;
		}
	}
	if (o->max_conns < 0 || o->max_client_conns < 0) {
		fprintf(stderr, "safd: --max-connections and --max-client-connections take a "
			"number from 1 to 100000\n");
		return 2;
	}
	if (strcmp(sync, "yes") != 0 && strcmp(sync, "no") != 0) {
		fprintf(stderr, "safd: --journal-sync takes yes or no, not '%s'\n", sync);
		return 2;
	}
	o->journal_nosync = strcmp(sync, "no") == 0;
	o->journal_size = size_arg(size);
	if (o->journal_size == 0) {
		fprintf(stderr, "safd: --journal-size takes a size from 1M to 1024G (N, NK, NM "
			"or NG), not '%s'\n", size);
		return 2;
	}
	if (o->journal != NULL && *o->journal == '\0') {
		fprintf(stderr, "safd: --journal needs a directory\n");
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "safd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (strlen(o->ipc_prefix) == 0 || strlen(o->ipc_prefix) > 32 ||
	    strchr(o->ipc_prefix, '/') != NULL) {
		fprintf(stderr, "safd: --ipc-prefix must be 1 to 32 characters without '/'\n");
		return 2;
	}
	return -1;
}

/* Every connection holds a file descriptor: the soft limit goes up to the
 * hard one, and the connection limit down to what fits. */
static void connection_limits(const struct options *o)
{
	uint32_t total = o->max_conns ? (uint32_t)o->max_conns : SAFD_IPC_MAX_CONNECTIONS;
	uint32_t per = o->max_client_conns ? (uint32_t)o->max_client_conns :
		       SAFD_IPC_MAX_CLIENT_CONNECTIONS;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)total + 128) {
			qb_log(LOG_WARNING, "only %llu file descriptors: at most %llu client "
			       "connections", (unsigned long long)rl.rlim_cur,
			       (unsigned long long)(rl.rlim_cur > 256 ? rl.rlim_cur - 128 : 128));
			total = (uint32_t)(rl.rlim_cur > 256 ? rl.rlim_cur - 128 : 128);
		}
	}
	safd_ipc_limits(total, per);
}

/* The journal's directory: absolute, or relative to the state directory;
 * created if missing and writable: checked before safd detaches, so that
 * a mistake is told on the terminal. */
static int journal_dir(const struct options *o, const char *state_dir, char *out)
{
	struct stat st = { 0 };

	errno = ENAMETOOLONG;
	if (snprintf(out, PATH_MAX, "%s%s%s", o->journal[0] == '/' ? "" : state_dir,
		     o->journal[0] == '/' ? "" : "/", o->journal) >= PATH_MAX)
		goto fail;
	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		goto fail;
	if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode))
		errno = ENOTDIR;
	if (!S_ISDIR(st.st_mode) || access(out, R_OK | W_OK | X_OK) < 0)
		goto fail;
	return safd_msg_journal_check(out, o->journal_size);
fail:
	qb_log(LOG_CRIT, "journal directory %s: %s", out, strerror(errno));
	return -1;
}

static int setup_logging(const struct options *o)
{
	int level = o->debug ? LOG_DEBUG : LOG_INFO;
	int rc;

	qb_log_init("safd", LOG_DAEMON, level);
	/* log.c's targets replace libqb's stderr and syslog ones */
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_FALSE);
	qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_FALSE);
	/* The blackbox keeps recent debug messages for post-mortems. */
	qb_log_ctl(QB_LOG_BLACKBOX, QB_LOG_CONF_SIZE, 1024 * 1024);
	qb_log_filter_ctl(QB_LOG_BLACKBOX, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*",
			  LOG_DEBUG);
	qb_log_ctl(QB_LOG_BLACKBOX, QB_LOG_CONF_ENABLED, QB_TRUE);
	rc = safd_log_open(o->log_file, o->foreground, o->syslog || !o->foreground, level);
	if (rc < 0) {
		fprintf(stderr, "safd: cannot open log file %s: %s\n",
			o->log_file != NULL ? o->log_file : "(none: stderr or syslog)",
			strerror(-rc));
		return -1;
	}
	return 0;
}

static int services_init(void)
{
	size_t i;
	int rc;

	for (i = 0; i < safd_service_count; i++) {
		if (safd_services[i]->init == NULL)
			continue;
		rc = safd_services[i]->init();
		if (rc < 0) {
			qb_log(LOG_CRIT, "%s: cannot start: %s", safd_services[i]->name,
			       strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static void services_fini(void)
{
	size_t i;

	for (i = safd_service_count; i > 0; i--)
		if (safd_services[i - 1]->fini)
			safd_services[i - 1]->fini();
}

int main(int argc, char **argv)
{
	static char state_dir[PATH_MAX], journal[PATH_MAX];
	struct options o = { 0 };
	int rc;

	rc = parse_options(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (setup_logging(&o) < 0)
		return EXIT_FAILURE;
	if (safd_access_init(o.ipc_allow, o.admin_allow) < 0)
		return 2;
	connection_limits(&o);
	/* Absolute, because daemon() changes to /; a missing directory only
	 * costs the blackbox, so it is a warning. */
	if (realpath(o.state_dir, state_dir) == NULL) {
		qb_log(LOG_WARNING, "state directory %s: %s; no blackbox will be written",
		       o.state_dir, strerror(errno));
		snprintf(state_dir, sizeof(state_dir), "%s", o.state_dir);
	}
	blackbox_dir = state_dir;
	if (o.config != NULL && safd_config_load(o.config) < 0)
		return 2;
	if (o.journal != NULL && journal_dir(&o, state_dir, journal) < 0)
		return 2;
	if (o.journal != NULL)
		o.journal = journal;
	if (!o.foreground && daemon(0, 0) < 0) {
		qb_log(LOG_CRIT, "cannot become a daemon: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	/* A thread does not survive daemon()'s fork: start it now. */
	if (safd_log_start() < 0)
		qb_log(LOG_WARNING, "no log writer thread: a slow log target will slow safd");
	qb_log(LOG_NOTICE, "safd %s starting", PACKAGE_VERSION);

	loop = qb_loop_create();
	if (loop == NULL) {
		qb_log(LOG_CRIT, "cannot create the main loop");
		safd_log_stop();
		qb_log_fini();
		return EXIT_FAILURE;
	}
	qb_loop_signal_add(loop, QB_LOOP_HIGH, SIGTERM, NULL, on_signal, NULL);
	qb_loop_signal_add(loop, QB_LOOP_HIGH, SIGINT, NULL, on_signal, NULL);
	signal(SIGHUP, SIG_IGN);	/* no reload yet; never die of a hangup */
	signal(SIGPIPE, SIG_IGN);

	rc = EXIT_FAILURE;
	if (services_init() < 0)
		goto out_loop;
	/* IPC first: a second safd on this node fails here, before it could
	 * join the cluster. Clients get TRY_AGAIN until the node is synced. */
	if (safd_ipc_start(loop, o.ipc_prefix, safd_services, safd_service_count) < 0)
		goto out_services;
	if (o.journal != NULL &&
	    safd_msg_journal_open(o.journal, o.journal_size, !o.journal_nosync) < 0)
		goto out_ipc;
	if (safd_quorum_start(loop) < 0)
		goto out_journal;
	if (safd_cpg_start(loop, o.cpg_group) < 0)
		goto out_quorum;

	qb_loop_run(loop);
	rc = exit_status;
	qb_log(LOG_NOTICE, "safd stopped");

	safd_cpg_stop();
out_quorum:
	safd_quorum_stop();
out_journal:
	safd_msg_journal_close();
out_ipc:
	safd_ipc_stop();
out_services:
	services_fini();
out_loop:
	qb_loop_destroy(loop);
	safd_config_free();
	safd_log_stop();
	qb_log_fini();
	return rc;
}
