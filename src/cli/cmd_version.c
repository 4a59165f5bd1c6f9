/* cmd_version: `sekisho version`. */
#include <stdio.h>

#include "../core/sk_version.h"
#include "cli.h"
#include "commands.h"

int sk_cmd_version(int argc, char **argv)
{
	const sk_cli_opt opts[] = {SK_OPT_END};
	int st;
	/* `sekisho --version` comes here too, with argv[0] "--version": only the version. */
	if (argc > 1 && !sk_cli_options(argc, argv, "", opts, 0, &st))
		return st;
	printf("sekisho %s\n", SK_VERSION);
	return 0;
}
