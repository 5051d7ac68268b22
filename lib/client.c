/*
 * The client side of safd's IPC, shared by libSaMsg and libSaAmf.
 * See client.h for the contract.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/uio.h>

#include <qb/qbatomic.h>

#include <safd/ipc.h>
#include <safd/util.h>
#include "client.h"

static pthread_mutex_t hdb_lock = PTHREAD_MUTEX_INITIALIZER;

SaAisErrorT safd_version_negotiate(SaVersionT *version, SaUint8T max_major,
				   SaUint8T minor)
{
	bool ok = version->releaseCode == 'B' && version->majorVersion >= 1 &&
		  version->majorVersion <= max_major;

	/* 'B' is our only release: it is the nearest to any other code. */
	version->releaseCode = 'B';
	version->majorVersion = max_major;
	version->minorVersion = minor;
	return ok ? SA_AIS_OK : SA_AIS_ERR_VERSION;
}

static size_t conn_size(qb_ipcc_connection_t *conn)
{
	int32_t n = qb_ipcc_get_buffer_size(conn);

	return n > 0 ? (size_t)n : 0;
}

static SaAisErrorT errno_to_ais(ssize_t rc)
{
	switch (-rc) {
	case ETIMEDOUT: case EAGAIN: return SA_AIS_ERR_TIMEOUT;
	case ENOMEM: return SA_AIS_ERR_NO_MEMORY;
	case EMSGSIZE: return SA_AIS_ERR_TOO_BIG;
	default: return SA_AIS_ERR_LIBRARY;	/* safd went away */
	}
}

/* *broken is set when the connection cannot be used again: no answer, or
 * one that is not an answer. */
static SaAisErrorT send_recv(qb_ipcc_connection_t *conn, const void *req, size_t len,
			     void *res, size_t res_max, size_t *res_len,
			     int32_t timeout_ms, bool *broken)
{
	struct iovec iov = { .iov_base = (void *)req, .iov_len = len };
	const struct qb_ipc_response_header *h = res;
	ssize_t rc;

	rc = qb_ipcc_sendv_recv(conn, &iov, 1, res, res_max, timeout_ms);
	*broken = rc < 0 || (size_t)rc < sizeof(*h) || h->size != rc ||
		  h->error < SA_AIS_OK || h->error > SA_AIS_ERR_DEPLOYMENT;
	if (rc < 0)
		return errno_to_ais(rc);
	if (*broken)
		return SA_AIS_ERR_LIBRARY;
	if (res_len != NULL)
		*res_len = (size_t)rc;
	return (SaAisErrorT)h->error;
}

/* Opens one connection of the session with a `size`-byte buffer and says
 * hello. */
static SaAisErrorT open_conn(struct safd_client *c, uint32_t flags, size_t size,
			     qb_ipcc_connection_t **out, uint32_t *nodeid)
{
	struct req_lib_hello req = {
		.header = { .id = SAFD_REQ_HELLO, .size = sizeof(req) },
		.protocol = SAFD_IPC_PROTOCOL,
		.major_version = c->major,
		.session = c->session,
		.flags = flags,
	};
	struct res_lib_hello res;
	qb_ipcc_connection_t *conn;
	SaAisErrorT err;
	bool broken;

	conn = qb_ipcc_connect(c->name, size);
	if (conn == NULL && (errno == EACCES || errno == EPERM))
		return SA_AIS_ERR_ACCESS;	/* not in safd's --ipc-allow */
	if (conn == NULL && (errno == EMFILE || errno == ENFILE))
		return SA_AIS_ERR_NO_RESOURCES;	/* safd's or this process's limit */
	if (conn == NULL)
		return errno == ENOMEM ? SA_AIS_ERR_NO_MEMORY : SA_AIS_ERR_TRY_AGAIN;
	err = send_recv(conn, &req, sizeof(req), &res, sizeof(res), NULL,
			SAFD_CLIENT_REQUEST_TIMEOUT_MS, &broken);
	if (err != SA_AIS_OK) {
		qb_ipcc_disconnect(conn);
		return err;
	}
	if (nodeid != NULL)
		*nodeid = res.nodeid;
	*out = conn;
	return SA_AIS_OK;
}

static uint64_t random_token(void)
{
	uint64_t t = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &t, sizeof(t)) != sizeof(t))
			t = 0;
		close(fd);
	}
	if (t == 0)	/* no urandom: still unique per process and moment */
		t = ((uint64_t)getpid() << 32) ^ (uint64_t)safd_time_ns(CLOCK_MONOTONIC);
	return t | 1;
}

