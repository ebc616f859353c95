# gcc: cc runs cc1, as, collect2 and ld, with temporary files in /tmp.
# A one-file program, then a program of several units with a static
# library, libm and threads; each built program is run and its output checked.
set -euo pipefail
. ./assert.sh

cc hello.c -o hello && ./hello
eq "$(./hello one "two words")" "hello from C, 2 arguments
  one
  two words" "output of ./hello with arguments"
contains "$(od -An -c -N4 hello)" "E   L   F" "hello is an ELF file"
[ -x hello ] || fail "hello is not executable"

# Separate steps: preprocess, compile, assemble, archive, link.
cc -E -DGREETING='"hi there"' lib/greet.c -o greet.i
contains "$(cat greet.i)" '"hi there"' "preprocessed output"
cc -S -O2 greet.i -o greet.s
contains "$(cat greet.s)" "checksum:" "assembly output"
cc -c greet.s -o greet.o
ar rcs libgreet.a greet.o
eq "$(ar t libgreet.a)" greet.o "ar t libgreet.a"
contains "$(nm libgreet.a)" "T checksum" "nm: checksum is defined"
cc -O2 -Wall -Wextra -Werror -Ilib -c main.c -o main.o
cc -pthread main.o -L. -lgreet -lm -o prog
./prog
eq "$(./prog)" "hi there: checksum 7572454090711886, thread 144, sqrt 1.414" "output of ./prog"
eq "$(cat result.txt)" "hi there" "file written by ./prog"

# One command, several sources, a temporary directory of its own.
mkdir tmp
TMPDIR=$PWD/tmp cc -O1 -Ilib -DGREETING='"again"' -pthread main.c lib/greet.c -lm -o prog2
eq "$(ls tmp)" "" "cc cleans up its temporary files"
contains "$(./prog2)" "again: checksum" "output of ./prog2"

# A compile error is reported with the file and line.
printf 'int main(void) { return missing; }\n' >broken.c
if cc broken.c -o broken 2>err.txt; then fail "broken.c compiled"; fi
contains "$(cat err.txt)" "broken.c:1:" "error location in the compiler's message"
absent broken "output of a failed compile"
echo "built and ran hello, prog and prog2"
