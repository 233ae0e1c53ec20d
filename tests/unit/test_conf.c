/*
 * test_conf.c — the configuration grammar: the tree it builds, macros,
 * includes, and above all errors: each reported with its file and line, and
 * the parser going on to report the errors after it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/conf.h"
#include "tests/tap.h"

static struct conf *
parse(const char *text)
{
	return conf_parse_string("t.conf", text, strlen(text));
}

/* Text with embedded NUL bytes: the length of the literal, not strlen. */
#define PARSE_LIT(lit) conf_parse_string("t.conf", (lit), sizeof(lit) - 1)

/* The error list is exactly WANT (NULL-terminated), in order. */
static int
errors_are(const struct conf *c, const char *const *want)
{
	size_t n = 0;
	int same = 1;

	while (want[n] != NULL)
		n++;
	if (conf_nerrors(c) != n)
		same = 0;
	for (size_t i = 0; same && i < n; i++)
		if (strcmp(conf_error(c, i), want[i]) != 0)
			same = 0;
	if (!same) {
		for (size_t i = 0; i < n; i++)
			diag("  want: %s", want[i]);
		for (size_t i = 0; i < conf_nerrors(c); i++)
			diag("  got:  %s", conf_error(c, i));
	}
	return same;
}

static int
has_error(const struct conf *c, const char *want)
{
	/* Exact, or a prefix followed by ", ..." (the parser's detail). */
	for (size_t i = 0; i < conf_nerrors(c); i++)
		if (strcmp(conf_error(c, i), want) == 0 ||
		    (strncmp(conf_error(c, i), want, strlen(want)) == 0 &&
			conf_error(c, i)[strlen(want)] == ','))
			return 1;
	for (size_t i = 0; i < conf_nerrors(c); i++)
		diag("  error: %s", conf_error(c, i));
	return 0;
}

struct ctx {
	long long port;
	uint64_t size;
	int64_t dur;
	int flag;
	int listens;
};

static int
kw_port(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_arg_int(c, n, 0, 1, 65535, &((struct ctx *)arg)->port);
}

static int
kw_size(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_arg_size(c, n, 0, 1, 1 << 30, &((struct ctx *)arg)->size);
}

static int
kw_dur(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_arg_duration(c, n, 0, &((struct ctx *)arg)->dur);
}

static int
kw_flag(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_arg_bool(c, n, 0, &((struct ctx *)arg)->flag);
}

static int
kw_listen(struct conf *c, const struct conf_node *n, void *arg)
{
	((struct ctx *)arg)->listens++;
	return 0;
}

static const struct conf_keyword inner[] = { { "port", 1, 1, CONF_BLOCK_NO, 1,
						 kw_port },
	{ "frame-max", 1, 1, CONF_BLOCK_NO, 1, kw_size },
	{ "idle", 1, 1, CONF_BLOCK_NO, 1, kw_dur },
	{ "tls", 1, 1, CONF_BLOCK_NO, 0, kw_flag },
	{ "listen", 2, 3, CONF_BLOCK_OPT, 0, kw_listen },
	{ NULL, 0, 0, 0, 0, NULL } };

static int
kw_block(struct conf *c, const struct conf_node *n, void *arg)
{
	conf_walk(c, n->child, inner, arg);
	return 0;
}

static const struct conf_keyword outer[] = {
	{ "collector", 0, 0, CONF_BLOCK_YES, 1, kw_block },
	{ "datadir", 1, 1, CONF_BLOCK_NO, 1, NULL }, { NULL, 0, 0, 0, 0, NULL }
};

