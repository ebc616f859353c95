# tar and find over folders of the imported workspace that nothing has
# listed yet: a folder's size, link count and times are the same before
# and after its first listing, so tar does not report "file changed as we
# read it" (and exits 0), and stat agrees with itself.
set -euo pipefail
. ./assert.sh

# the attributes tar compares, before anything lists the folders
before=$(stat -c '%n %s %h %Y %Z' tree tree/sub tree/sub/deeper tree/empty)
tar -cf tree.tar tree 2>tar.err || fail "tar -cf exited $?: $(cat tar.err)"
eq "$(cat tar.err)" "" "tar's warnings"
after=$(stat -c '%n %s %h %Y %Z' tree tree/sub tree/sub/deeper tree/empty)
eq "$after" "$before" "folder attributes across the first listing"
eq "$(tar -tf tree.tar | sort | tr '\n' ' ')" \
	"tree/ tree/a.txt tree/empty/ tree/empty/.keep tree/sub/ tree/sub/b.txt tree/sub/deeper/ tree/sub/deeper/c.txt " \
	"tar -t"
# a folder with one subfolder has three links
eq "$(stat -c '%h' tree/sub)" 3 "link count of tree/sub"
echo "tar of the workspace: ok"
