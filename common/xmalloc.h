/*
 * xmalloc.h — allocators that exit on failure (tmux's xmalloc.c).
 *
 * Use them only at startup and while building configuration, rule sets and
 * policies.  Data paths use plain malloc and treat NULL as "drop and count".
 */
#ifndef SC_XMALLOC_H
#define SC_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
int xasprintf(char **, const char *, ...) __attribute__((format(printf, 2, 3)));

#endif
