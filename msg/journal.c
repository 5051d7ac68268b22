/*
 * The MSG journal: persistent queues and their messages on this node's disk
 * (LMDB), so that they survive a restart of the whole cluster (safd
 * --journal DIR; safd(8), "JOURNAL").
 *
 * What is written: every change to a persistent queue (SA_MSG_QUEUE_
 * PERSISTENT) that the cluster applies in agreed order while it holds a
 * majority: the queue and its capacity thresholds, each message stored,
 * each message consumed, the queue unlinked or deleted. Each such change
 * also counts one in the replicated durable generation
 * (msg_state.durable_gen), the same on every node with or without a
 * journal, so a journal's generation says how far it goes. Changes made
 * in a configuration without a majority are neither counted nor written
 * (a partition's are discarded when the partitions merge); a node that
 * made some and holds the state writes its journal anew from memory once
 * it is in a majority again (`drift`).
 *
 * When: the changes of one CPG dispatch go into one LMDB transaction,
 * committed (with --journal-sync yes, to the disk) at the end of the
 * dispatch, before this node acknowledges what it delivered and before it
 * answers its own clients (services/cpg.c); so an answered send is on the
 * disk of every node that journals.
 *
 * Restore: after a restart of the whole cluster nobody holds the state;
 * once the members keeping journals are a majority of the nodes, the
 * member whose journal has the highest generation loads it and feeds the
 * others (services/sync.c); the same when a journal is ahead of the state
 * of the members that hold one (they were a minority that stayed up). A
 * node that joins a running cluster gets the state like any other joiner
 * and writes its journal anew from it. While fewer than a majority hold
 * the state the cluster refuses changes (safd_durable_quorate()), so what
 * is answered is on a majority of the disks. A new, empty cluster empties
 * the journals.
 *
 * A journal that cannot be written (disk full, --journal-size reached, I/O
 * error) is given up: its generation is set to 0 so that it can never win
 * a restore, an error is logged, and safd goes on from memory.
 *
 * Layout (an LMDB environment in DIR): database "meta" holds "format" (1)
 * and "gen"; "queues" maps a queue id (8 bytes, big-endian) to struct
 * j_queue; "msgs" maps queue id + message seq (16 bytes, big-endian, so a
 * queue's messages are adjacent and in send order) to struct j_msg and the
 * payload.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lmdb.h>
#include <qb/qblog.h>

#include <safd/ipc_adm.h>
#include <safd/util.h>
#include "msg_int.h"

#define JOURNAL_FORMAT 1

struct j_queue {
	struct safd_name name;
	uint64_t id;
	uint64_t size[SAFD_MSG_PRIORITIES];
	uint64_t reached[SAFD_MSG_PRIORITIES];
	uint64_t available[SAFD_MSG_PRIORITIES];
	int64_t retention;
	uint32_t creation_flags;
	uint32_t pad;
};

struct j_msg {
	int64_t send_time;
	uint64_t sender_id;
	struct safd_msg_header hdr;
};

static struct {
	MDB_env *env;
	MDB_dbi meta, queues, msgs;
	MDB_txn *txn;		/* this dispatch's changes */
	bool failed;		/* given up: nothing more is written */
	bool drift;		/* changed in memory without a majority: the
				 * journal is written anew once there is one */
	uint64_t gen;		/* the generation the journal holds */
	char *dir;
} j;

static void be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

bool msg_journal_enabled(void)
{
	return j.env != NULL && !j.failed;
}

uint32_t safd_msg_journal_state(uint64_t *gen)
{
	*gen = msg_journal_enabled() ? j.gen : 0;
	return j.env == NULL ? SAFD_ADM_JOURNAL_NONE :
	       j.failed ? SAFD_ADM_JOURNAL_GIVEN_UP : SAFD_ADM_JOURNAL_WRITING;
}

static int put_gen(MDB_txn *t, uint64_t gen)
{
	MDB_val key = { 3, (void *)"gen" }, val = { sizeof(gen), &gen };

	return mdb_put(t, j.meta, &key, &val, 0);
}