SaAisErrorT safd_client_connect(struct safd_client *c, const char *svc,
				SaUint8T major)
{
	const char *prefix = getenv("SAFD_IPC_PREFIX");
	SaAisErrorT err;

	if (prefix == NULL || *prefix == '\0')
		prefix = SAFD_IPC_PREFIX_DEFAULT;
	safd_ipc_name(c->name, sizeof(c->name), prefix, svc);
	c->major = major;
	c->session = random_token();
	if (c->main_size == 0)
		c->main_size = SAFD_IPC_CONN_SIZE;
	c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->wake_fd < 0)
		return SA_AIS_ERR_NO_RESOURCES;
	err = open_conn(c, SAFD_HELLO_MAIN_CONN, c->main_size, &c->conn, &c->nodeid);
	if (err != SA_AIS_OK)
		goto out_close;
	/* safd may have made the buffer larger (qb_ipcs_enforce_buffer_size) */
	c->main_size = conn_size(c->conn);
	c->event_buf = malloc(c->main_size);
	if (c->event_buf == NULL) {
		err = SA_AIS_ERR_NO_MEMORY;
		goto out_disconnect;
	}
	if (qb_ipcc_fd_get(c->conn, &c->ipc_fd) != 0) {
		err = SA_AIS_ERR_LIBRARY;
		goto out_free;
	}
	pthread_mutex_init(&c->main_lock, NULL);
	pthread_mutex_init(&c->pool_lock, NULL);
	pthread_mutex_init(&c->dispatch_lock, NULL);
	return SA_AIS_OK;

out_free:
	free(c->event_buf);
	c->event_buf = NULL;
out_disconnect:
	qb_ipcc_disconnect(c->conn);
	c->conn = NULL;
out_close:
	close(c->wake_fd);
	c->wake_fd = -1;
	return err;
}

void safd_client_disconnect(struct safd_client *c)
{
	int i;

	if (c->conn == NULL)
		return;
	for (i = 0; i < c->n_idle; i++)
		qb_ipcc_disconnect(c->idle[i]);
	c->n_idle = 0;
	qb_ipcc_disconnect(c->conn);
	c->conn = NULL;
	close(c->wake_fd);
	c->wake_fd = -1;
	pthread_mutex_destroy(&c->main_lock);
	pthread_mutex_destroy(&c->pool_lock);
	pthread_mutex_destroy(&c->dispatch_lock);
	free(c->event_buf);
	c->event_buf = NULL;
}

/* Takes a free connection of the session whose buffer holds `need` bytes
 * (see client.h): the main one if no request is on it, else an idle extra
 * one, else a new one. The main connection must live as long as the handle
 * (its fd is the selection object, it carries the events), and a request
 * that times out makes a connection unusable for requests. Once the main
 * connection is gone, safd is, and so is the session. */
static SaAisErrorT acquire(struct safd_client *c, size_t need,
			   qb_ipcc_connection_t **out)
{
	int i;

	if (!qb_ipcc_is_connected(c->conn))
		return SA_AIS_ERR_LIBRARY;
	if (need > SAFD_IPC_MAX_MSG)
		return SA_AIS_ERR_TOO_BIG;
	if (need <= c->main_size && pthread_mutex_trylock(&c->main_lock) == 0) {
		if (!c->main_broken) {
			*out = c->conn;	/* main_lock stays held: see release() */
			return SA_AIS_OK;
		}
		pthread_mutex_unlock(&c->main_lock);
	}
	pthread_mutex_lock(&c->pool_lock);
	for (i = c->n_idle - 1; i >= 0; i--) {
		if (conn_size(c->idle[i]) >= need) {
			*out = c->idle[i];
			c->idle[i] = c->idle[--c->n_idle];
			pthread_mutex_unlock(&c->pool_lock);
			return SA_AIS_OK;
		}
	}
	pthread_mutex_unlock(&c->pool_lock);
	return open_conn(c, 0, need > SAFD_IPC_CONN_SIZE ? SAFD_IPC_MAX_MSG :
			 SAFD_IPC_CONN_SIZE, out, NULL);
}

/* Gives a connection back; `failed` ones are closed (a late answer would
 * otherwise be read as the next request's). */
static void release(struct safd_client *c, qb_ipcc_connection_t *conn, bool failed)
{
	if (conn == c->conn) {
		if (failed)
			c->main_broken = true;	/* a late answer must not be
						 * read as the next one */
		pthread_mutex_unlock(&c->main_lock);
		return;
	}
	pthread_mutex_lock(&c->pool_lock);
	if (failed || c->n_idle == SAFD_CLIENT_IDLE_MAX) {
		pthread_mutex_unlock(&c->pool_lock);
		qb_ipcc_disconnect(conn);
		return;
	}
	c->idle[c->n_idle++] = conn;
	pthread_mutex_unlock(&c->pool_lock);
}

