/*
 * clCompAppMain.c: the csa104 fragments printed in the SAFplus evaluation
 * guide ("csa104 Messaging", "Putting it all Together"), built as they are
 * against the standard headers (with clshim.h for the OpenClovis calls):
 *
 *   - senderLoop(), verbatim;
 *   - clCompAppAMFCSISet(), verbatim up to where the guide cuts it ("...",
 *     after the STANDBY case); the QUIESCED and QUIESCING cases after it are
 *     ours;
 *   - the part of main() the guide shows (component name, registration, log
 *     stream, msgInitialize(), IOC port), verbatim.
 *
 * Everything else (the globals, the rest of main() around the printed part:
 * saAmfInitialize() with the B.01.01 callbacks, the dispatch loop;
 * clCompAppAMFPrintCSI(); the CSI remove and terminate callbacks) is ours,
 * written in the style of the SAFplus application template and kept
 * minimal. Sections between "---- as printed ----" and "---- end ----"
 * markers are the guide's text.
 *
 * Behaviour to expect from the seed (see ../README.md): the queue is created
 * with retention time 0, so messages sent while the active restarts are
 * refused (0xC) and one still queued when it dies is lost; the sender runs
 * every 2 s (sleep(2)), whatever CSA104_INTERVAL_MS says; an ACTIVE
 * assignment does not stop a running sender (the guide's failover log shows
 * the new active sending to itself).
 */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#include <saAmf.h>
#include <saMsg.h>
#include "clshim.h"
#include "msgFns.h"

/* ---- ours: the state the printed code uses ---- */
static SaAmfHandleT        amfHandle;
static SaNameT             appName;
static volatile int        standby;
static volatile int        running;
static ClPidT              mypid;
static ClLogStreamHandleT  gEvalLogStream;

void *senderLoop(void *p);
void clCompAppAMFCSISet(SaInvocationT invocation, const SaNameT *compName,
                        SaAmfHAStateT haState, SaAmfCSIDescriptorT csiDescriptor);
void clCompAppAMFCSIRemove(SaInvocationT invocation, const SaNameT *compName,
                           const SaNameT *csiName, SaAmfCSIFlagsT csiFlags);
void clCompAppTerminate(SaInvocationT invocation, const SaNameT *compName);

static const char *haStateName(SaAmfHAStateT s)
{
    switch (s)
    {
        case SA_AMF_HA_ACTIVE:    return "Active";
        case SA_AMF_HA_STANDBY:   return "Standby";
        case SA_AMF_HA_QUIESCED:  return "Quiesced";
        case SA_AMF_HA_QUIESCING: return "Quiescing";
    }
    return "Unknown";
}

static void clCompAppAMFPrintCSI(SaAmfCSIDescriptorT csiDescriptor,
                                 SaAmfHAStateT haState)
{
    SaUint32T i;

    clprintf(CL_LOG_SEV_INFO, "CSI Flags : [%s]",
             csiDescriptor.csiFlags == SA_AMF_CSI_ADD_ONE ? "Add One" :
             csiDescriptor.csiFlags == SA_AMF_CSI_TARGET_ONE ? "Target One" :
             csiDescriptor.csiFlags == SA_AMF_CSI_TARGET_ALL ? "Target All" :
             "Unknown");
    if (csiDescriptor.csiFlags != SA_AMF_CSI_TARGET_ALL)
        clprintf(CL_LOG_SEV_INFO, "CSI Name : [%.*s]",
                 csiDescriptor.csiName.length, csiDescriptor.csiName.value);
    if (csiDescriptor.csiFlags == SA_AMF_CSI_ADD_ONE)
    {
        clprintf(CL_LOG_SEV_INFO, "Name value pairs :");
        for (i = 0; i < csiDescriptor.csiAttr.number; i++)
            clprintf(CL_LOG_SEV_INFO, "Name : [%s] Value : [%s]",
                     csiDescriptor.csiAttr.attr[i].attrName,
                     csiDescriptor.csiAttr.attr[i].attrValue);
    }
    clprintf(CL_LOG_SEV_INFO, "HA state : [%s]", haStateName(haState));
    if (haState == SA_AMF_HA_ACTIVE)
    {
        SaAmfCSIActiveDescriptorT *a = &csiDescriptor.csiStateDescriptor.activeDescriptor;

        clprintf(CL_LOG_SEV_INFO, "Active Descriptor :");
        clprintf(CL_LOG_SEV_INFO, "Transition Descriptor : [%d]", (int)a->transitionDescriptor);
        clprintf(CL_LOG_SEV_INFO, "Active Component : [%.*s]",
                 a->activeCompName.length, a->activeCompName.value);
    }
    else if (haState == SA_AMF_HA_STANDBY)
    {
        SaAmfCSIStandbyDescriptorT *s = &csiDescriptor.csiStateDescriptor.standbyDescriptor;

        clprintf(CL_LOG_SEV_INFO, "Standby Descriptor :");
        clprintf(CL_LOG_SEV_INFO, "Standby Rank : [%u]", s->standbyRank);
        clprintf(CL_LOG_SEV_INFO, "Active Component : [%.*s]",
                 s->activeCompName.length, s->activeCompName.value);
    }
}
/* ---- end of ours ---- */

