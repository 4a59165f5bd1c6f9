/*
 * cmd_auth: the authentication verbs of `sekisho user` (unlock, unused,
 * totp-enroll, zone). They live apart from cmd_user.c so that accounts and
 * authentication keep separate owners; cmd_user.c lists them in its verb
 * table with these usage lines.
 */
#ifndef SK_CMD_AUTH_H
#define SK_CMD_AUTH_H

#define SK_USER_UNLOCK_USAGE "--db URL LOGIN"
#define SK_USER_UNUSED_USAGE "--db URL --days N [--json]"
#define SK_USER_TOTP_USAGE   "--db URL LOGIN"
#define SK_USER_ZONE_USAGE   "--db URL LOGIN mynumber|lgwan|internet|none"

int sk_cmd_user_unlock(int argc, char **argv);
int sk_cmd_user_unused(int argc, char **argv);
int sk_cmd_user_totp_enroll(int argc, char **argv);
int sk_cmd_user_zone(int argc, char **argv);

#endif