SaAisErrorT safd_client_call(struct safd_client *c, const void *req, size_t len,
			     void *res, size_t res_max, size_t *res_len,
			     int32_t timeout_ms)
{
	qb_ipcc_connection_t *conn;
	SaAisErrorT err;
	bool broken;

	err = acquire(c, len > res_max ? len : res_max, &conn);
	if (err != SA_AIS_OK)
		return err;
	err = send_recv(conn, req, len, res, res_max, res_len, timeout_ms, &broken);
	release(c, conn, broken);
	return err;
}

SaAisErrorT safd_client_request(struct safd_client *c, const void *req,
				size_t len, void *res, size_t res_max,
				size_t *res_len)
{
	return safd_client_call(c, req, len, res, res_max, res_len,
				SAFD_CLIENT_REQUEST_TIMEOUT_MS);
}

/* A copy of the event of n bytes in event_buf, in *ev (*len bytes). An
 * EV_FETCH is replaced by the event it names, fetched from safd on a
 * connection with the large buffer (ipc.h); *ev stays NULL when safd no
 * longer has it. */
static SaAisErrorT event_take(struct safd_client *c, size_t n, void **ev, size_t *len)
{
	const struct ev_fetch *f = c->event_buf;
	struct req_lib_event_fetch req = {
		.header = { .id = SAFD_REQ_EVENT_FETCH, .size = sizeof(req) },
	};
	SaAisErrorT err;

	*ev = NULL;
	if (n < sizeof(*f) || f->header.id != SAFD_EV_FETCH) {
		*ev = malloc(n);
		if (*ev == NULL)
			return SA_AIS_ERR_NO_MEMORY;
		memcpy(*ev, c->event_buf, n);
		*len = n;
		return SA_AIS_OK;
	}
	if (f->size < sizeof(struct qb_ipc_response_header) || f->size > SAFD_IPC_MAX_MSG)
		return SA_AIS_ERR_LIBRARY;
	*ev = malloc(f->size);
	if (*ev == NULL)
		return SA_AIS_ERR_NO_MEMORY;
	req.token = f->token;
	err = safd_client_request(c, &req, sizeof(req), *ev, f->size, len);
	if (err != SA_AIS_OK) {
		free(*ev);
		*ev = NULL;
	}
	return err == SA_AIS_ERR_NOT_EXIST ? SA_AIS_OK : err;
}

/* Runs at most `max` waiting events; *ran counts them. */
static SaAisErrorT run_events(struct safd_client *c, void *instance,
			      safd_event_fn fn, int max, int *ran)
{
	SaAisErrorT err = SA_AIS_OK;
	void *ev = NULL;
	size_t len = 0;
	ssize_t n;

	for (*ran = 0; *ran < max; (*ran)++) {
		if (qb_atomic_int_get(&c->finalizing))
			return SA_AIS_OK;
		/* read and fetched in order, one reader at a time */
		pthread_mutex_lock(&c->dispatch_lock);
		n = qb_ipcc_event_recv(c->conn, c->event_buf, c->main_size, 0);
		if (n > 0)
			err = event_take(c, (size_t)n, &ev, &len);
		pthread_mutex_unlock(&c->dispatch_lock);
		if (n == -EAGAIN || n == -ETIMEDOUT)
			return SA_AIS_OK;
		if (n < 0)
			return SA_AIS_ERR_LIBRARY;	/* safd went away */
		if (err != SA_AIS_OK)
			return err;
		if (ev == NULL)
			continue;
		fn(instance, ev, len);
		free(ev);
		ev = NULL;
	}
	return SA_AIS_OK;
}

SaAisErrorT safd_client_dispatch(struct safd_client *c, void *instance,
				 SaDispatchFlagsT flags, safd_event_fn fn)
{
	struct pollfd fds[2];
	SaAisErrorT err;
	int ran;

	switch (flags) {
	case SA_DISPATCH_ONE:
		return run_events(c, instance, fn, 1, &ran);
	case SA_DISPATCH_ALL:
		return run_events(c, instance, fn, INT32_MAX, &ran);
	case SA_DISPATCH_BLOCKING:
		break;
	default:
		return SA_AIS_ERR_INVALID_PARAM;
	}
	fds[0].fd = c->ipc_fd;
	fds[0].events = POLLIN;
	fds[1].fd = c->wake_fd;
	fds[1].events = POLLIN;
	while (!qb_atomic_int_get(&c->finalizing)) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return SA_AIS_ERR_LIBRARY;
		}
		if (fds[1].revents)
			break;
		err = run_events(c, instance, fn, INT32_MAX, &ran);
		if (err != SA_AIS_OK)
			return err;
		if (ran == 0 && (fds[0].revents & (POLLHUP | POLLERR)))
			return SA_AIS_ERR_LIBRARY;
	}
	return SA_AIS_OK;
}

