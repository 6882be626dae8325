# eas for nginx — every entry point: deps, build, test, run, bench, fuzz.
# `make run` and `make test` install what is missing, then do their job.

PORT      ?= 8080
LMTP_PORT ?= 2424
AUTODISCOVER_PORT ?= 8081
# `make test SAN=1`: the library, the tools, the unit tests and both nginx
# modules built with ASan+UBSan into build-san/ (the normal build stays),
# and the whole suite run on them: nginx (not instrumented) is started
# with the ASan runtime preloaded (t/lib/EasTest.pm), every report goes to
# a file the test then fails on.
SAN       ?=
ifeq ($(SAN),1)
BUILD     := build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD     := build
SAN_FLAGS :=
endif
# The tests and nginx's configure (config, config.make) read these.
export EAS_BUILD := $(BUILD)
export EAS_SAN_FLAGS := $(SAN_FLAGS)
export EAS_GLUE_OPT := $(if $(filter 1,$(SAN)),-O0,-O2)
NGX_SRC   := /usr/share/nginx/src
CXX       ?= g++
WBXML_CFLAGS := $(shell pkg-config --cflags libwbxml2 2>/dev/null)
# GMime 3 and libxml2 for core/mail (the MIME record, HTML -> text,
# attachments decoded for ItemOperations); the module links them too.
MAIL_CFLAGS := $(shell pkg-config --cflags gmime-3.0 libxml-2.0 2>/dev/null)
MAIL_LIBS   := $(shell pkg-config --libs gmime-3.0 libxml-2.0 2>/dev/null)
# Under SAN=1, -O0: GCC compiles with ASan+UBSan 5x faster than at -O2
# (26 s -> 5 s for core/commands/compose_mail.cpp), which brings the
# sanitizer build from 16 minutes to about 4 on two cores, and nothing is
# optimised away from under the checks. The tests wait on I/O far more
# than they compute, so the slower code costs them little.
ifeq ($(SAN),1)
CXXFLAGS  ?= -O0 -g
else
CXXFLAGS  ?= -O2 -g
endif
# -fPIC code may be interposed by default, so GCC would not inline one
# global function into another; nothing of ours is interposed (the module
# exports only ngx_modules): -fno-semantic-interposition, ~5% per request.
# -fno-plt: calls into libc, LMDB and OpenSSL go through the GOT, without a
# PLT stub each (5% fewer simulated instruction-cache misses per Sync).
CXXFLAGS  += -std=c++20 -Wall -Wextra -fPIC -fno-semantic-interposition -fno-plt -I. $(WBXML_CFLAGS) $(MAIL_CFLAGS) \
             $(SAN_FLAGS)
# libwbxml2.pc emits a bogus relative -L; link with plain -lwbxml2.
LIBS      := -lwbxml2 -llmdb -lical -lcrypto -lcurl -lsqlite3 -lpthread $(MAIL_LIBS)

# Debian 12 packages the build, the tests and the demo need.
# libcurl4-openssl-dev: SMTP to the relay (core/mail/smtp_client).
# libidn2-dev, libgpg-error-dev: their static archives, which eas-deliver
# links in (DELIVER_STATIC below); nothing else pulls them onto a fresh box.
# libnginx-mod-stream: Debian's stream module, which ngx_stream_eas_module
# (LMTP) needs loaded before it. libsqlite3-dev: the mailbox search index
# (core/search/, SQLite FTS5).
DEB_PKGS  := nginx nginx-dev libnginx-mod-stream g++ make pkg-config perl libwbxml2-dev \
             libwbxml2-utils libxml2-utils liblmdb-dev lmdb-utils libssl-dev \
             libcppunit-dev libical-dev libgmime-3.0-dev libxml2-dev python3 wrk \
             libcurl4-openssl-dev libidn2-dev libgpg-error-dev libsqlite3-dev

