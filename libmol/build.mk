# SPDX-License-Identifier: GPL-2.0
# libmol: $(LIB)/libmol.a, $(LIB)/libmol.so, $(LIB)/pkgconfig/libmol.pc

LIBMOL_SRCS	:= $(wildcard libmol/*.c)
LIBMOL_OBJS	:= $(patsubst libmol/%.c,$(BUILD)/obj/libmol/%.o,$(LIBMOL_SRCS))
LIBMOL_HDRS	:= libmol/include/mol.h $(wildcard uapi/linux/*.h)

ALL_TARGETS	+= $(LIB)/libmol.a $(LIB)/libmol.so

$(BUILD)/obj/libmol/%.o: libmol/%.c $(LIBMOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -fvisibility=default -c -o $@ $<

$(LIB)/libmol.a: $(LIBMOL_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(LIB)/libmol.so: $(LIBMOL_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -shared -Wl,-soname,libmol.so -o $@ $^ $(LDFLAGS)
