/*
 * Wire format of the msg service (libSaMsg <-> safd). Not installed.
 * Only the common hello request exists so far; queue, message and group
 * requests are numbered from 1 when they are added.
 */
#ifndef SAFD_IPC_MSG_H
#define SAFD_IPC_MSG_H

#include <safd/ipc.h>

#endif /* SAFD_IPC_MSG_H */
