/* The kernel keyrings: search the user and session keyrings for the key
 * run.sh added on the host ("user" type, "sentry-escape") and read it. */
#include <linux/keyctl.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	int rings[] = { KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING, KEY_SPEC_USER_SESSION_KEYRING };
	for (size_t i = 0; i < sizeof(rings) / sizeof(rings[0]); i++) {
		long id = CHECK("KEYCTL_SEARCH", syscall(SYS_keyctl, KEYCTL_SEARCH, rings[i], "user", arg("keyname"), 0));
		if (id < 0)
			continue;
		char buf[512] = "";
		long n = CHECK("KEYCTL_READ", syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1));
		if (n > 0 && n < (long)sizeof(buf)) {
			buf[n] = 0;
			say("key: [%s]\n", buf);
		}
	}
	CHECK("request_key", syscall(SYS_request_key, "user", arg("keyname"), NULL, 0));
	CHECK("add_key", syscall(SYS_add_key, "user", "sentry-escape-inside", "x", 1, KEY_SPEC_SESSION_KEYRING));
	return 0;
}
