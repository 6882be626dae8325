# Sourced by nginx's auto/make: C++20 for the glue objects only (putting
# -std=c++20 into --with-cc-opt would also hit nginx's generated C file).
# -O2 -fno-plt as for core/ (nginx's own default is -O): the glue runs on
# every request. The sanitizer build (SAN=1) compiles it at -O0, as core/.
cat << END >> $NGX_MAKEFILE

objs/addon/ngx_eas_module/%.o: CFLAGS += -std=c++20 ${EAS_GLUE_OPT:--O2} -fno-plt $EAS_SAN_FLAGS
END