/* ---- as printed ---- */
void* senderLoop(void* p)
{
    int count =0;
    char msg[100];
    while (standby)
    {
        count++;
        snprintf(msg,99,"Msg %4d from %.*s",count,appName.length,appName.value);
        
        clprintf(CL_LOG_SEV_INFO,"csa104: Sending Message: %s",msg);
        msgSend(ACTIVE_COMP_QUEUE,msg,strlen(msg)+1);
        sleep(2);
    }
    return NULL;
}
/* ---- end ---- */

/* ---- as printed (up to the guide's "...") ---- */
void clCompAppAMFCSISet(SaInvocationT       invocation,
                        const SaNameT       *compName,
                        SaAmfHAStateT       haState,
                        SaAmfCSIDescriptorT csiDescriptor)
{
    /*
     * Print information about the CSI Set
     */

    clprintf (CL_LOG_SEV_INFO, "Component [%.*s] : PID [%d]. CSI Set Received\n", 
              compName->length, compName->value, mypid);

    clCompAppAMFPrintCSI(csiDescriptor, haState);

    /*
     * Take appropriate action based on state
     */

    switch ( haState )
    {
        case SA_AMF_HA_ACTIVE:
        {
            /*
             * AMF has requested application to take the active HA state 
             * for the CSI.
             */
            pthread_t thr;
            
            clprintf(CL_LOG_SEV_INFO,"csa104: ACTIVE state requested; activating message queue receiver service");
            running = 1;
            msgOpen(ACTIVE_COMP_QUEUE,QUEUE_LENGTH);
            pthread_create(&thr,NULL,msgReceiverLoop,NULL);
            
            saAmfResponse(amfHandle, invocation, SA_AIS_OK);
            break;
        }

        case SA_AMF_HA_STANDBY:
        {
            /*
             * AMF has requested application to take the standby HA state 
             * for this CSI.
             */
            pthread_t thr;
            clprintf(CL_LOG_SEV_INFO,"csa104: Standby state requested");
            running = 0;
            standby = 1;
            pthread_create(&thr,NULL,senderLoop,NULL);

            saAmfResponse(amfHandle, invocation, SA_AIS_OK);
            break;
        }
/* ---- end; the rest of the switch is ours ---- */

        case SA_AMF_HA_QUIESCED:
        {
            clprintf(CL_LOG_SEV_INFO,"csa104: Acknowledging new state quiesced");
            running = 0;
            standby = 0;
            saAmfResponse(amfHandle, invocation, SA_AIS_OK);
            break;
        }

        case SA_AMF_HA_QUIESCING:
        {
            clprintf(CL_LOG_SEV_INFO,"csa104: Signaling completion of QUIESCING");
            running = 0;
            standby = 0;
            saAmfResponse(amfHandle, invocation, SA_AIS_OK);
            saAmfCSIQuiescingComplete(amfHandle, invocation, SA_AIS_OK);
            break;
        }

        default:
        {
            saAmfResponse(amfHandle, invocation, SA_AIS_OK);
            break;
        }
    }
}

/* ---- ours: the other two callbacks and main() around the printed part ---- */
void clCompAppAMFCSIRemove(SaInvocationT invocation, const SaNameT *compName,
                           const SaNameT *csiName, SaAmfCSIFlagsT csiFlags)
{
    clprintf(CL_LOG_SEV_INFO, "Component [%.*s] : PID [%d]. CSI Remove Received",
             compName->length, compName->value, mypid);
    running = 0;
    standby = 0;
    saAmfResponse(amfHandle, invocation, SA_AIS_OK);
}