uint64_t msg_journal_gen(void)
{
	if (safd_is_synced())
		return msg_state.durable_gen;
	return msg_journal_enabled() ? j.gen : 0;
}

/* Writing failed: no journal from now on, and the one on disk can never
 * win a restore (its generation is 0, if that much can still be written). */
static void give_up(const char *what, int rc)
{
	MDB_txn *txn;

	if (j.txn != NULL)
		mdb_txn_abort(j.txn);
	j.txn = NULL;
	j.failed = true;
	qb_log(LOG_ERR, "journal %s: %s failed: %s; persistent queues are kept in memory "
	       "only from now on (restart safd once the journal can be written)", j.dir, what,
	       mdb_strerror(rc));
	if (mdb_txn_begin(j.env, NULL, 0, &txn) == 0) {
		if (put_gen(txn, 0) != 0 || mdb_txn_commit(txn) != 0)
			qb_log(LOG_ERR, "journal %s: cannot mark it stale either", j.dir);
	}
}

/* The transaction of this dispatch, begun on first use; NULL if none. */
static MDB_txn *txn(void)
{
	int rc;

	if (!msg_journal_enabled())
		return NULL;
	if (j.txn == NULL && (rc = mdb_txn_begin(j.env, NULL, 0, &j.txn)) != 0) {
		j.txn = NULL;
		give_up("beginning a transaction", rc);
	}
	return j.txn;
}

void msg_journal_commit(void)
{
	int rc;

	if (j.drift && safd_is_synced() && safd_ordered_quorate()) {
		/* what changed without a majority is this lineage's now */
		j.drift = false;
		msg_journal_rewrite();
	}
	if (j.txn == NULL)
		return;
	if ((rc = put_gen(j.txn, msg_state.durable_gen)) != 0) {
		give_up("writing the generation", rc);
		return;
	}
	rc = mdb_txn_commit(j.txn);
	j.txn = NULL;
	if (rc != 0) {
		give_up("committing", rc);
		return;
	}
	j.gen = msg_state.durable_gen;
}

/* Whether a change to queue q counts (and is written): a persistent queue,
 * in a configuration with a majority. Counts it. */
static bool durable(const struct msg_queue *q)
{
	if (!(q->creation_flags & SA_MSG_QUEUE_PERSISTENT))
		return false;
	if (!safd_ordered_quorate()) {
		j.drift = true;
		return false;
	}
	msg_state.durable_gen++;
	return txn() != NULL;
}

static void msg_key(uint8_t *k, uint64_t id, uint64_t seq)
{
	be64(k, id);
	be64(k + 8, seq);
}

static void write_queue(const struct msg_queue *q)
{
	struct j_queue r = {
		.name = q->name, .id = q->id, .retention = q->retention,
		.creation_flags = q->creation_flags,
	};
	uint8_t k[8];
	MDB_val key = { sizeof(k), k }, val = { sizeof(r), &r };
	int rc;

	memcpy(r.size, q->size, sizeof(r.size));
	memcpy(r.reached, q->reached, sizeof(r.reached));
	memcpy(r.available, q->available, sizeof(r.available));
	be64(k, q->id);
	if ((rc = mdb_put(j.txn, j.queues, &key, &val, 0)) != 0)
		give_up("writing a queue", rc);
}

static void write_message(const struct msg_queue *q, const struct msg_message *m)
{
	uint8_t k[16];
	MDB_val key = { sizeof(k), k }, val = { sizeof(struct j_msg) + m->hdr.size, NULL };
	struct j_msg r = { .send_time = m->send_time, .sender_id = m->sender_id, .hdr = m->hdr };
	int rc;

	msg_key(k, q->id, m->seq);
	if ((rc = mdb_put(j.txn, j.msgs, &key, &val, MDB_RESERVE)) != 0) {
		give_up("writing a message", rc);
		return;
	}
	memcpy(val.mv_data, &r, sizeof(r));
	memcpy((uint8_t *)val.mv_data + sizeof(r), m->data, m->hdr.size);
}

