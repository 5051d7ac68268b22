/*
 * saMsg.h alone, as C99, with the SAFplus 5/6 compatibility switch: code
 * written like SAFplus' csa104 example must compile unchanged.
 */
#define SA_MSG_VERSION_IS_SAVERSION
#include <saMsg.h>

int self_c_saMsg_saversion(void);

int self_c_saMsg_saversion(void)
{
	SaMsgMessageT message;

	message.type = 0;
	message.version.releaseCode = 0;
	message.version.majorVersion = 0;
	message.version.minorVersion = 0;
	message.size = 0;
	message.senderName = 0;
	message.data = 0;
	message.priority = SA_MSG_MESSAGE_HIGHEST_PRIORITY;
	return sizeof(message) == 40 && message.version.releaseCode == 0 ?
		0 : 1;
}
