/*
 * conf_int.h — between the grammar (conf_parse.y) and the rest of the
 * configuration code (conf.c).
 */
#ifndef SC_CONF_INT_H
#define SC_CONF_INT_H

#include "common/conf.h"

#define SC_CONF_FILE_MAX (16 * 1024 * 1024)

struct conf *conf_alloc(void);
void conf_set_root(struct conf *, struct conf_node *);
void conf_add_error(struct conf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *conf_intern(struct conf *, const char *);
void conf_macro_set(struct conf *, const char *, const char *, int quoted);
const char *conf_macro_lookup(const struct conf *, const char *, int *quoted);
void conf_node_free(struct conf_node *);

#endif
