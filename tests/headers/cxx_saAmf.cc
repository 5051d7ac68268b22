// saAmf.h alone, as C++.
#include <saAmf.h>
#include <saAmf.h>

int self_cxx_saAmf();

// See cxx_saMsg.cc: link.c calls this by its C name.
SaAisErrorT saAmfFinalize(SaAmfHandleT amfHandle)
{
	return amfHandle == 42 ? SA_AIS_OK : SA_AIS_ERR_BAD_HANDLE;
}

static void csi_set(SaInvocationT, const SaNameT *, SaAmfHAStateT,
	SaAmfCSIDescriptorT)
{
}

int self_cxx_saAmf()
{
	SaAmfCallbacksT callbacks = SaAmfCallbacksT();
	SaAmfCallbacksT_4 callbacks_4 = SaAmfCallbacksT_4();

	callbacks.saAmfCSISetCallback = csi_set;
	callbacks_4.saAmfCSISetCallback = csi_set;
	return sizeof(SaAmfCSIDescriptorT) > 0 &&
		callbacks.saAmfCSISetCallback ==
		callbacks_4.saAmfCSISetCallback ? 0 : 1;
}
