# coreutils, findutils, tar, sed and grep on the imported folder: listing,
# copying, moving and removing trees, finding, archiving and text tools.
set -euo pipefail
. ./assert.sh

# ls
listing=$(ls -la src)
contains "$listing" "fruits.txt" "ls -la src"
contains "$listing" " ." "ls -la shows ."
contains "$listing" " .." "ls -la shows .."
contains "$(ls -la src/sub/run.sh)" "-rwxr-xr-x" "mode of src/sub/run.sh in ls -la"
eq "$(ls src | tr '\n' ' ')" "fruits.txt sub " "ls src"
eq "$(ls -1 src/sub)" "numbers.txt
run.sh" "ls -1 src/sub"
eq "$(src/sub/run.sh)" run "running an imported executable"
echo "ls"

# cat, head, tail, wc, sort
eq "$(cat src/fruits.txt | wc -l)" 6 "wc -l of cat src/fruits.txt"
eq "$(wc -c <src/fruits.txt)" 35 "wc -c src/fruits.txt"
eq "$(wc -w <src/sub/numbers.txt)" 40 "wc -w src/sub/numbers.txt"
eq "$(head -n 2 src/sub/numbers.txt | tr '\n' ,)" "line 1,line 2," "head -n 2"
eq "$(tail -n 3 src/sub/numbers.txt | tr '\n' ,)" "line 18,line 19,line 20," "tail -n 3"
eq "$(tail -c 8 src/sub/numbers.txt)" "line 20" "tail -c 8"
eq "$(sort src/fruits.txt | tr '\n' ' ')" "apple apple banana cherry fig pear " "sort"
eq "$(sort -u src/fruits.txt | wc -l)" 5 "sort -u"
eq "$(sort -r src/fruits.txt | head -1)" pear "sort -r"
eq "$(sort -t' ' -k2,2nr src/sub/numbers.txt | head -1)" "line 20" "sort -k2,2nr"
cat src/fruits.txt src/sub/numbers.txt >joined.txt
eq "$(wc -l <joined.txt)" 26 "cat of two files"
echo "cat, head, tail, wc, sort"

# cp -r, mv, rm -r
cp -r src copy
diff -r src copy || fail "cp -r: copy differs from src"
contains "$(ls -l copy/sub/run.sh)" "-rwxr-xr-x" "cp -r keeps the x bit"
cp -a src archive-copy
eq "$(stat -c %Y src/fruits.txt)" "$(stat -c %Y archive-copy/fruits.txt)" "cp -a keeps mtimes"
mv rename-me.txt renamed.txt
absent rename-me.txt "mv source"
eq "$(cat renamed.txt)" "old name" "mv target"
mv copy/sub copy/moved
exists copy/moved/numbers.txt "mv of a directory"
absent copy/sub "mv of a directory: source"
rm -r remove-me
absent remove-me "rm -r"
rm -rf archive-copy
absent archive-copy "rm -rf"
ln -s renamed.txt symlink
eq "$(readlink symlink)" renamed.txt "ln -s"
eq "$(cat symlink)" "old name" "cat through a symlink"
ln renamed.txt hardlink
eq "$(stat -c %h renamed.txt)" 2 "ln: link count"
mkdir -p a/b/c
touch a/b/c/leaf
exists a/b/c/leaf "mkdir -p and touch"
rmdir a/b/c 2>/dev/null && fail "rmdir of a non-empty directory succeeded"
chmod 700 a
eq "$(stat -c %a a)" 700 "chmod"
touch -d "2001-02-03 04:05:06 UTC" renamed.txt
eq "$(TZ=UTC date -r renamed.txt +%F)" 2001-02-03 "touch -d"
echo "cp, mv, rm, ln, mkdir, chmod, touch"

# find
eq "$(find src -type f | sort | tr '\n' ' ')" "src/fruits.txt src/sub/numbers.txt src/sub/run.sh " "find -type f"
eq "$(find . -name '*.txt' -path './src/*' | wc -l)" 2 "find -name -path"
eq "$(find src -type d | sort | tr '\n' ' ')" "src src/sub " "find -type d"
eq "$(find src -perm -u+x -type f)" src/sub/run.sh "find -perm"
eq "$(find src -newer renamed.txt -type f | wc -l)" 3 "find -newer"
eq "$(find src -type f -exec wc -l {} + | tail -1 | awk '{print $1}')" 28 "find -exec {} + (6 + 20 + 2 lines)"
eq "$(find src -name '*.txt' -print0 | xargs -0 cat | wc -l)" 26 "find -print0 | xargs -0"
eq "$(find . -maxdepth 1 -type l)" ./symlink "find -type l"
echo "find"

# tar
tar -cf src.tar src
tar -czf src.tar.gz -C src .
eq "$(tar -tf src.tar | sort | tr '\n' ' ')" "src/ src/fruits.txt src/sub/ src/sub/numbers.txt src/sub/run.sh " "tar -t"
mkdir unpacked unpacked-gz
tar -xf src.tar -C unpacked
tar -xzf src.tar.gz -C unpacked-gz
diff -r src unpacked/src || fail "tar -x: unpacked tree differs from src"
diff -r src unpacked-gz || fail "tar -xz: unpacked tree differs from src"
eq "$(stat -c %a unpacked/src/sub/run.sh)" 755 "tar keeps modes"
eq "$(stat -c %Y unpacked/src/fruits.txt)" "$(stat -c %Y src/fruits.txt)" "tar keeps mtimes"
echo "tar"

# sed and grep
eq "$(sed -n '3p' src/sub/numbers.txt)" "line 3" "sed -n 3p"
eq "$(sed 's/line /#/' src/sub/numbers.txt | head -2 | tr '\n' ' ')" "#1 #2 " "sed s///"
eq "$(sed -E 's/^(l)ine ([0-9]+)$/\2\1/' src/sub/numbers.txt | tail -1)" 20l "sed -E with groups"
cp src/fruits.txt edited.txt
sed -i -e '/apple/d' -e 's/fig/FIG/' edited.txt
eq "$(tr '\n' ' ' <edited.txt)" "pear FIG banana cherry " "sed -i"
eq "$(grep -c apple src/fruits.txt)" 2 "grep -c"
eq "$(grep -n '^b' src/fruits.txt)" "4:banana" "grep -n"
eq "$(grep -v a src/fruits.txt | tr '\n' ' ')" "fig cherry " "grep -v"
eq "$(grep -E 'line (1|2)0$' src/sub/numbers.txt | tr '\n' ,)" "line 10,line 20," "grep -E"
eq "$(grep -rl banana . | sort | head -1)" ./copy/fruits.txt "grep -rl"
eq "$(grep -ic APPLE src/fruits.txt)" 2 "grep -i"
grep -q durian src/fruits.txt && fail "grep -q found a missing word"
echo "sed, grep"

# sha256sum, cmp, du, df, stat
sha256sum src/fruits.txt copy/fruits.txt >sums
sha256sum -c --quiet sums || fail "sha256sum -c"
eq "$(cut -d' ' -f1 sums | uniq | wc -l)" 1 "copy has the same sha256"
eq "$(printf abc | sha256sum | cut -d' ' -f1)" ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad "sha256 of abc"
cmp src/fruits.txt copy/fruits.txt || fail "cmp of copy"
eq "$(stat -c '%F %s' src/fruits.txt)" "regular file 35" "stat"
[ "$(du -s src | cut -f1)" -ge 1 ] || fail "du -s src"
echo "sha256sum, cmp, stat, du"
