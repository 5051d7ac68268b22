/*
 * safd's log targets (file, stderr, syslog): libqb custom targets whose
 * lines a writer thread writes, so that a target that stops taking lines
 * never stops safd's loop. A log file on a disk whose journal commit takes
 * a second, a stderr pipe nobody reads, a syslog daemon that is behind:
 * each would block write() or syslog(), and with it every client, timer
 * and CPG message of this node.
 *
 * libqb's own threaded logging (QB_LOG_CONF_THREADED) does not do this:
 * its writer holds the queue's lock while it writes, so the loop spins on
 * that lock as soon as a write blocks (seen with libqb 2.0.6).
 *
 * Before safd_log_start() (and after safd_log_stop()) lines are written at
 * once, from the caller: startup errors must come out even when safd exits
 * before it has a thread. Lines wait in a queue of at most
 * SAFD_LOG_QUEUE_MAX bytes; beyond that they are dropped and counted, and
 * the count is written once the target takes lines again. The blackbox
 * (libqb's, in memory) is not a target of this file: it keeps everything.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <qb/qblist.h>
#include <qb/qblog.h>

#include "core.h"

#define SAFD_LOG_QUEUE_MAX (4u << 20)	/* bytes of lines waiting, all targets */
#define SAFD_LOG_STOP_WAIT_S 2		/* how long the last lines may take */

enum sink_kind { SINK_FD, SINK_SYSLOG };

struct sink {
	enum sink_kind kind;
	int fd;			/* SINK_FD */
	int32_t target;		/* libqb's target number */
};

struct line {
	struct qb_list_head list;
	struct sink *sink;
	int priority;
	size_t len;
	char text[];
};

static struct sink sinks[3];
static size_t n_sinks;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;	/* writer: lines or stop */
static pthread_cond_t idle = PTHREAD_COND_INITIALIZER;	/* stop: writer is done */
static QB_LIST_DECLARE(queue);
static size_t queued_bytes;
static unsigned long dropped;
static bool running, stopping, writer_done;
static pthread_t writer;