bool safd_client_finalize(struct safd_client *c)
{
	uint64_t one = 1;

	if (!qb_atomic_int_compare_and_exchange(&c->finalizing, 0, 1))
		return false;
	if (write(c->wake_fd, &one, sizeof(one)) < 0) {
		/* The eventfd cannot overflow at 1; nothing else can fail. */
	}
	return true;
}

SaAisErrorT safd_handle_create(struct qb_hdb *db, size_t size, SaUint64T *handle,
			       void **instance)
{
	qb_handle_t h;
	int rc;

	pthread_mutex_lock(&hdb_lock);
	do {
		rc = qb_hdb_handle_create(db, (int32_t)size, &h);
		if (rc == 0 && h == 0)
			qb_hdb_handle_destroy(db, h);	/* never hand out 0 */
	} while (rc == 0 && h == 0);
	if (rc == 0)
		rc = qb_hdb_handle_get(db, h, instance);
	pthread_mutex_unlock(&hdb_lock);
	if (rc != 0)
		return SA_AIS_ERR_NO_MEMORY;
	*handle = h;
	return SA_AIS_OK;
}

void safd_handle_destroy(struct qb_hdb *db, SaUint64T handle)
{
	pthread_mutex_lock(&hdb_lock);
	qb_hdb_handle_destroy(db, handle);
	pthread_mutex_unlock(&hdb_lock);
}

int32_t safd_handle_get(struct qb_hdb *db, SaUint64T handle, void **instance)
{
	int32_t rc;

	pthread_mutex_lock(&hdb_lock);
	rc = qb_hdb_handle_get(db, handle, instance);
	pthread_mutex_unlock(&hdb_lock);
	return rc;
}

void safd_handle_put(struct qb_hdb *db, SaUint64T handle)
{
	pthread_mutex_lock(&hdb_lock);
	qb_hdb_handle_put(db, handle);
	pthread_mutex_unlock(&hdb_lock);
}

SaAisErrorT safd_handle_selection_object(struct qb_hdb *db, SaUint64T handle,
					 SaSelectionObjectT *selectionObject)
{
	struct safd_client *c;

	if (safd_handle_get(db, handle, (void **)&c) != 0)
		return SA_AIS_ERR_BAD_HANDLE;
	if (selectionObject != NULL)
		*selectionObject = (SaSelectionObjectT)c->ipc_fd;
	safd_handle_put(db, handle);
	return selectionObject != NULL ? SA_AIS_OK : SA_AIS_ERR_INVALID_PARAM;
}

SaAisErrorT safd_handle_dispatch(struct qb_hdb *db, SaUint64T handle,
				 SaDispatchFlagsT flags, safd_event_fn fn)
{
	struct safd_client *c;
	SaAisErrorT err;

	if (safd_handle_get(db, handle, (void **)&c) != 0)
		return SA_AIS_ERR_BAD_HANDLE;
	err = safd_client_dispatch(c, c, flags, fn);
	safd_handle_put(db, handle);
	return err;
}

SaAisErrorT safd_handle_finalize(struct qb_hdb *db, SaUint64T handle)
{
	struct safd_client *c;
	SaAisErrorT err = SA_AIS_OK;

	if (safd_handle_get(db, handle, (void **)&c) != 0)
		return SA_AIS_ERR_BAD_HANDLE;
	if (safd_client_finalize(c))
		safd_handle_destroy(db, handle);
	else
		err = SA_AIS_ERR_BAD_HANDLE;	/* another thread finalized it */
	safd_handle_put(db, handle);
	return err;
}

static uint16_t name_length(const SaNameT *name)
{
	uint16_t len = name->length;

	while (len > 0 && name->value[len - 1] == '\0')
		len--;
	return len;
}

SaAisErrorT safd_name_check(const SaNameT *name)
{
	uint16_t len;

	if (name == NULL || name->length > SA_MAX_NAME_LENGTH)
		return SA_AIS_ERR_INVALID_PARAM;
	len = name_length(name);
	if (len == 0 || memchr(name->value, '\0', len) != NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	return SA_AIS_OK;
}

void safd_name_to_wire(struct safd_name *w, const SaNameT *name)
{
	w->length = name != NULL ? name_length(name) : 0;
	if (w->length > 0)
		memcpy(w->value, name->value, w->length);
}

bool safd_name_from_wire(SaNameT *name, const struct safd_name *w)
{
	if (w->length > SA_MAX_NAME_LENGTH)
		return false;
	name->length = w->length;
	memcpy(name->value, w->value, w->length);
	if (w->length < SA_MAX_NAME_LENGTH)
		name->value[w->length] = '\0';	/* legacy code prints it with %s */
	return true;
}
