/* esc_tool: small host-side jobs for run.sh.
 *   esc_tool handle PATH        prints the file handle of PATH, "type:hex"
 *   esc_tool addkey NAME DATA   adds a "user" key to the user keyring
 *                               (readable by this uid), prints its id
 *   esc_tool delkey ID          invalidates a key */
#include <fcntl.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "handle")) {
		union { struct file_handle h; char raw[sizeof(struct file_handle) + MAX_HANDLE_SZ]; } u;
		u.h.handle_bytes = MAX_HANDLE_SZ;
		int mount_id;
		if (syscall(SYS_name_to_handle_at, AT_FDCWD, argv[2], &u.h, &mount_id, 0) < 0) {
			perror("name_to_handle_at");
			return 1;
		}
		printf("%x:", (unsigned)u.h.handle_type);
		for (unsigned i = 0; i < u.h.handle_bytes; i++)
			printf("%02x", u.h.f_handle[i]);
		printf("\n");
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "addkey")) {
		long id = syscall(SYS_add_key, "user", argv[2], argv[3], strlen(argv[3]), KEY_SPEC_USER_KEYRING);
		if (id < 0) {
			perror("add_key");
			return 1;
		}
		/* Possessor and owner: everything. */
		syscall(SYS_keyctl, KEYCTL_SETPERM, id, 0x3f3f0000);
		printf("%ld\n", id);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "delkey")) {
		long id = atol(argv[2]);
		if (syscall(SYS_keyctl, KEYCTL_INVALIDATE, id) < 0)
			syscall(SYS_keyctl, KEYCTL_REVOKE, id);
		return 0;
	}
	fprintf(stderr, "usage: esc_tool handle PATH | addkey NAME DATA | delkey ID\n");
	return 2;
}
