/*
 * C caller for functions that cxx_saMsg.cc and cxx_saAmf.cc define in C++.
 * Without extern "C" in the headers those definitions get mangled names and
 * the C++ self-containment program fails to link.
 */
#include <saMsg.h>
#include <saAmf.h>

int link_c_callers(void);

int link_c_callers(void)
{
	return saMsgFinalize(42) == SA_AIS_OK &&
		saAmfFinalize(42) == SA_AIS_OK ? 0 : 1;
}
