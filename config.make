# Sourced by nginx's auto/make: C++20 for the glue objects only (putting
# -std=c++20 into --with-cc-opt would also hit nginx's generated C file).
cat << END >> $NGX_MAKEFILE

objs/addon/ngx_eas_module/%.o: CFLAGS += -std=c++20
END