# Sources at any depth: base/ (shared by both), core/ (the protocol) and
# storage/ (LMDB) make one static library; each cli/<program>/ is a
# program linking it.
LIB_SRCS  := $(shell find base core storage -name '*.cpp' | sort)
LIB_OBJS  := $(LIB_SRCS:%.cpp=$(BUILD)/obj/%.o)
UNIT_SRCS := $(wildcard t/unit/*.cpp)
UNIT_OBJS := $(UNIT_SRCS:%.cpp=$(BUILD)/obj/%.o)
CLI_SRCS  := $(wildcard cli/common/*.cpp)
CLI_OBJS  := $(CLI_SRCS:%.cpp=$(BUILD)/obj/%.o)
EASCTL_SRCS := $(wildcard cli/easctl/*.cpp)
EASCTL_OBJS := $(EASCTL_SRCS:%.cpp=$(BUILD)/obj/%.o)
DELIVER_SRCS := $(wildcard cli/deliver/*.cpp)
DELIVER_OBJS := $(DELIVER_SRCS:%.cpp=$(BUILD)/obj/%.o)
LIB_HDRS  := $(shell find base core storage -name '*.hpp')
GLUE_SRCS := $(wildcard ngx_eas_module/*)

.PHONY: all deps bench-deps test-deps build unit test test-san-ci integration crash run bench bench-search soak fuzz \
        fuzz-build fuzz-replay clean
all: build

# Installs only what is missing of the packages $(1), as root or through
# sudo. $(2) = no-start: while apt-get runs, a policy-rc.d (only if the
# machine has none of its own) keeps the packages' services from starting.
# $(3): debconf answers (one "package question type value") given before
# the install, so that apt-get asks nothing. --no-remove: a package that
# would replace one of the machine's (postfix for another MTA) stops the
# install instead.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  [ -z "$(3)" ] || echo "$(3)" | $$SUDO debconf-set-selections || exit 1; \
	  policy=; \
	  if [ "$(2)" = no-start ] && [ ! -e /usr/sbin/policy-rc.d ]; then \
	    policy=/usr/sbin/policy-rc.d; \
	    printf '#!/bin/sh\n# make bench: no service starts while it installs\nexit 101\n' | $$SUDO tee $$policy >/dev/null; \
	    $$SUDO chmod 755 $$policy; \
	  fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-remove $$missing; \
	  rc=$$?; [ -z "$$policy" ] || $$SUDO rm -f $$policy; exit $$rc; \
	fi
endef

deps:
	$(call install_missing,$(DEB_PKGS))

# What only `make bench` needs: Dovecot (dovecot-lda and its LMTP server),
# the reference the delivery benchmark measures eas-deliver against. The
# benchmark runs it from its own config in a temporary directory; the
# packages' system service is not started by this install (on a systemd
# machine the package still enables dovecot.service for the next boot;
# with these packages alone it serves only LMTP on a local socket).
# dovecot-imapd: the search benchmark's reference, IMAP SEARCH TEXT over
# the same messages in Maildir (bench/mail_search.pl starts imap on a
# loopback port of its own).
BENCH_PKGS := dovecot-core dovecot-lmtpd dovecot-imapd

# What only `make test` needs: Postfix, which t/24-postfix.t runs from its
# own config and queue directories in a temporary directory. "No
# configuration": the package writes no /etc/postfix/main.cf, so its system
# service cannot start (postfix stops at the missing file, also when a
# systemd machine boots with the unit the package enables), and no-start
# keeps the install from trying. Nothing in DEB_PKGS wants an MTA, so apt
# installs no exim4 before it; postfix then is the machine's MTA.
# gdb: a worker that crashes in a test leaves a core, and the test prints
# its backtrace (t/lib/EasTest.pm).
TEST_PKGS := postfix gdb
POSTFIX_DEBCONF := postfix postfix/main_mailer_type select No configuration

test-deps: deps
	$(call install_missing,$(TEST_PKGS),no-start,$(POSTFIX_DEBCONF))

bench-deps: deps
	$(call install_missing,$(BENCH_PKGS),no-start)

build: $(BUILD)/libeas.a $(BUILD)/easctl $(BUILD)/eas-deliver $(BUILD)/unit-tests \
       $(BUILD)/ngx_http_eas_module.so $(BUILD)/ngx_stream_eas_module.so

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libeas.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/unit-tests: $(UNIT_OBJS) $(BUILD)/libeas.a
	$(CXX) $(CXXFLAGS) -o $@ $(UNIT_OBJS) $(BUILD)/libeas.a -lcppunit $(LIBS)

$(BUILD)/easctl: $(EASCTL_OBJS) $(CLI_OBJS) $(BUILD)/libeas.a
	$(CXX) $(CXXFLAGS) -o $@ $(EASCTL_OBJS) $(CLI_OBJS) $(BUILD)/libeas.a $(LIBS)

# eas-deliver runs once per message, and its start was most of its cost:
# with 31 shared libraries (GMime pulls GIO and gpgme, libxml2 and libical
# pull ICU) the dynamic loader took 35 % of its CPU and the kernel's page
# faults for mapping them most of the rest. So every library Debian ships
# as a static archive (in the -dev packages DEB_PKGS installs) is linked
# in, libstdc++ too, and only the members it uses come along; those
# without one stay shared (-l:name: no -dev symlink for them). A library
# not used at all is still dropped (--as-needed).
DELIVER_STATIC := -lgmime-3.0 -lgio-2.0 -lgobject-2.0 -lgmodule-2.0 -lglib-2.0 -lxml2 -lical \
                  -licui18n -licuuc -licudata -llmdb -lcrypto -lpcre2-8 -lffi -lz -llzma -lidn2 \
                  -lgpg-error -lselinux -lsepol -lblkid
DELIVER_SHARED := -l:libgpgme.so.11 -l:libassuan.so.0 -l:libunistring.so.2 -l:libmount.so.1 \
                  -lwbxml2 -lpthread -ldl -lm
# Under SAN=1 it links as easctl does: the sanitizers' runtimes are shared.
$(BUILD)/eas-deliver: $(DELIVER_OBJS) $(CLI_OBJS) $(BUILD)/libeas.a
ifeq ($(SAN),1)
	$(CXX) $(CXXFLAGS) -o $@ $(DELIVER_OBJS) $(CLI_OBJS) $(BUILD)/libeas.a $(LIBS)
else
	$(CXX) $(CXXFLAGS) -static-libstdc++ -static-libgcc -Wl,--as-needed -o $@ $(DELIVER_OBJS) $(CLI_OBJS) \
	  $(BUILD)/libeas.a -Wl,-Bstatic -Wl,--start-group $(DELIVER_STATIC) -Wl,--end-group \
	  -Wl,-Bdynamic $(DELIVER_SHARED)
endif

# The dynamic modules, built against Debian's nginx sources (nginx-dev) with
# the flags of the distribution binary, so the module signature matches.
# --with-stream=dynamic gives our stream module (LMTP) its headers; only
# our two targets are built (nginx-dev ships stream's headers, not its
# sources: Debian's libnginx-mod-stream is the stream module at run time).
NGX_BUILD := $(BUILD)/nginx
NGX_MODULES := ngx_http_eas_module.so ngx_stream_eas_module.so
$(NGX_BUILD)/objs/Makefile: config config.make
	rm -rf $(NGX_BUILD)
	@mkdir -p $(BUILD)
	cp -r $(NGX_SRC) $(NGX_BUILD)
	cd $(NGX_BUILD) && bash -c '. ./conf_flags && ./configure "$${NGX_CONF_FLAGS[@]}" --with-stream=dynamic --add-dynamic-module=$(CURDIR)' > $(CURDIR)/$(BUILD)/nginx-configure.log 2>&1 \
	  || { tail -20 $(CURDIR)/$(BUILD)/nginx-configure.log; exit 1; }

$(NGX_MODULES:%=$(BUILD)/%) &: $(NGX_BUILD)/objs/Makefile $(BUILD)/libeas.a $(GLUE_SRCS) $(LIB_HDRS)
	rm -f $(NGX_MODULES:%=$(NGX_BUILD)/objs/%)
	@# nginx's Makefile knows only the glue headers: recompile the glue when
	@# a core header (struct layout) changed.
	rm -f $(NGX_BUILD)/objs/addon/ngx_eas_module/*.o
	$(MAKE) -C $(NGX_BUILD) -f objs/Makefile $(NGX_MODULES:%=objs/%)
	cp $(NGX_MODULES:%=$(NGX_BUILD)/objs/%) $(BUILD)/

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

# The integration tests start a real nginx with the module (t/*.t).
integration: build
	prove -v t/

# Built on every core: a clean clone compiles ~250 files.
# Under SAN=1 the unit tests also look for leaks (none to suppress: what
# GLib, GMime, libical and OpenSSL keep for the whole process stays
# reachable); the integration tests (t/lib/EasTest.pm, EAS_SAN) fail on
# any ASan or UBSan report of a worker or tool.
SAN_UNIT_ENV := ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
# TESTS: the integration files to run (all of t/ by default), one after
# the other: 10.5 minutes on two cores (the schema checks run beside each
# file and remember what they found valid: t/lib/EasTest.pm). Side by side
# (prove -j2) t/50's waits for the relay miss under load (seen with -j3
# beside t/45 and t/48): not until every timed wait in t/ is load-proof.
TESTS ?= t/
test: test-deps
	$(MAKE) -j$$(nproc) build $(if $(SAN),,fuzz-replay)
	$(if $(SAN),$(SAN_UNIT_ENV)) $(BUILD)/unit-tests
	$(if $(SAN),EAS_SAN=1) prove $(TESTS)

# CI's sanitizer pass (.ci/run, after make test): the SAN build and unit
# tests, and the integration files that drive the most code (every kind of
# write killed and retried, Sync, Ping and reload, Search, ItemOperations,
# SmartReply, MeetingResponse, Provision, Autodiscover, LMTP, easctl
# import/export, one user's requests against another's data). From
# nothing, on two cores: 6 minutes of build (at -O0), then about 5 of
# tests; the whole suite under SAN (`make test SAN=1`) takes longer.
SAN_CI_TESTS := t/07-ping.t t/08-import-export.t t/09-sync.t t/10-provision.t t/20-item-operations.t \
                t/21-lmtp.t t/31-smart-reply.t t/33-meeting-response.t t/35-autodiscover.t \
                t/36-search.t t/45-crash.t t/47-isolation.t t/50-meeting-reply-dedup.t
test-san-ci:
	$(MAKE) test SAN=1 TESTS="$(SAN_CI_TESTS)"

# The crash test's long mode: 1000 kill points (SIGKILL of nginx workers,
# eas-deliver and easctl mid-write), each followed by easctl check and a
# look through the clients' view (t/45-crash.t; `make test` runs 30).
CRASH_POINTS ?= 1000
crash: test-deps
	$(MAKE) -j$$(nproc) build
	CRASH_POINTS=$(CRASH_POINTS) prove -v t/45-crash.t

# Fuzzing. One libFuzzer target per input surface (fuzz/fuzz_<name>.cpp,
# its seed corpus in fuzz/corpus-<name>/). The library is compiled once
# with clang, coverage and ASan+UBSan into $(BUILD)/fuzz/obj and archived;
# every target links that archive. `make fuzz` runs each target for
# FUZZ_SECONDS on a scratch copy of its corpus (new inputs stay out of the
# tree). `make fuzz-replay` (part of `make test`) links the same target
# sources with fuzz/replay_main.cpp against the normal build's libeas.a
# and feeds them every committed corpus file: an input that once crashed
# and was committed fails the suite for good.
FUZZ_TARGETS := wbxml query mime_record vcard ical lmtp autodiscover request
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 65536
FUZZ_OBJ  := $(BUILD)/fuzz/obj
FUZZ_CXXFLAGS := -std=c++20 -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
                 -fno-sanitize-recover=undefined -I. $(WBXML_CFLAGS) $(MAIL_CFLAGS)
FUZZ_LDFLAGS  := -fsanitize=fuzzer,address,undefined
FUZZ_LIB_OBJS := $(LIB_SRCS:%.cpp=$(FUZZ_OBJ)/%.o)
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
REPLAY_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay/fuzz_%)
# The targets' objects stay (make would delete them as intermediates).
.SECONDARY: $(FUZZ_TARGETS:%=$(FUZZ_OBJ)/fuzz/fuzz_%.o) $(FUZZ_TARGETS:%=$(BUILD)/obj/fuzz/fuzz_%.o) \
            $(BUILD)/obj/fuzz/replay_main.o

$(FUZZ_OBJ)/%.o: %.cpp
	@mkdir -p $(dir $@)
	clang++ $(FUZZ_CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/libeas.a: $(FUZZ_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: $(FUZZ_OBJ)/fuzz/fuzz_%.o $(BUILD)/fuzz/libeas.a
	clang++ $(FUZZ_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz-replay/fuzz_%: $(BUILD)/obj/fuzz/fuzz_%.o $(BUILD)/obj/fuzz/replay_main.o $(BUILD)/libeas.a
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -o $@ $^ $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: deps
	@dpkg-query -W clang libclang-rt-14-dev >/dev/null 2>&1 || { SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q clang libclang-rt-14-dev; }
	$(MAKE) fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf $(BUILD)/fuzz/corpus-$$t && cp -r fuzz/corpus-$$t $(BUILD)/fuzz/corpus-$$t || exit 1; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  $(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) \
	    -artifact_prefix=$(BUILD)/fuzz/fuzz_$$t- $(BUILD)/fuzz/corpus-$$t || exit 1; \
	done

fuzz-replay: $(REPLAY_BINS)
	@for t in $(FUZZ_TARGETS); do $(BUILD)/fuzz-replay/fuzz_$$t fuzz/corpus-$$t || exit 1; done

bench: bench-deps
	$(MAKE) build
	BENCH_SEARCH_MESSAGES=$(BENCH_SEARCH_MESSAGES) bench/run.sh

# Mailbox search alone (also part of `make bench`): BENCH_SEARCH_MESSAGES
# delivered to nginx and to Dovecot, then Search's p50/p99 next to
# Dovecot's IMAP SEARCH TEXT, indexing rate and index size
# (bench/mail_search.pl). `make bench-search BENCH_SEARCH_MESSAGES=10000`
# is a quick run; 100,000 take a while.
BENCH_SEARCH_MESSAGES ?= 100000
bench-search: bench-deps
	$(MAKE) build
	BENCH_PARTS=search BENCH_SEARCH_MESSAGES=$(BENCH_SEARCH_MESSAGES) bench/run.sh

# Load: SOAK_CONNECTIONS phones of mixed traffic for SOAK_SECONDS against
# a real nginx reloaded every 30 s, then the checks (bench/soak.pl: no
# 5xx, no lost or duplicated message, easctl check, memory, fds and LMDB
# reader slots flat) and the no-change Sync's latency next to bare nginx.
SOAK_SECONDS ?= 600
SOAK_CONNECTIONS ?= 64
soak: deps
	$(MAKE) build
	SOAK_SECONDS=$(SOAK_SECONDS) SOAK_CONNECTIONS=$(SOAK_CONNECTIONS) bench/soak.pl

run: deps
	$(MAKE) -j$$(nproc) build
	PORT=$(PORT) LMTP_PORT=$(LMTP_PORT) AUTODISCOVER_PORT=$(AUTODISCOVER_PORT) demo/run.sh

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(EASCTL_OBJS:.o=.d) $(DELIVER_OBJS:.o=.d) \
         $(CLI_OBJS:.o=.d) $(FUZZ_LIB_OBJS:.o=.d) $(wildcard $(FUZZ_OBJ)/fuzz/*.d $(BUILD)/obj/fuzz/*.d)