int
main(void)
{
	struct conf *c;
	const struct conf_node *n;
	struct ctx ctx;
	char dir[] = "/tmp/test_conf.XXXXXX", path[64], path2[1024];
	FILE *fp;

	c = parse("# comment\n"
		  "datadir \"/var/lib/seccloud\"\n"
		  "collector {\n"
		  "  listen udp 0.0.0.0:514   # trailing comment\n"
		  "  listen tls [::]:6514 { cert \"a b.pem\" }\n"
		  "  port 5514; idle 5m\n"
		  "  frame-max 64k\n"
		  "  tls yes\n"
		  "}\n"
		  "name \"三重県\" code 240001 \\\n  model alpha'\n");
	is_int(conf_nerrors(c), 0, "a valid file parses without errors");
	n = conf_root(c);
	ok(n && strcmp(n->name, "datadir") == 0 && n->nargs == 1 &&
		strcmp(n->args[0], "/var/lib/seccloud") == 0 &&
		n->quoted[0] == 1,
	    "quoted argument");
	ok(n && n->line == 2, "line of the first statement is 2");
	n = conf_find(conf_root(c), "collector");
	ok(n && n->has_block && n->child && n->line == 3, "block statement");
	ok(n && n->child->next && n->child->next->has_block &&
		strcmp(n->child->next->child->args[0], "a b.pem") == 0,
	    "nested block with a spaced string");
	n = conf_find(conf_root(c), "name");
	ok(n && n->nargs == 5 && strcmp(n->args[0], "三重県") == 0 &&
		strcmp(n->args[4], "alpha'") == 0,
	    "UTF-8 string, continuation, "
	    "and a word with a quote mark");
	memset(&ctx, 0, sizeof(ctx));
	ok(conf_walk(c, conf_root(c),
	       (const struct conf_keyword[]){
		   { "collector", 0, 0, CONF_BLOCK_YES, 1, kw_block },
		   { "datadir", 1, 1, CONF_BLOCK_NO, 1, NULL },
		   { "name", 1, -1, CONF_BLOCK_NO, 0, NULL },
		   { NULL, 0, 0, 0, 0, NULL } },
	       &ctx) == 0,
	    "walk finds no errors");
	ok(ctx.port == 5514 && ctx.size == 65536 && ctx.dur == 300 &&
		ctx.flag == 1 && ctx.listens == 2,
	    "handlers read every value");
	conf_free(c);

	/* Errors: each with its line, and the ones after it too. */
	c = PARSE_LIT("datadir \"/x\n" /* 1: unterminated string */
		      "ok 1\n" /* 2 */
		      "bad { \n" /* 3: block opened... */
		      "  x = \n" /* 4: macro without a value */
		      "}\n" /* 5 */
		      "} extra\n" /* 6: stray brace */
		      "y $nosuch\n" /* 7: undefined macro */
		      "z \"a\0b\"\n" /* 8: NUL inside a string */
		      "w a\0b\n" /* 9: NUL in a bare word */
		      "last 1"); /* 10: no final newline */
	ok(errors_are(c,
	       (const char *const[]){ "t.conf:1: unterminated string",
		   "t.conf:4: syntax error, unexpected end of line, "
		   "expecting word or string",
		   "t.conf:6: syntax error, unexpected '}'",
		   "t.conf:7: undefined macro $nosuch",
		   "t.conf:8: NUL byte in string",
		   "t.conf:9: unexpected byte 0x00", NULL }),
	    "every error, exactly once, with its line, in order");
	n = conf_find(conf_root(c), "last");
	ok(n != NULL && n->line == 10 && n->nargs == 1,
	    "the statement after the errors is kept");
	ok(conf_find(conf_root(c), "w") == NULL &&
		conf_find(conf_root(c), "z") == NULL,
	    "statements with errors are dropped");
	conf_free(c);

	/* The last line needs no final newline. */
	c = parse("x = 5\nfoo $x");
	n = conf_root(c);
	ok(conf_nerrors(c) == 0 && n != NULL && strcmp(n->name, "foo") == 0 &&
		n->nargs == 1 && strcmp(n->args[0], "5") == 0 && n->line == 2,
	    "a file without a final newline parses");
	conf_free(c);
	c = parse("a { b 1 }");
	ok(conf_nerrors(c) == 0 && conf_root(c) && conf_root(c)->child &&
		strcmp(conf_root(c)->child->name, "b") == 0,
	    "a block closing at the end of the input");
	conf_free(c);
	c = parse("a \"open");
	ok(errors_are(c,
	       (const char *const[]){ "t.conf:1: unterminated string", NULL }),
	    "an unterminated string at the end of the input: one error");
	conf_free(c);
	c = parse("foo 1\nbar $x");
	ok(errors_are(c,
	       (const char *const[]){ "t.conf:2: undefined macro $x", NULL }),
	    "an error on an unterminated last line is reported once");
	conf_free(c);
	c = parse("");
	ok(conf_nerrors(c) == 0 && conf_root(c) == NULL, "an empty file");
	conf_free(c);

	/* "include" is a directive only where a statement starts. */
	c = parse("foo include bar\nrule \"include\"\ninclude\n");
	n = conf_root(c);
	ok(n && n->nargs == 2 && strcmp(n->args[0], "include") == 0 &&
		n->next && strcmp(n->next->args[0], "include") == 0,
	    "an argument spelled include is an argument");
	ok(errors_are(c,
	       (const char *const[]){ "t.conf:3: syntax error, unexpected end "
				      "of line, expecting string",
		   NULL }),
	    "include without a path is an error");
	conf_free(c);

	c = parse("a {\n b 1\n");
	ok(conf_nerrors(c) == 1 && strstr(conf_error(c, 0), "t.conf:") &&
		strstr(conf_error(c, 0), "syntax error"),
	    "an unclosed block is an error: %s",
	    conf_nerrors(c) ? conf_error(c, 0) : "none");
	conf_free(c);

	/* Keyword tables: unknown, counts, blocks, repeats. */
	c = parse("collector {\n port 99999\n frame-max 12q\n idle soon\n"
		  " tls maybe\n listen udp\n nope 1\n}\n"
		  "collector { }\ndatadir\ndatadir a { }\n");
	memset(&ctx, 0, sizeof(ctx));
	conf_walk(c, conf_root(c), outer, &ctx);
	ok(has_error(c, "t.conf:2: port: 99999 is out of range 1..65535"),
	    "range error");
	ok(has_error(c,
	       "t.conf:3: frame-max: '12q' is not a size (like 64k, "
	       "16m)"),
	    "size error");
	ok(has_error(c,
	       "t.conf:4: idle: 'soon' is not a duration (like 30s, "
	       "15m, 1h, 7d)"),
	    "duration error");
	ok(has_error(c, "t.conf:5: tls: 'maybe' is not yes or no"),
	    "bool error");
	ok(has_error(c, "t.conf:6: listen: takes 2 to 3 arguments, not 1"),
	    "argument count error");
	ok(has_error(c, "t.conf:7: unknown keyword 'nope'"), "unknown keyword");
	ok(has_error(c, "t.conf:9: collector: given more than once"),
	    "repeat of a once keyword");
	ok(has_error(c, "t.conf:10: datadir: takes 1 argument, not 0"),
	    "missing argument");
	ok(has_error(c, "t.conf:11: datadir: given more than once"),
	    "second datadir");
	is_int(conf_nerrors(c), 9, "exactly the nine errors");
	conf_free(c);

	/* Macros. */
	c = parse("net = \"10.0.0.0/8\"\nport = 514\nlisten $net $port\n"
		  "1bad! = x\n");
	n = conf_find(conf_root(c), "listen");
	ok(n && strcmp(n->args[0], "10.0.0.0/8") == 0 && n->quoted[0] &&
		strcmp(n->args[1], "514") == 0,
	    "macros expand");
	ok(has_error(c, "t.conf:4: bad macro name '1bad!'"), "bad macro name");
	is_str(conf_macro(c, "net"), "10.0.0.0/8", "conf_macro");
	conf_free(c);

	/* Includes: relative to the including file; cycles refused. */
	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	snprintf(path2, sizeof(path2), "%s/part.conf", dir);
	fp = fopen(path2, "w");
	fputs("inner 1\nbroken \"x\n", fp);
	fclose(fp);
	snprintf(path2, sizeof(path2), "%s/tail.conf", dir);
	fp = fopen(path2, "w");
	fputs("tail 3\nend $m", fp); /* no final newline */
	fclose(fp);
	fp = fopen(path, "w");
	fputs("first 1\ninclude \"part.conf\"\nlast 2\n"
	      "include \"main.conf\"\ninclude \"missing.conf\"\n"
	      "m = 7\ninclude \"tail.conf\"; after 4\n"
	      "blk { include \"tail.conf\" }\n"
	      "include \"tail.conf\"",
	    fp);
	fclose(fp);
	c = conf_parse_file(path);
	ok(c != NULL, "parse a file");
	n = conf_root(c);
	ok(n && n->next && strcmp(n->next->name, "inner") == 0 &&
		n->next->line == 1 && strstr(n->next->file, "part.conf") &&
		n->next->next && strcmp(n->next->next->name, "last") == 0,
	    "included statements sit in place, with their own file and line");
	snprintf(
	    path2, sizeof(path2), "%s/part.conf:2: unterminated string", dir);
	ok(has_error(c, path2), "error inside the included file names it");
	snprintf(path2, sizeof(path2),
	    "%s:4: include %s/main.conf: includes "
	    "itself",
	    path, dir);
	ok(has_error(c, path2), "include cycle refused");
	snprintf(path2, sizeof(path2),
	    "%s:5: include %s/missing.conf: No "
	    "such file or directory",
	    path, dir);
	ok(has_error(c, path2), "missing include reported");
	is_int(conf_nerrors(c), 3, "and no other error");
	n = conf_find(conf_root(c), "tail");
	ok(n && n->line == 1 && strstr(n->file, "tail.conf") && n->next &&
		strcmp(n->next->name, "end") == 0 && n->next->nargs == 1 &&
		strcmp(n->next->args[0], "7") == 0 && n->next->next &&
		strcmp(n->next->next->name, "after") == 0,
	    "include \"x\"; (with ';') and an included file without a final "
	    "newline");
	n = conf_find(conf_root(c), "blk");
	ok(n && n->child && strcmp(n->child->name, "tail") == 0 &&
		n->child->next && strcmp(n->child->next->name, "end") == 0 &&
		n->child->next->next == NULL && n->next &&
		strcmp(n->next->name, "tail") == 0 && n->next->line == 1,
	    "an include inside a block fills the block; a last-line include "
	    "without a newline works");
	conf_free(c);
	ok(conf_parse_file("/nonexistent/seccloud.conf") == NULL,
	    "a missing file returns NULL");
	snprintf(path2, sizeof(path2), "rm -rf %s", dir);
	ok(system(path2) == 0, "cleanup");
	conf_free(NULL);
	return done_testing();
}
