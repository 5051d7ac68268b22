/* saAis.h alone, as C99 (see tests/headers.am for the flags). */
#include <saAis.h>
#include <saAis.h>

int self_c_saAis(void);

int self_c_saAis(void)
{
	SaNameT name = { 0, { 0 } };
	SaVersionT version = { 'B', 1, 1 };
	SaTimeT timeout = SA_TIME_MAX;
	SaAisErrorT err = SA_AIS_ERR_DEPLOYMENT;
	SaNtfIdentifierT id = 0;

	return sizeof(name) == 258 && version.releaseCode == 'B' &&
		timeout > 0 && err == 40 && id == 0 ? 0 : 1;
}
