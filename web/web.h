/*
 * web.h — the web view's public face beyond its commands (cmd_web,
 * cmd_user in seccloud.h): the input checks other roles and tests share.
 */
#ifndef SC_WEB_H
#define SC_WEB_H

/* An account name: 1-63 of [A-Za-z0-9._@-], not starting with . or -. */
int web_name_valid(const char *);
/* A 6-digit 団体コード with a valid check digit (DOMAIN.md §G). */
int web_muni_valid(const char *);

#endif
