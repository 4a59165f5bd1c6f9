/*
 * commands: one entry function per noun, each in its cmd_<noun>.c. main.c
 * lists them in its table; nothing else calls them.
 */
#ifndef SK_COMMANDS_H
#define SK_COMMANDS_H

int sk_cmd_version(int argc, char **argv);
/* --- more nouns are declared below, one line each --- */

#endif
