# bash -c with pipes, redirections, globbing, subshells, here-documents,
# command and process substitution, background jobs and traps.
set -euo pipefail
. ./assert.sh

# Pipes and their statuses.
eq "$(bash -c 'printf "c\nb\na\nb\n" | sort | uniq | tr "\n" " "')" "a b c " "pipeline sort | uniq | tr"
eq "$(bash -c 'seq 1 1000 | grep 7 | wc -l')" 271 "numbers 1..1000 containing a 7 (1000 - 9^3)"
eq "$(bash -c 'false | true; echo ${PIPESTATUS[*]}')" "1 0" "PIPESTATUS"
if bash -c 'set -o pipefail; false | true'; then fail "pipefail: false | true succeeded"; fi
eq "$(bash -c 'yes | head -3 | tr -d "\n"')" yyy "yes | head (SIGPIPE to the writer)"
echo "pipes"

# Redirections.
mkdir redir && cd redir
bash -c 'echo one >f; echo two >>f; echo err >&2' 2>e
eq "$(cat f)" "$(printf 'one\ntwo')" "> and >>"
eq "$(cat e)" err "2> of the child"
bash -c 'echo out; echo err >&2' >both 2>&1
eq "$(sort both | tr '\n' ' ')" "err out " ">file 2>&1"
bash -c 'ls /nonexistent 2>/dev/null; echo $?' >status
eq "$(cat status)" 2 "ls of a missing path, stderr to /dev/null"
eq "$(bash -c 'read -r line; echo "[$line]"' <f)" "[one]" "< file"
bash -c 'exec 3>fd3; echo via-fd3 >&3; exec 3>&-'
eq "$(cat fd3)" via-fd3 "exec 3>file"
bash -c 'exec {fd}<>rw; echo hello >&$fd; exec {fd}>&-'
eq "$(cat rw)" hello "exec {fd}<>file"
bash -c 'set -C; echo x >f' 2>/dev/null && fail "noclobber let > overwrite f"
bash -c 'set -C; echo forced >|f'
eq "$(cat f)" forced ">| under noclobber"
: >empty
eq "$(stat -c %s empty)" 0 ": >empty"
cd ..
echo "redirections"

# Globbing.
mkdir glob && cd glob
touch a.txt b.txt c.log .hidden ab.txt
mkdir -p d/e && touch d/x.txt d/e/y.txt
eq "$(bash -c 'echo *.txt')" "a.txt ab.txt b.txt" "*.txt"
eq "$(bash -c 'echo ?.txt')" "a.txt b.txt" "?.txt"
eq "$(bash -c 'echo [ac]*')" "a.txt ab.txt c.log" "[ac]*"
eq "$(bash -c 'echo *.none')" "*.none" "unmatched glob stays literal"
eq "$(bash -c 'shopt -s nullglob; echo *.none')" "" "nullglob"
eq "$(bash -c 'echo *')" "a.txt ab.txt b.txt c.log d" "* skips dot files"
eq "$(bash -O dotglob -c 'echo *')" ".hidden a.txt ab.txt b.txt c.log d" "dotglob"
eq "$(bash -c 'shopt -s globstar; echo **/*.txt')" "a.txt ab.txt b.txt d/e/y.txt d/x.txt" "globstar **"
eq "$(bash -O extglob -c 'echo !(*.txt|d)')" "c.log" "extglob !(...)"
eq "$(bash -c 'echo {a,b}.txt x{1..3}')" "a.txt b.txt x1 x2 x3" "brace expansion"
cd ..
echo "globbing"

# Subshells and the cwd.
here=$(pwd)
eq "$(bash -c '(cd glob/d && pwd); pwd')" "$here/glob/d
$here" "cd in a subshell leaves the parent alone"
eq "$(bash -c 'x=1; (x=2); echo $x')" 1 "variables in a subshell"
eq "$(bash -c '(exit 3); echo $?')" 3 "subshell exit status"
eq "$(bash -c '{ echo a; echo b; } | wc -l')" 2 "group into a pipe"
echo "subshells"

# Here-documents.
name=world
cat >heredoc.txt <<END
hello $name
$(echo substituted)
END
eq "$(cat heredoc.txt)" "hello world
substituted" "unquoted here-document expands"
cat >quoted.txt <<'END'
hello $name
END
eq "$(cat quoted.txt)" 'hello $name' "quoted here-document stays literal"
eq "$(bash <<'END'
	x=$((6 * 7))
	echo "$x"
END
)" 42 "script on bash's stdin from a here-document"
eq "$(cat <<-END
		tabs stripped
	END
)" "tabs stripped" "<<- strips leading tabs"
echo "here-documents"

# Command and process substitution.
eq "$(bash -c 'echo $(echo $(echo nested))')" nested "nested \$(...)"
eq "$(bash -c 'echo `echo backticks`')" backticks "backticks"
eq "$(bash -c 'n=$(seq 1 5 | wc -l); echo $((n * 2))')" 10 "substitution in arithmetic"
eq "$(bash -c 'diff <(printf "a\nb\n") <(printf "a\nc\n") | grep -c "^[<>]"')" 2 "process substitution <(...)"
bash -c 'echo tee-d > >(cat >procsub.txt)'
for _ in $(seq 1 50); do [ -s procsub.txt ] && break; sleep 0.1; done
eq "$(cat procsub.txt)" tee-d ">(...) process substitution"
eq "$(bash -c 'mapfile -t a < <(printf "x\ny\nz\n"); echo ${#a[@]} ${a[2]}')" "3 z" "mapfile from < <(...)"
echo "substitutions"

# Background jobs, wait, traps, functions.
eq "$(bash -c 'sleep 0.2 & p=$!; wait $p; echo $?')" 0 "wait for a background job"
eq "$(bash -c '(exit 5) & wait $!; echo $?')" 5 "status of a background job"
eq "$(bash -c 'for i in 1 2 3; do (echo $i >job$i) & done; wait; cat job1 job2 job3 | tr -d "\n"')" 123 "three jobs"
eq "$(bash -c 'trap "echo trapped" EXIT; echo body')" "body
trapped" "EXIT trap"
eq "$(bash -c 'trap "echo usr1" USR1; kill -USR1 $$; echo after')" "usr1
after" "signal trap"
eq "$(bash -c 'f() { local x=$1; echo $((x + 1)); }; f 41')" 42 "functions"
eq "$(bash -c 'declare -A h=([k]=v); for k in "${!h[@]}"; do echo $k=${h[$k]}; done')" k=v "associative arrays"
eq "$(bash -c 'case foo.tar.gz in *.tar.gz) echo tgz;; *) echo other;; esac')" tgz "case patterns"
echo "jobs, traps and functions"
