# make with a small Makefile: a text pipeline of two targets, one depending
# on the other, and a C program; after touching a source only what depends on
# it is rebuilt.
set -euo pipefail
. ./assert.sh

# ran LOG: the recipes make ran, one word each, in order.
ran() {
	sed -n -e 's/^tr .*/words/p' -e 's/^sort .*/report/p' \
		-e 's/^cc .* -c \([a-z]*\)\.c .*/\1.o/p' -e 's/^cc -o prog .*/prog/p' "$1" | tr '\n' ' ' | sed 's/ $//'
}
# age: every file back to one old time, so that only touched files are newer.
age() {
	touch -d "2001-01-01 00:00:00" input.txt words.txt report.txt count.h count.c main.c main.o count.o prog
}

make >log1
eq "$(ran log1)" "words report main.o count.o prog" "first build"
eq "$(cat report.txt)" "3 the
2 and
1 bird
1 cat
1 dog" "report.txt"
eq "$(./prog "one two  three" "" " x ")" "3
0
1" "output of ./prog"
echo "built: $(ran log1)"

make >log2
eq "$(cat log2)" "make: Nothing to be done for 'all'." "second make"
make -q || fail "make -q: not up to date after a build"

age
make -q || fail "make -q: not up to date after aging every file alike"
touch input.txt
make -q && fail "make -q: up to date after touching input.txt"
make >log3
eq "$(ran log3)" "words report" "rebuild after touching input.txt"
echo "after touch input.txt: $(ran log3)"

age
touch count.c
make >log4
eq "$(ran log4)" "count.o prog" "rebuild after touching count.c"
echo "after touch count.c: $(ran log4)"

age
touch count.h
make >log5
eq "$(ran log5)" "main.o count.o prog" "rebuild after touching count.h"
echo "after touch count.h: $(ran log5)"

make -n clean >log6
eq "$(cat log6)" "rm -f words.txt report.txt prog *.o" "make -n clean"
exists prog "prog after make -n clean"
make clean >/dev/null
absent prog "prog after make clean"
absent words.txt "words.txt after make clean"
make -j2 >log7
eq "$(ran log7 | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" "count.o main.o prog report words" "make -j2 after clean"
eq "$(./prog "a b")" 2 "output of ./prog after make -j2"
echo "make -j2: $(ran log7 | wc -w) recipes"

status=0
make broken >/dev/null 2>err || status=$?
eq "$status" 2 "exit status of make when a recipe fails"
contains "$(cat err)" "Error 1" "make's message for a failing recipe"
make -C . -f Makefile -s all || fail "make -C . -f Makefile -s"
echo "done"
