# SPDX-License-Identifier: GPL-2.0
# The demos `make run` shows (scripts/run.sh).
ALL_TARGETS	+= $(BIN)/molipc-demo $(BIN)/mol-procdemo

$(BIN)/molipc-demo: tests/demo/molipc-demo.c $(LIB)/libmol.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB)/libmol.a $(LDFLAGS)

# A plain Linux program: MoL makes it a MoL process at run time.
$(BIN)/mol-procdemo: tests/demo/mol-procdemo.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)