void clCompAppTerminate(SaInvocationT invocation, const SaNameT *compName)
{
    SaAisErrorT rc;

    clprintf(CL_LOG_SEV_INFO, "Component [%.*s] : PID [%d]. Terminating",
             compName->length, compName->value, mypid);
    running = 0;
    standby = 0;
    rc = saAmfComponentUnregister(amfHandle, compName, NULL);
    if (rc != SA_AIS_OK)
        clprintf(CL_LOG_SEV_ERROR, "saAmfComponentUnregister failed [0x%X]", rc);
    saAmfResponse(amfHandle, invocation, SA_AIS_OK);
    clprintf(CL_LOG_SEV_INFO, "Component [%.*s] : PID [%d]. Unregistered; exiting",
             compName->length, compName->value, mypid);
    exit(0);
}

int main(void)
{
    SaAisErrorT         rc;
    SaAmfCallbacksT     callbacks;
    SaVersionT          version;
    SaSelectionObjectT  dispatch_fd;
    ClIocPortT          iocPort;
    struct pollfd       pfd;

    setvbuf(stdout, NULL, _IOLBF, 0);
    mypid = getpid();

    version.releaseCode  = 'B';
    version.majorVersion = 1;
    version.minorVersion = 1;

    /* As in SAFplus: the proxied slots are left unset. */
    callbacks.saAmfHealthcheckCallback          = NULL;
    callbacks.saAmfComponentTerminateCallback   = clCompAppTerminate;
    callbacks.saAmfCSISetCallback               = clCompAppAMFCSISet;
    callbacks.saAmfCSIRemoveCallback            = clCompAppAMFCSIRemove;
    callbacks.saAmfProtectionGroupTrackCallback = NULL;

    if ( (rc = saAmfInitialize(&amfHandle, &callbacks, &version)) != SA_AIS_OK)
        goto errorexit;

/* ---- as printed ---- */
    /*
     * Now register the component with AMF. At this point it is
     * ready to provide service, i.e. take work assignments.
     */

    if ( (rc = saAmfComponentNameGet(amfHandle, &appName)) != SA_AIS_OK) 
        goto errorexit;
    if ( (rc = saAmfComponentRegister(amfHandle, &appName, NULL)) != SA_AIS_OK) 
        goto errorexit;

    /*
     * Initialize the log stream
     */
    clEvalAppLogStreamOpen((ClCharT*)appName.value, &gEvalLogStream);

    msgInitialize();
    
    /*
     * Print out standard information for this component.
     */

    clEoMyEoIocPortGet(&iocPort);
/* ---- end ---- */

    clprintf(CL_LOG_SEV_INFO, "Component [%.*s] : PID [%d]. Initializing",
             appName.length, appName.value, mypid);
    clprintf(CL_LOG_SEV_INFO, "   IOC Address             : 0x%x", clIocLocalAddressGet());
    clprintf(CL_LOG_SEV_INFO, "   IOC Port                : 0x%x", iocPort);
    clprintf(CL_LOG_SEV_INFO, "csa104: Instantiated as component instance %.*s.",
             appName.length, appName.value);
    clprintf(CL_LOG_SEV_INFO, "%.*s: Waiting for CSI assignment...",
             appName.length, appName.value);

    if ( (rc = saAmfSelectionObjectGet(amfHandle, &dispatch_fd)) != SA_AIS_OK)
        goto errorexit;
    pfd.fd = (int)dispatch_fd;
    pfd.events = POLLIN;
    for (;;)
    {
        if (poll(&pfd, 1, -1) < 0)
        {
            if (errno == EINTR)
                continue;
            rc = SA_AIS_ERR_LIBRARY;
            goto errorexit;
        }
        rc = saAmfDispatch(amfHandle, SA_DISPATCH_ALL);
        if (rc != SA_AIS_OK && rc != SA_AIS_ERR_TRY_AGAIN)
            goto errorexit;
    }

errorexit:
    clprintf(CL_LOG_SEV_ERROR, "Component [%.*s] : PID [%d]. Initialization or dispatch error [0x%x]",
             appName.length, appName.value, mypid, rc);
    return 1;
}
/* ---- end of ours ---- */
