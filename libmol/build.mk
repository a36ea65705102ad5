# SPDX-License-Identifier: GPL-2.0
# libmol: $(LIB)/libmol.a, $(LIB)/libmol.so, $(LIB)/pkgconfig/libmol.pc

LIBMOL_SRCS	:= $(wildcard libmol/*.c)
LIBMOL_OBJS	:= $(patsubst libmol/%.c,$(BUILD)/obj/libmol/%.o,$(LIBMOL_SRCS))
LIBMOL_HDRS	:= libmol/include/mol.h $(wildcard uapi/linux/*.h)
# The container (LD_PRELOAD) goes into libmol.so only, never libmol.a.
CONTAINER_OBJS	:= $(patsubst libmol/%.c,$(BUILD)/obj/libmol/%.o,\
		   $(wildcard libmol/container/*.c))
$(CONTAINER_OBJS): $(wildcard libmol/container/*.h)

ALL_TARGETS	+= $(LIB)/libmol.a $(LIB)/libmol.so

$(BUILD)/obj/libmol/%.o: libmol/%.c $(LIBMOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -fvisibility=default -c -o $@ $<

$(LIB)/libmol.a: $(LIBMOL_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(LIB)/libmol.so: $(LIBMOL_OBJS) $(CONTAINER_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -shared -Wl,-soname,libmol.so -o $@ $^ $(LDFLAGS)

# pkg-config file and installation (PREFIX, DESTDIR).
PREFIX		?= /usr/local
MOL_VERSION	:= 1.0
ALL_TARGETS	+= $(LIB)/pkgconfig/libmol.pc

$(LIB)/pkgconfig/libmol.pc: libmol/libmol.pc.in libmol/build.mk
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(MOL_VERSION)|' $< > $@

.PHONY: install-libmol
install-libmol: $(LIB)/libmol.a $(LIB)/libmol.so
	install -d $(DESTDIR)$(PREFIX)/include/linux $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 libmol/include/mol.h $(DESTDIR)$(PREFIX)/include/mol.h
	install -m 644 $(wildcard uapi/linux/*.h) $(DESTDIR)$(PREFIX)/include/linux/
	install -m 644 $(LIB)/libmol.a $(DESTDIR)$(PREFIX)/lib/libmol.a
	install -m 755 $(LIB)/libmol.so $(DESTDIR)$(PREFIX)/lib/libmol.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(MOL_VERSION)|' \
		libmol/libmol.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libmol.pc
