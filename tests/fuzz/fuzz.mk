# The libFuzzer targets, built with clang outside automake so that the
# ordinary build (gcc, autotools) stays as it is. scripts/check-fuzz runs
#     make -f tests/fuzz/fuzz.mk TOP=<source tree> BUILD=<configured build> OUT=<dir>
# BUILD gives config.h. Every object is built with ASan, UBSan (errors
# abort) and libFuzzer's coverage; the project's sources are compiled from
# the tree, so new files in msg/ and amf/ are picked up.

TOP ?= .
BUILD ?= $(TOP)/build
OUT ?= $(TOP)/build-fuzz
CC = clang

PKGS = libqb libxml-2.0 libcpg lmdb
SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
CFLAGS = -g -O1 -fno-omit-frame-pointer $(SAN) -fsanitize=fuzzer-no-link \
	-Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	-Wno-unused-parameter -Wno-missing-field-initializers
CPPFLAGS = -I$(TOP)/include -I$(BUILD) $(shell pkg-config --cflags $(PKGS)) \
	-DFUZZ_SRCDIR='"$(abspath $(TOP))/tests/fuzz"' \
	-DSAFD_SCHEMA_PATH='"$(abspath $(TOP))/amf/schema/safd.rng"' \
	-DSAFD_SCHEMA_SRC='"$(abspath $(TOP))/amf/schema/safd.rng"'
LDFLAGS = $(SAN) -fsanitize=fuzzer
# libcpg is not linked: tests/fuzz/daemon.c is libcpg.
LIBS = $(shell pkg-config --libs libqb libxml-2.0 lmdb) -ldl

CONFIG_SRCS = $(wildcard $(TOP)/amf/config*.c)
DAEMON_SRCS = $(addprefix $(TOP)/services/,services.c ipc.c cpg.c sync.c adm.c access.c config.c) \
	$(wildcard $(TOP)/msg/*.c) $(wildcard $(TOP)/amf/*.c) \
	$(TOP)/tests/fuzz/daemon.c
SAFCTL_SRCS = $(wildcard $(TOP)/tools/safctl*.c) $(CONFIG_SRCS)

obj = $(patsubst $(TOP)/%.c,$(OUT)/obj/%.o,$(1))

TARGETS = fuzz_ipc fuzz_cpg fuzz_config fuzz_safctl
all: $(addprefix $(OUT)/,$(TARGETS))

$(OUT)/fuzz_ipc: $(call obj,$(DAEMON_SRCS) $(TOP)/tests/fuzz/seeds.c $(TOP)/tests/fuzz/fuzz_ipc.c)
$(OUT)/fuzz_cpg: $(call obj,$(DAEMON_SRCS) $(TOP)/tests/fuzz/fuzz_cpg.c)
$(OUT)/fuzz_config: $(call obj,$(CONFIG_SRCS) $(TOP)/tests/fuzz/fuzz_config.c)
$(OUT)/fuzz_safctl: $(call obj,$(SAFCTL_SRCS) $(TOP)/tests/fuzz/fuzz_safctl.c)

# A libqb IPC or libcpg function the daemon calls without a fake in
# daemon.c would meet a fake connection or handle: refuse to build.
$(addprefix $(OUT)/,$(TARGETS)):
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
	@if nm -u $@ | grep -E ' (qb_ipcs_|cpg_)'; then \
		echo "$@: imports the functions above: add fakes to tests/fuzz/daemon.c"; \
		rm -f $@; exit 1; fi

# safctl's main() becomes safctl_main() for the harness.
$(OUT)/obj/tools/safctl.o: EXTRA = -Dmain=safctl_main -Wno-missing-prototypes

$(OUT)/obj/%.o: $(TOP)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(EXTRA) -MMD -MP -c $< -o $@

-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)

.PHONY: all
