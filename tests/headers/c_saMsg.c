/* saMsg.h alone, as C99. */
#include <saMsg.h>
#include <saMsg.h>

int self_c_saMsg(void);

int self_c_saMsg(void)
{
	SaMsgMessageT message = { 0, 0, 0, 0, 0, 0 };
	SaMsgCallbacksT callbacks = { 0, 0, 0, 0 };

	message.version = 1;	/* the standard declares it SaUint32T */
	return sizeof(message) == 40 && message.version == 1 &&
		callbacks.saMsgMessageReceivedCallback == 0 ? 0 : 1;
}
