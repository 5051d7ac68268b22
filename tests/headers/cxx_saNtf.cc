// saNtf.h alone, as C++.
#include <saNtf.h>
#include <saNtf.h>

int self_cxx_saNtf();

int self_cxx_saNtf()
{
	SaNtfCorrelationIdsT ids = SaNtfCorrelationIdsT();

	return sizeof(ids) == 24 && ids.rootCorrelationId ==
		SA_NTF_IDENTIFIER_UNUSED ? 0 : 1;
}
