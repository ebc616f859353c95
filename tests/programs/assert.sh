# Assertions for the real-program scripts. run.sh copies this file into the
# work folder next to the script, which sources it: . ./assert.sh
# Each assertion names what it checked; the first failure ends the script.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# eq ACTUAL EXPECTED WHAT
eq() {
	[ "$1" = "$2" ] || fail "$3: expected [$2], got [$1]"
}

# contains TEXT NEEDLE WHAT
contains() {
	case $1 in
	*"$2"*) ;;
	*) fail "$3: [$2] not found in [$1]" ;;
	esac
}

# exists PATH WHAT / absent PATH WHAT
exists() {
	[ -e "$1" ] || [ -L "$1" ] || fail "$2: $1 does not exist"
}
absent() {
	if [ -e "$1" ] || [ -L "$1" ]; then
		fail "$2: $1 still exists"
	fi
}

# same_file A B WHAT: identical contents
same_file() {
	cmp -s "$1" "$2" || fail "$3: $1 and $2 differ"
}
