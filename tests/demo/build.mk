# SPDX-License-Identifier: GPL-2.0
ALL_TARGETS	+= $(BIN)/molipc-demo

$(BIN)/molipc-demo: tests/demo/molipc-demo.c $(LIB)/libmol.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB)/libmol.a $(LDFLAGS)
