# perl: one-liners with regular expressions and hashes, reading and editing
# files in the cwd.
set -euo pipefail
. ./assert.sh

# A one-liner with a regex and a hash: requests per method, sorted.
perl -e '
	open(my $f, "<", "access.log") or die "access.log: $!";
	my %n;
	while (<$f>) { $n{$1}++ if /^(GET|POST) \S+ \d{3}$/ }
	print join(" ", map { "$_=$n{$_}" } sort keys %n), "\n";
'
eq "$(perl -e 'my %h = map { $_ => length } qw(a bb ccc); print join(",", map { "$_:$h{$_}" } sort keys %h)')" \
	"a:1,bb:2,ccc:3" "hash built with map"
eq "$(perl -ne 'print "$1\n" if m{^GET (/\w+)\.html 200$}' access.log | sort -u | tr '\n' ' ')" \
	"/about /index " "perl -ne with a capture"
eq "$(perl -lane '$s{$F[2]}++; END { print join " ", map { "$_:$s{$_}" } sort keys %s }' access.log)" \
	"200:4 302:1 404:1" "perl -lane with END"
eq "$(echo 'a1b22c333' | perl -pe 's/(\d+)/<$1>/g')" "a<1>b<22>c<333>" "perl -pe s///g"
eq "$(perl -e 'printf "%.4f\n", atan2(1, 1) * 4')" 3.1416 "arithmetic"

# In-place edit of an imported file, with a backup.
perl -i.bak -pe 's/^POST/PUT/' access.log
eq "$(grep -c '^PUT' access.log)" 2 "perl -i edit"
eq "$(grep -c '^POST' access.log.bak)" 2 "perl -i backup"

# Modules from the image: core modules and a file written and read back.
perl -MJSON::PP -MDigest::SHA=sha256_hex -MFile::Temp=tempfile -e '
	my $doc = JSON::PP->new->canonical->encode({ b => [1, 2], a => "x" });
	$doc eq q({"a":"x","b":[1,2]}) or die "JSON::PP gave $doc\n";
	sha256_hex("abc") eq "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" or die "sha256\n";
	my ($fh, $name) = tempfile(UNLINK => 1);
	print $fh "temp\n"; close $fh;
	open(my $in, "<", $name) or die "$name: $!\n"; <$in> eq "temp\n" or die "tempfile contents\n";
	open(my $out, ">", "out.json") or die "out.json: $!\n"; print $out "$doc\n"; close $out;
	print "modules: JSON::PP, Digest::SHA, File::Temp\n";
'
eq "$(cat out.json)" '{"a":"x","b":[1,2]}' "out.json written by perl"
eq "$(perl -e 'my $pid = open(my $p, "-|", "echo", "from a child") or die; my $l = <$p>; close $p; print $l')" \
	"from a child" "perl open -| (fork and exec)"
echo "perl done"
