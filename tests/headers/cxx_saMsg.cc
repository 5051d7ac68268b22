// saMsg.h alone, as C++.
#include <saMsg.h>
#include <saMsg.h>

int self_cxx_saMsg();

// Declared by saMsg.h, defined here in C++.  link.c calls it by its C name,
// so this program links only if the header gives the API C linkage.
SaAisErrorT saMsgFinalize(SaMsgHandleT msgHandle)
{
	return msgHandle == 42 ? SA_AIS_OK : SA_AIS_ERR_BAD_HANDLE;
}

int self_cxx_saMsg()
{
	SaMsgMessageT message = SaMsgMessageT();
	SaMsgCallbacksT callbacks = SaMsgCallbacksT();

	return sizeof(message) == 40 && message.version == 0 &&
		callbacks.saMsgQueueOpenCallback == 0 ? 0 : 1;
}
