// Header self-containment, C++: each cxx_*.cc includes exactly one public
// header and is compiled on its own with -std=c++11 -Werror; link.c checks
// that the API has C linkage (see there).
#include <cstdio>

int self_cxx_saAis();
int self_cxx_saNtf();
int self_cxx_saMsg();
int self_cxx_saAmf();
extern "C" int link_c_callers(void);

static int report(const char *name, int rc)
{
	std::printf("%s: %s\n", name, rc == 0 ? "ok" : "FAILED");
	return rc != 0;
}

int main()
{
	int failed = 0;

	failed += report("saAis.h (C++)", self_cxx_saAis());
	failed += report("saNtf.h (C++)", self_cxx_saNtf());
	failed += report("saMsg.h (C++)", self_cxx_saMsg());
	failed += report("saAmf.h (C++)", self_cxx_saAmf());
	failed += report("C linkage of saMsg.h / saAmf.h", link_c_callers());
	return failed ? 1 : 0;
}
