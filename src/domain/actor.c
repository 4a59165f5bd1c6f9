/* actor: the CLI operator. */
#include "actor.h"

#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

const sk_actor *sk_actor_cli(void)
{
	static char login[96];
	static sk_actor a;
	if (!a.login) {
		struct passwd *pw = getpwuid(getuid());
		snprintf(login, sizeof(login), "cli:%s",
		         pw && pw->pw_name ? pw->pw_name : "unknown");
		a.user_id = 0;
		a.login = login;
		a.address = "cli";
		a.superuser = true;
	}
	return &a;
}
