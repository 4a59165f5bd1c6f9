/* cmd_version: `sekisho version`. */
#include <stdio.h>

#include "../core/sk_version.h"
#include "commands.h"

int sk_cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("sekisho %s\n", SK_VERSION);
	return 0;
}
