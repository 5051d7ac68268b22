/* saAmf.h alone, as C99. */
#include <saAmf.h>
#include <saAmf.h>

int self_c_saAmf(void);

static void csi_set(SaInvocationT invocation, const SaNameT *compName,
	SaAmfHAStateT haState, SaAmfCSIDescriptorT csiDescriptor)
{
	(void)invocation;
	(void)compName;
	(void)haState;
	(void)csiDescriptor;
}

int self_c_saAmf(void)
{
	SaAmfCallbacksT callbacks;	/* B.01 style, as csa104 uses it */
	SaAmfCallbacksT_4 callbacks_4;
	saAmfRedundancyModelT model = SA_AMF_N_WAY_ACTIVE_REDUNDACY_MODEL;

	callbacks.saAmfCSISetCallback = csi_set;
	callbacks_4.saAmfCSISetCallback = csi_set;
	return sizeof(callbacks) == 7 * sizeof(void (*)(void)) &&
		callbacks.saAmfCSISetCallback == callbacks_4.saAmfCSISetCallback &&
		model == SA_AMF_N_WAY_ACTIVE_REDUNDANCY_MODEL ? 0 : 1;
}