/* Deletes the messages of queue id. */
static void delete_messages(uint64_t id)
{
	uint8_t k[16];
	MDB_val key = { sizeof(k), k }, val;
	MDB_cursor *c;
	int rc;

	if ((rc = mdb_cursor_open(j.txn, j.msgs, &c)) != 0) {
		give_up("opening a cursor", rc);
		return;
	}
	msg_key(k, id, 0);
	/* each round seeks again from k: the first message left of the queue */
	for (;;) {
		key.mv_size = sizeof(k);
		key.mv_data = k;
		rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
		if (rc != 0 || key.mv_size != 16 || get_be64(key.mv_data) != id ||
		    (rc = mdb_cursor_del(c, 0)) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		give_up("deleting messages", rc);
}

void msg_journal_queue(const struct msg_queue *q)
{
	if (durable(q))
		write_queue(q);
}

void msg_journal_queue_gone(const struct msg_queue *q)
{
	uint8_t k[8];
	MDB_val key = { sizeof(k), k };
	int rc;

	if (!durable(q))
		return;
	be64(k, q->id);
	rc = mdb_del(j.txn, j.queues, &key, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		give_up("deleting a queue", rc);
		return;
	}
	delete_messages(q->id);
}

void msg_journal_purge(const struct msg_queue *q)
{
	if (durable(q))
		delete_messages(q->id);
}

void msg_journal_message(const struct msg_queue *q, const struct msg_message *m)
{
	if (durable(q))
		write_message(q, m);
}

void msg_journal_consumed(const struct msg_queue *q, uint64_t seq)
{
	uint8_t k[16];
	MDB_val key = { sizeof(k), k };
	int rc;

	if (!durable(q))
		return;
	msg_key(k, q->id, seq);
	rc = mdb_del(j.txn, j.msgs, &key, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		give_up("deleting a message", rc);
}

/* After this node loaded the cluster state from another: the journal is
 * written anew from it. */
void msg_journal_rewrite(void)
{
	qb_map_iter_t *it;
	struct msg_queue *q;
	struct msg_message *m;
	int p, rc;

	if (txn() == NULL)
		return;
	if ((rc = mdb_drop(j.txn, j.queues, 0)) != 0 || (rc = mdb_drop(j.txn, j.msgs, 0)) != 0) {
		give_up("emptying", rc);
		return;
	}
	it = qb_map_iter_create(msg_state.queue_ids);
	while (qb_map_iter_next(it, (void **)&q) != NULL && j.txn != NULL) {
		if (!(q->creation_flags & SA_MSG_QUEUE_PERSISTENT) || q->unlinked)
			continue;
		write_queue(q);
		for (p = 0; p < SAFD_MSG_PRIORITIES && j.txn != NULL; p++)
			qb_list_for_each_entry(m, &q->msgs[p], list)
				if (j.txn != NULL)
					write_message(q, m);
	}
	msg_map_iter_free(it);
}

static int load_queue(const MDB_val *val, int64_t now)
{
	struct j_queue r;
	struct safd_queue_attrs attrs = { 0 };
	struct msg_queue *q;
	int p;

	if (val->mv_size != sizeof(r))
		return -EINVAL;
	memcpy(&r, val->mv_data, sizeof(r));
	if (msg_name_check(&r.name) < 0 || r.id == 0 || msg_queue_by_id(r.id) != NULL ||
	    msg_queue_find(&r.name) != NULL)
		return -EINVAL;
	attrs.creation_flags = r.creation_flags;
	attrs.retention = r.retention;
	memcpy(attrs.size, r.size, sizeof(attrs.size));
	if (msg_queue_attrs_check(&attrs) < 0 || msg_state.n_queues >= SAFD_MSG_MAX_QUEUES)
		return -EINVAL;
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++)
		if (r.available[p] > r.reached[p] || r.reached[p] > r.size[p])
			return -EINVAL;
	q = msg_queue_create(r.id, &r.name, &attrs);
	if (q == NULL)
		return -ENOMEM;
	memcpy(q->reached, r.reached, sizeof(q->reached));
	memcpy(q->available, r.available, sizeof(q->available));
	q->close_time = now;		/* closed: nobody has it open */
	if (r.id >= msg_state.next_queue_id)
		msg_state.next_queue_id = r.id + 1;
	return 0;
}

static int load_message(const MDB_val *key, const MDB_val *val)
{
	struct j_msg r;
	struct msg_queue *q;
	struct msg_message *m;
	uint64_t seq;

	if (key->mv_size != 16 || val->mv_size < sizeof(r))
		return -EINVAL;
	memcpy(&r, val->mv_data, sizeof(r));
	q = msg_queue_by_id(get_be64(key->mv_data));
	seq = get_be64((const uint8_t *)key->mv_data + 8);
	if (q == NULL || r.hdr.priority >= SAFD_MSG_PRIORITIES ||
	    r.hdr.size != val->mv_size - sizeof(r) || r.hdr.sender_name.length > 256 ||
	    !msg_queue_fits(q, r.hdr.priority, r.hdr.size))
		return -EINVAL;
	m = msg_message_new(seq, r.send_time, r.sender_id, &r.hdr,
			    (const uint8_t *)val->mv_data + sizeof(r));
	if (m == NULL)
		return -ENOMEM;
	msg_queue_append(q, m);
	if (seq >= msg_state.next_msg_seq)
		msg_state.next_msg_seq = seq + 1;
	return 0;
}

/* Walks one database, calling fn on each record; 0 or -errno. */
static int load_db(MDB_txn *t, MDB_dbi dbi, int (*fn)(const MDB_val *key, const MDB_val *val,
						      int64_t now), int64_t now,
		   uint32_t *count)
{
	MDB_cursor *c;
	MDB_val key, val;
	int rc, err = 0;

	if ((rc = mdb_cursor_open(t, dbi, &c)) != 0)
		return -EIO;
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0 && err == 0;
	     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		err = fn(&key, &val, now);
		(*count)++;
	}
	mdb_cursor_close(c);
	if (err == 0 && rc != MDB_NOTFOUND)
		err = -EIO;
	return err;
}

static int load_queue_rec(const MDB_val *key, const MDB_val *val, int64_t now)
{
	return key->mv_size == 8 ? load_queue(val, now) : -EINVAL;
}

static int load_message_rec(const MDB_val *key, const MDB_val *val, int64_t now)
{
	return load_message(key, val);
}

static int load(bool quiet)
{
	MDB_txn *t;
	uint32_t queues = 0, msgs = 0;
	int64_t now = safd_time_ns(CLOCK_REALTIME);
	int rc;

	if (!msg_journal_enabled())
		return 0;
	if ((rc = mdb_txn_begin(j.env, NULL, MDB_RDONLY, &t)) != 0) {
		qb_log(LOG_ERR, "journal %s: cannot read it: %s", j.dir, mdb_strerror(rc));
		return -EIO;
	}
	rc = load_db(t, j.queues, load_queue_rec, now, &queues);
	if (rc == 0)
		rc = load_db(t, j.msgs, load_message_rec, now, &msgs);
	mdb_txn_abort(t);
	if (rc < 0) {
		qb_log(LOG_ERR, "journal %s: record %u of the %s is damaged", j.dir,
		       msgs ? msgs : queues, msgs ? "messages" : "queues");
		return rc;
	}
	msg_state.durable_gen = j.gen;
	if (!quiet)
		qb_log(LOG_NOTICE, "journal %s: restored %u persistent queues and %u messages "
		       "(generation %llu)", j.dir, queues, msgs, (unsigned long long)j.gen);
	return 0;
}

int msg_journal_load(void)
{
	return load(false);
}

static int open_dbs(void)
{
	MDB_txn *t;
	MDB_val key = { 6, (void *)"format" }, val;
	uint32_t format = JOURNAL_FORMAT;
	int rc;

	if ((rc = mdb_txn_begin(j.env, NULL, 0, &t)) != 0)
		return rc;
	if ((rc = mdb_dbi_open(t, "meta", MDB_CREATE, &j.meta)) != 0 ||
	    (rc = mdb_dbi_open(t, "queues", MDB_CREATE, &j.queues)) != 0 ||
	    (rc = mdb_dbi_open(t, "msgs", MDB_CREATE, &j.msgs)) != 0)
		goto out;
	rc = mdb_get(t, j.meta, &key, &val);
	if (rc == MDB_NOTFOUND) {
		val.mv_size = sizeof(format);
		val.mv_data = &format;
		rc = mdb_put(t, j.meta, &key, &val, 0);
	} else if (rc == 0 && (val.mv_size != sizeof(format) ||
			       memcmp(val.mv_data, &format, sizeof(format)) != 0)) {
		qb_log(LOG_ERR, "journal %s: written in another format (not %u)", j.dir,
		       JOURNAL_FORMAT);
		rc = MDB_INCOMPATIBLE;
	}
	if (rc != 0)
		goto out;
	key.mv_size = 3;
	key.mv_data = (void *)"gen";
	rc = mdb_get(t, j.meta, &key, &val);
	if (rc == 0 && val.mv_size == sizeof(j.gen))
		memcpy(&j.gen, val.mv_data, sizeof(j.gen));
	else if (rc == 0)
		rc = MDB_CORRUPTED;
	else if (rc == MDB_NOTFOUND)
		rc = 0;
	if (rc != 0)
		goto out;
	return mdb_txn_commit(t);
out:
	mdb_txn_abort(t);
	return rc;
}

static int env_open(const char *dir, uint64_t max_bytes, bool sync, bool quiet)
{
	int rc;

	j.dir = strdup(dir);
	if (j.dir == NULL)
		return -ENOMEM;
	if ((rc = mdb_env_create(&j.env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(j.env, 3)) != 0 ||
	    (rc = mdb_env_set_mapsize(j.env, (size_t)max_bytes)) != 0 ||
	    (rc = mdb_env_open(j.env, dir, MDB_NOTLS | (sync ? 0 : MDB_NOSYNC), 0600)) != 0 ||
	    (rc = open_dbs()) != 0) {
		qb_log(LOG_CRIT, "journal %s: cannot open it: %s", dir,
		       rc > 0 && rc < 1000 ? strerror(rc) : mdb_strerror(rc));
		if (j.env != NULL)
			mdb_env_close(j.env);
		j.env = NULL;
		free(j.dir);
		j.dir = NULL;
		return -EIO;
	}
	if (!quiet)
		qb_log(LOG_NOTICE, "journal %s: generation %llu%s", dir,
		       (unsigned long long)j.gen, sync ? "" : " (not synced to disk at each commit)");
	return 0;
}

int safd_msg_journal_open(const char *dir, uint64_t max_bytes, bool sync)
{
	return env_open(dir, max_bytes, sync, false);
}

int safd_msg_journal_check(const char *dir, uint64_t max_bytes)
{
	int rc = env_open(dir, max_bytes, false, true);

	if (rc == 0) {
		/* every record, as a restore would load it */
		msg_state_init();
		rc = load(true);
		msg_sync_reset();
		msg_state_fini();
		mdb_env_close(j.env);
		j.env = NULL;
		free(j.dir);
		j.dir = NULL;
		j.gen = 0;
	}
	return rc;
}

void safd_msg_journal_close(void)
{
	if (j.env == NULL)
		return;
	msg_journal_commit();
	mdb_env_close(j.env);
	j.env = NULL;
	free(j.dir);
	j.dir = NULL;
}
