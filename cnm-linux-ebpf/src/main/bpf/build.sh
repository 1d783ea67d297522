#!/bin/sh
# Rebuilds the BPF object(s) into OUTDIR. The committed object under
# src/main/resources/io/cnm4j/linux/bpf was built with clang/llvm 14; another
# major version compiles differently, so CI compares with that version.
# The prefix map keeps the checkout path out of the BTF line info, and DWARF
# is stripped; .BTF/.BTF.ext stay for CO-RE. Same source gives the same bytes.
# cnm_conn.bpf.c gives two objects: cnm_conn.bpf.o, and with CNM_SOCKET_MAP
# cnm_conn_socket_map.bpf.o for kernels whose tracing programs lack socket
# storage or socket cookies (5.8-5.11).
set -eu
out=${1:?usage: build.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
LLVM_STRIP=${LLVM_STRIP:-llvm-strip}
compile() { # object name, extra clang flags
	name=$1
	shift
	"$CLANG" -O2 -g -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Werror "$@" \
		-I"/usr/include/$("$CLANG" -print-multiarch)" -fdebug-prefix-map="$(pwd)"=. \
		-c cnm_conn.bpf.c -o "$out/$name"
	"$LLVM_STRIP" -g "$out/$name"
}
compile cnm_conn.bpf.o
compile cnm_conn_socket_map.bpf.o -DCNM_SOCKET_MAP
