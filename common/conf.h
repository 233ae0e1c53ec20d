/*
 * conf.h — the one configuration grammar, shared by seccloud.conf(5) and
 * the policy files.
 *
 * The grammar is generic: a file is a list of statements, each a keyword
 * followed by arguments and either a newline, a ';', or a { block } of
 * further statements.  Arguments are bare words (10.0.0.0/8, alpha', -,
 * 64k) or "quoted strings" with \" \\ \n \t escapes.  '#' starts a comment,
 * a backslash at the end of a line continues it.  Two directives are the
 * grammar's own:
 *
 *   NAME = value            define a macro (top level, before use)
 *   include "path"          read another file here (relative to this one;
 *                           a ";" may end it like any statement)
 *
 * and $NAME as an argument is replaced by the macro's value.
 *
 * Parsing never stops at the first mistake: every error is recorded as
 * "file:line: message" and the parser resynchronises at the next line, so
 * one run lists them all (OpenBSD parse.y).  Consumers walk the tree with
 * conf_walk() and a static table of keywords, adding their own errors to
 * the same list with conf_error_at().
 *
 * A struct conf owns every node and string in it; nodes live until
 * conf_free().  Everything here allocates with xmalloc: it is config-time.
 */
#ifndef SC_CONF_H
#define SC_CONF_H

#include <stddef.h>
#include <stdint.h>

struct conf;

struct conf_node {
	const char *name; /* the keyword */
	char **args;
	unsigned char *quoted; /* per arg: 1 if it was "..." */
	size_t nargs;
	int has_block;
	struct conf_node *child; /* first statement in the block */
	struct conf_node *next; /* next statement, same level */
	const char *file; /* for messages */
	int line;
};

/* Parse a file (or an in-memory text named `name`).  Returns a conf even
 * when there were errors (check conf_nerrors); NULL only if the file could
 * not be opened at all, with errno set. */
struct conf *conf_parse_file(const char *path);
struct conf *conf_parse_string(const char *name, const char *text, size_t len);
void conf_free(struct conf *);

const struct conf_node *conf_root(const struct conf *);
size_t conf_nerrors(const struct conf *);
const char *conf_error(const struct conf *, size_t i);
/* Print every error to stderr, one per line; returns how many. */
size_t conf_print_errors(const struct conf *);
/* Look up a macro defined in the file, or NULL. */
const char *conf_macro(const struct conf *, const char *name);

void conf_error_at(struct conf *, const struct conf_node *, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* First top-level (or child-level) node with this name, or NULL. */
const struct conf_node *conf_find(
    const struct conf_node *first, const char *name);

/*
 * Argument readers.  Each converts args[i] of the node, and on failure adds
 * "file:line: KEYWORD: reason" to the conf's errors and returns -1.
 *   conf_arg_int:      decimal, within [min, max]
 *   conf_arg_size:     bytes with optional k/m/g (KiB..GiB) suffix
 *   conf_arg_duration: seconds with s/m/h/d suffix (bare = seconds)
 *   conf_arg_bool:     yes/no/on/off/true/false
 */
int conf_arg_int(struct conf *, const struct conf_node *, size_t i,
    long long min, long long max, long long *out);
int conf_arg_size(struct conf *, const struct conf_node *, size_t i,
    uint64_t min, uint64_t max, uint64_t *out);
int conf_arg_duration(
    struct conf *, const struct conf_node *, size_t i, int64_t *seconds);
int conf_arg_bool(struct conf *, const struct conf_node *, size_t i, int *out);

/*
 * A row of a keyword table.  min_args/max_args bound the argument count
 * (max -1: unlimited); block is CONF_BLOCK_NO, _YES or _OPT; once is set
 * for keywords that may appear at most once at their level.  fn gets the
 * node and the caller's context and returns 0 or -1 (having reported).
 */
#define CONF_BLOCK_NO 0
#define CONF_BLOCK_YES 1
#define CONF_BLOCK_OPT 2

struct conf_keyword {
	const char *name;
	int min_args;
	int max_args;
	int block;
	int once;
	int (*fn)(struct conf *, const struct conf_node *, void *ctx);
};

/*
 * Dispatch every node of the list starting at `first` to its row in the
 * table (terminated by a row with name NULL).  Unknown keywords, wrong
 * argument counts, a missing or unexpected block and repeats of a `once`
 * keyword are reported.  Returns the number of errors found at this level
 * (including those the handlers reported).
 */
size_t conf_walk(struct conf *, const struct conf_node *first,
    const struct conf_keyword *table, void *ctx);

#endif