static void sink_write(struct sink *s, int priority, const char *text, size_t len)
{
	size_t off = 0;
	ssize_t n;

	if (s->kind == SINK_SYSLOG) {
		syslog(priority, "%s", text);
		return;
	}
	while (off < len) {
		n = write(s->fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* nowhere to report it; the blackbox has the line */
		off += (size_t)n;
	}
}

/* The writer thread: takes a line at a time, writes it without the lock. */
static void *writer_main(void *arg)
{
	struct line *l;
	unsigned long lost;
	char note[96];
	size_t i, len;

	pthread_mutex_lock(&lock);
	for (;;) {
		while (qb_list_empty(&queue) && dropped == 0 && !stopping)
			pthread_cond_wait(&wake, &lock);
		if (qb_list_empty(&queue) && dropped == 0)
			break;	/* stopping, and everything is written */
		if (qb_list_empty(&queue)) {
			lost = dropped;
			dropped = 0;
			pthread_mutex_unlock(&lock);
			len = (size_t)snprintf(note, sizeof(note),
					       "safd: %lu log lines dropped: the log did not "
					       "take them fast enough\n", lost);
			for (i = 0; i < n_sinks; i++)
				sink_write(&sinks[i], LOG_WARNING, note,
					   sinks[i].kind == SINK_SYSLOG ? len - 1 : len);
			pthread_mutex_lock(&lock);
			continue;
		}
		l = qb_list_first_entry(&queue, struct line, list);
		qb_list_del(&l->list);
		queued_bytes -= l->len;
		pthread_mutex_unlock(&lock);
		sink_write(l->sink, l->priority, l->text, l->len);
		free(l);
		pthread_mutex_lock(&lock);
	}
	writer_done = true;
	pthread_cond_signal(&idle);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* libqb calls this for every line the target's filter lets through. */
static void log_line(int32_t t, struct qb_log_callsite *cs, struct timespec *ts,
		     const char *msg)
{
	struct sink *s = qb_log_target_user_data_get(t);
	char text[QB_LOG_ABSOLUTE_MAX_LEN + 2];	/* + newline + NUL */
	struct line *l;
	size_t len;

	if (s == NULL)
		return;
	qb_log_target_format(t, cs, ts, msg, text);
	len = strnlen(text, QB_LOG_ABSOLUTE_MAX_LEN);
	if (s->kind == SINK_FD)
		text[len++] = '\n';	/* syslog() takes the line without one */
	text[len] = '\0';
	pthread_mutex_lock(&lock);
	if (!running) {
		pthread_mutex_unlock(&lock);
		sink_write(s, cs->priority, text, len);
		return;
	}
	if (queued_bytes + len > SAFD_LOG_QUEUE_MAX ||
	    (l = malloc(sizeof(*l) + len + 1)) == NULL) {
		dropped++;
		pthread_mutex_unlock(&lock);
		return;
	}
	l->sink = s;
	l->priority = cs->priority;
	l->len = len;
	memcpy(l->text, text, len + 1);
	qb_list_add_tail(&l->list, &queue);
	queued_bytes += len;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

static int sink_add(enum sink_kind kind, int fd, const char *format, int level)
{
	struct sink *s = &sinks[n_sinks];
	int32_t t;

	s->kind = kind;
	s->fd = fd;
	t = qb_log_custom_open(log_line, NULL, NULL, s);
	if (t < 0)
		return t;
	s->target = t;
	n_sinks++;
	qb_log_format_set(t, format);
	qb_log_filter_ctl(t, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
	qb_log_ctl(t, QB_LOG_CONF_ENABLED, QB_TRUE);
	return 0;
}

int safd_log_open(const char *file, bool to_stderr, bool to_syslog, int level)
{
	int fd, rc;

	/* Milliseconds (%T): recoveries take tens of them. */
	if (to_stderr && (rc = sink_add(SINK_FD, STDERR_FILENO, "%T %p [%N] %b", level)) < 0)
		return rc;
	if (to_syslog) {
		openlog("safd", LOG_PID, LOG_DAEMON);
		rc = sink_add(SINK_SYSLOG, -1, "%b", level);
		if (rc < 0)
			return rc;
	}
	if (file != NULL) {
		fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0)
			return -errno;
		rc = sink_add(SINK_FD, fd, "%T %p [%N] %b", level);
		if (rc < 0) {
			close(fd);
			return rc;
		}
	}
	return 0;
}

int safd_log_start(void)
{
	int rc;

	pthread_mutex_lock(&lock);
	running = true;
	stopping = false;
	writer_done = false;
	pthread_mutex_unlock(&lock);
	rc = pthread_create(&writer, NULL, writer_main, NULL);
	if (rc != 0) {
		pthread_mutex_lock(&lock);
		running = false;
		pthread_mutex_unlock(&lock);
		return -rc;
	}
	return 0;
}

/* Lets the writer finish the queue, for at most SAFD_LOG_STOP_WAIT_S: a
 * target that takes nothing must not keep safd from exiting. */
void safd_log_stop(void)
{
	struct timespec deadline;
	bool done;

	pthread_mutex_lock(&lock);
	if (!running) {
		pthread_mutex_unlock(&lock);
		return;
	}
	stopping = true;
	pthread_cond_signal(&wake);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += SAFD_LOG_STOP_WAIT_S;
	while (!writer_done)
		if (pthread_cond_timedwait(&idle, &lock, &deadline) == ETIMEDOUT)
			break;
	done = writer_done;
	if (done)
		running = false;	/* later lines are written at once */
	pthread_mutex_unlock(&lock);
	if (done)
		pthread_join(writer, NULL);
	else
		pthread_detach(writer);	/* stuck in a write; later lines wait
					 * in the queue and exit() ends both */
}
