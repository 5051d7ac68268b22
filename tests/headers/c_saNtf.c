/* saNtf.h alone, as C99. */
#include <saNtf.h>
#include <saNtf.h>

int self_c_saNtf(void);

int self_c_saNtf(void)
{
	SaNtfCorrelationIdsT ids = { SA_NTF_IDENTIFIER_UNUSED,
		SA_NTF_IDENTIFIER_UNUSED, SA_NTF_IDENTIFIER_UNUSED };

	return sizeof(ids) == 24 && ids.notificationId == 0 ? 0 : 1;
}
