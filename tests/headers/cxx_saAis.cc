// saAis.h alone, as C++.
#include <saAis.h>
#include <saAis.h>

int self_cxx_saAis();

int self_cxx_saAis()
{
	SaNameT name = SaNameT();
	SaVersionT version = { 'B', 1, 1 };
	SaAisErrorT err = SA_AIS_OK;
	SaTimeT timeout = SA_TIME_MAX;

	return sizeof(name) == 258 && version.majorVersion == 1 &&
		err == SA_AIS_OK && timeout > 0 ? 0 : 1;
}
