# git on the imported folder: init, add, commit, log, status, diff, branch,
# merge and checkout. Fixed identities and dates make every object id a
# known constant.
set -euo pipefail
. ./assert.sh

# Nothing from the system or a user configuration; fixed authors and dates.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Ada Lovelace" GIT_AUTHOR_EMAIL=ada@example.org
export GIT_COMMITTER_NAME="Ada Lovelace" GIT_COMMITTER_EMAIL=ada@example.org
export GIT_AUTHOR_DATE="2020-01-01T00:00:00Z" GIT_COMMITTER_DATE="2020-01-01T00:00:00Z"
g() { git -c user.name="Ada Lovelace" -c user.email=ada@example.org -c core.pager=cat "$@"; }

g init -q -b main repo
cp README.md list.txt repo/
cd repo
exists .git/HEAD "git init"
eq "$(g status --porcelain)" "?? README.md
?? list.txt" "status before add"
g add README.md list.txt
eq "$(g status --porcelain)" "A  README.md
A  list.txt" "status after add"
g commit -q -m "Add the readme and the list"
eq "$(g status --porcelain)" "" "status after commit"

printf 'one\n2\nthree\nfour\n' >list.txt
eq "$(g status --porcelain)" " M list.txt" "status after an edit"
eq "$(g diff --stat | tail -1)" " 1 file changed, 2 insertions(+), 1 deletion(-)" "diff --stat"
eq "$(g diff | grep '^[-+][^-+]' | tr '\n' ' ')" "-two +2 +four " "diff lines"
GIT_AUTHOR_DATE="2020-01-02T00:00:00Z" GIT_COMMITTER_DATE="2020-01-02T00:00:00Z" \
	g commit -q -a -m "Number two, and four"

g checkout -q -b feature
mkdir src
printf 'print("hi")\n' >src/app.py
g add src
GIT_AUTHOR_DATE="2020-01-03T00:00:00Z" GIT_COMMITTER_DATE="2020-01-03T00:00:00Z" \
	g commit -q -m "Add the app"
g checkout -q main
absent src/app.py "file of another branch after checkout"
GIT_AUTHOR_DATE="2020-01-04T00:00:00Z" GIT_COMMITTER_DATE="2020-01-04T00:00:00Z" \
	g merge -q --no-ff -m "Merge the feature" feature
exists src/app.py "file after merge"

g log --oneline
eq "$(g log --oneline | wc -l)" 4 "commits in the log"
eq "$(g rev-list --count HEAD)" 4 "rev-list --count"
eq "$(g rev-parse HEAD)" 3261819dbf4633f1a4b6084cb9d6ed02d800fbbc "id of the merge commit"
eq "$(g rev-parse HEAD~1)" 4c4d8c1665ba4ec167c830d3f8baf88531d7f5e7 "id of HEAD~1"
eq "$(g log --format=%s -1 HEAD~1)" "Number two, and four" "subject of HEAD~1"
eq "$(g show HEAD~1:list.txt | wc -l)" 4 "show HEAD~1:list.txt"
eq "$(g diff HEAD~1 HEAD~2 --name-only)" list.txt "diff between commits"
eq "$(g cat-file -t HEAD)" commit "cat-file -t"
g fsck --strict --no-progress || fail "git fsck --strict"
g gc -q
eq "$(g count-objects -v | grep '^count:')" "count: 0" "loose objects after gc"
eq "$(g log --oneline | wc -l)" 4 "commits after gc"
g status --short --branch
