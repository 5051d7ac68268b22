/*
 * Wire format of the amf service (libSaAmf <-> safd). Not installed.
 * Only the common hello request exists so far; AMF requests are numbered
 * from 1 when they are added.
 */
#ifndef SAFD_IPC_AMF_H
#define SAFD_IPC_AMF_H

#include <safd/ipc.h>

#endif /* SAFD_IPC_AMF_H */
