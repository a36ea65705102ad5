# SPDX-License-Identifier: GPL-2.0
#
# The container's file side (libmol/container/{file,path,dir,stdio}.c)
# with a root disk served by molfs over the disk driver moldisk, and
# once without the driver (Documentation/architecture.md, "Files"):
#   $(BIN)/mol-filetest   the C suite, run inside an instance
#   $(BIN)/mol-glibctest  glibc's realpath, nftw, popen, posix_spawn:
#                         a transcript, on the host and under MoL
#   files-check           tests/files/run-files.sh over unix and udp
# tests/files/vm-files.sh runs it in the qemu guest over kmod.

ALL_TARGETS	+= $(BIN)/mol-filetest $(BIN)/mol-glibctest
CHECK_TARGETS	+= files-check

$(BIN)/mol-filetest: tests/files/filetest.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)

$(BIN)/mol-glibctest: tests/files/glibctest.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)

.PHONY: files-check
files-check: $(BIN)/mol-filetest $(BIN)/mol-glibctest $(BIN)/molctl $(BIN)/molsystem \
	     $(BIN)/molclock $(BIN)/molpm $(BIN)/molinit $(BIN)/molkernel \
	     $(BIN)/molfs $(BIN)/molhostfs $(BIN)/moldisk $(BIN)/molmem $(BIN)/molfs-tool $(LIB)/libmol.so
	sh tests/files/run-files.sh unix
	sh tests/files/run-files.sh udp
