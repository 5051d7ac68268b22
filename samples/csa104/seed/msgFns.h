/*
 * msgFns.h: the messaging module of the SAFplus csa104 sample, as printed in
 * the SAFplus evaluation guide (see ../README). Only the include guard and the
 * #include are added.
 */
#ifndef CSA104_MSGFNS_H
#define CSA104_MSGFNS_H

#include <saMsg.h>

/* ---- as printed ---- */
void        msgInitialize(void);
SaAisErrorT msgOpen(const char* queuename,int bytesPerPriority);
SaAisErrorT msgSend(const char* queuename, void* buffer, int length);
void*       msgReceiverLoop(void * notused);

#define ACTIVE_COMP_QUEUE "csa104msgqueue"
#define QUEUE_LENGTH 2048
/* ---- end of what is printed ---- */

#endif /* CSA104_MSGFNS_H */
