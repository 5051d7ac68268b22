/*
 * Shared by the files of safctl.
 */
#ifndef SAFCTL_H
#define SAFCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/client.h"

struct cmd {
	const char *words[2];	/* "status", or "msg" "queues" */
	int args;		/* positional arguments after the words */
	const char *svc;	/* safd service to talk to; NULL: works offline,
				 * fn gets no client */
	int (*fn)(struct safd_client *c, bool json, const char *arg);
};

/* safctl.c: output helpers */
void format_time(char *buf, size_t len, int64_t ns);
void print_wire_string(const char *s, size_t max);
void json_string(const char *s, size_t max);
const char *yes(bool b);

/* safctl_msg.c */
int cmd_msg_queues(struct safd_client *c, bool json, const char *arg);
int cmd_msg_queue(struct safd_client *c, bool json, const char *name);
int cmd_msg_groups(struct safd_client *c, bool json, const char *arg);

/* safctl_config.c: validates a configuration file; needs no safd */
int cmd_config_check(struct safd_client *c, bool json, const char *path);

/* safctl_amf.c */
int cmd_amf_status(struct safd_client *c, bool json, const char *arg);
int cmd_amf_lock(struct safd_client *c, bool json, const char *name);
int cmd_amf_unlock(struct safd_client *c, bool json, const char *name);
int cmd_amf_lock_in(struct safd_client *c, bool json, const char *name);
int cmd_amf_unlock_in(struct safd_client *c, bool json, const char *name);
int cmd_amf_shutdown(struct safd_client *c, bool json, const char *name);
int cmd_amf_restart(struct safd_client *c, bool json, const char *name);
int cmd_amf_repaired(struct safd_client *c, bool json, const char *name);
int cmd_amf_si_swap(struct safd_client *c, bool json, const char *name);

#endif /* SAFCTL_H */
