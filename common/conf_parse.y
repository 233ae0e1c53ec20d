/*
 * conf_parse.y — the one configuration grammar (seccloud.conf and policy
 * files).  See conf.h for the language.  The lexer works on whole files held
 * in memory (configuration is small; SC_CONF_FILE_MAX caps it) and keeps a
 * stack of them for `include`.  Errors are collected, never fatal: after a
 * syntax error the parser skips to the end of the line and goes on, so one
 * run reports every mistake with its file and line.
 */
%{
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/conf.h"
#include "common/conf_int.h"
#include "common/log.h"
#include "common/sc_limits.h"
#include "common/xmalloc.h"

struct tok {
	char		*s;
	int		 quoted;
	int		 line;
	const char	*file;
};

struct nodelist {
	struct conf_node *head, *tail;
};

struct arglist {
	char		**v;
	unsigned char	 *q;
	size_t		  n;
};

struct src {
	char		*data;
	size_t		 len, pos;
	const char	*name;		/* interned in conf */
	char		*real;		/* realpath, for cycle checks */
	int		 line;
	struct src	*prev;
};

struct parser {
	struct conf	*conf;
	struct src	*src;
	int		 depth;
	int		 last;		/* the last token returned */
	int		 eof_eol;	/* the EOL implied at the end of input sent */
	int		 lexerr_line;	/* line of the last lexer error */
	const char	*lexerr_file;
};

static void	 src_push_text(struct parser *, const char *, const char *,
		    size_t, const char *);
static int	 src_push_file(struct parser *, const char *path, int line);
static void	 src_pop(struct parser *);
static struct conf_node *mknode(struct tok *, struct arglist *,
		    struct conf_node *, int);
static void	 arg_add(struct arglist *, struct tok *);
static void	 macro_define(struct parser *, struct tok *, struct tok *);
static void	 do_include(struct parser *, struct tok *);
%}

%define api.pure full
%parse-param {struct parser *p}
%lex-param {struct parser *p}

%union {
	struct tok	 tok;
	struct nodelist	 list;
	struct arglist	 args;
	struct conf_node *node;
}

%{
static int	yylex(YYSTYPE *, struct parser *);
static void	yyerror(struct parser *, const char *);
%}

%define parse.error verbose
%token <tok> WORD "word"
%token <tok> STRING "string"
%token INCLUDE "include"
%token EOL "end of line"
%token LEXERROR "bad token"
%type <list> stmts
%type <node> stmt
%type <args> args
%type <tok> value

%destructor { free($$.s); } <tok>
%destructor { for (size_t i = 0; i < $$.n; i++) free($$.v[i]); free($$.v); free($$.q); } <args>
%destructor { conf_node_free($$.head); } <list>
%destructor { conf_node_free($$); } <node>

%%

file	: stmts			{ conf_set_root(p->conf, $1.head); }
	;

stmts	: /* empty */		{ $$.head = $$.tail = NULL; }
	| stmts EOL		{ $$ = $1; }
	| stmts ';'		{ $$ = $1; }
	| stmts stmt		{
			$$ = $1;
			if ($2 != NULL) {
				if ($$.tail != NULL)
					$$.tail->next = $2;
				else
					$$.head = $2;
				$$.tail = $2;
			}
		}
	| stmts error EOL	{ $$ = $1; yyerrok; }
	;

stmt	: WORD args EOL		{ $$ = mknode(&$1, &$2, NULL, 0); }
	| WORD args ';'		{ $$ = mknode(&$1, &$2, NULL, 0); }
	| WORD args '{' stmts '}' { $$ = mknode(&$1, &$2, $4.head, 1); }
	| WORD '=' value EOL	{ macro_define(p, &$1, &$3); $$ = NULL; }
	| INCLUDE STRING EOL	{ do_include(p, &$2); $$ = NULL; }
	| INCLUDE STRING ';'	{ do_include(p, &$2); $$ = NULL; }
	;

args	: /* empty */		{ $$.v = NULL; $$.q = NULL; $$.n = 0; }
	| args value		{ $$ = $1; arg_add(&$$, &$2); }
	;

value	: WORD			{ $$ = $1; }
	| STRING		{ $$ = $1; }
	;

%%

static void
lexerror(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
lexerror(struct parser *p, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	conf_add_error(p->conf, "%s:%d: %s", p->src->name, line, msg);
	p->lexerr_line = line;
	p->lexerr_file = p->src->name;
}

static void
yyerror(struct parser *p, const char *msg)
{
	const char *file = p->src ? p->src->name : "(end)";
	int line = p->src ? p->src->line : 0;

	/* The lexer already said what was wrong with this line. */
	if (p->lexerr_file == file && p->lexerr_line == line)
		return;
	if (p->src != NULL && p->src->pos > 0 &&
	    p->src->data[p->src->pos - 1] == '\n')
		line--;	/* the error is on the line just ended */
	conf_add_error(p->conf, "%s:%d: %s", file, line, msg);
}

static int
is_word_byte(int c)
{
	return c > ' ' && c != '{' && c != '}' && c != ';' && c != '=' &&
	    c != '"' && c != 0x7f;
}

static int
lex_string(struct parser *p, YYSTYPE *lval)
{
	struct src *s = p->src;
	struct buf_small {
		char	*v;
		size_t	 n, cap;
	} b = { NULL, 0, 0 };
	int line = s->line;

	s->pos++;	/* opening quote */
	for (;;) {
		int c;

		if (s->pos >= s->len || s->data[s->pos] == '\n') {
			lexerror(p, line, "unterminated string");
			free(b.v);
			return LEXERROR;
		}
		c = (unsigned char)s->data[s->pos++];
		if (c == '"')
			break;
		if (c == '\0') {
			lexerror(p, line, "NUL byte in string");
			/* One error for the line: skip the rest of it. */
			while (s->pos < s->len && s->data[s->pos] != '\n')
				s->pos++;
			free(b.v);
			return LEXERROR;
		}
		if (c == '\\' && s->pos < s->len) {
			int e = (unsigned char)s->data[s->pos];

			if (e == '\n') {	/* continuation inside a string */
				s->pos++;
				s->line++;
				continue;
			}
			s->pos++;
			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default:
				/* Keep unknown escapes (regexes): \d stays \d. */
				if (b.n + 1 >= b.cap) {
					b.cap = b.cap ? b.cap * 2 : 64;
					b.v = xreallocarray(b.v, b.cap, 1);
				}
				b.v[b.n++] = '\\';
				c = e;
				break;
			}
		}
		if (b.n + 1 >= SC_CONF_TOKEN_MAX) {
			lexerror(p, line, "string longer than %d bytes",
			    SC_CONF_TOKEN_MAX);
			free(b.v);
			return LEXERROR;
		}
		if (b.n + 1 >= b.cap) {
			b.cap = b.cap ? b.cap * 2 : 64;
			b.v = xreallocarray(b.v, b.cap, 1);
		}
		b.v[b.n++] = (char)c;
	}
	lval->tok.s = b.v ? b.v : xstrdup("");
	if (b.v)
		b.v[b.n] = '\0';
	lval->tok.quoted = 1;
	lval->tok.line = line;
	lval->tok.file = s->name;
	return STRING;
}

static int	yylex_raw(YYSTYPE *, struct parser *);

/*
 * The last statement of a block needs no terminator ("a { b 1 }"): a '}'
 * that follows anything but EOL, ';' or '{' is preceded by an implied EOL
 * (the '}' is put back and read again, after anything an include on that
 * line pushed has been read).  Likewise the last line of the input needs no
 * final newline: the end of the input is preceded by an implied EOL.
 */
static int
yylex(YYSTYPE *lval, struct parser *p)
{
	int t;

	t = yylex_raw(lval, p);
	if (t == '}' && p->last != EOL && p->last != ';' && p->last != '{') {
		p->src->pos--;	/* read the '}' again */
		t = EOL;
	} else if (t == 0 && p->last != EOL && !p->eof_eol) {
		p->eof_eol = 1;
		t = EOL;
	}
	return p->last = t;
}

static int
yylex_raw(YYSTYPE *lval, struct parser *p)
{
	struct src *s;
	size_t start;
	int c;

again:
	if ((s = p->src) == NULL)
		return 0;
	/* Blanks, comments, continuations. */
	for (;;) {
		if (s->pos >= s->len) {
			if (p->depth > 1) {
				src_pop(p);
				/* Each file ends its last statement. */
				return EOL;
			}
			return 0;
		}
		c = (unsigned char)s->data[s->pos];
		if (c == ' ' || c == '\t' || c == '\r') {
			s->pos++;
		} else if (c == '\\' && s->pos + 1 < s->len &&
		    (s->data[s->pos + 1] == '\n' ||
		    (s->data[s->pos + 1] == '\r' && s->pos + 2 < s->len &&
		    s->data[s->pos + 2] == '\n'))) {
			s->pos += s->data[s->pos + 1] == '\n' ? 2 : 3;
			s->line++;
		} else if (c == '#') {
			while (s->pos < s->len && s->data[s->pos] != '\n')
				s->pos++;
		} else {
			break;
		}
	}
	c = (unsigned char)s->data[s->pos];
	if (c == '\n') {
		s->pos++;
		s->line++;
		return EOL;
	}
	if (c == '{' || c == '}' || c == ';' || c == '=') {
		s->pos++;
		return c;
	}
	if (c == '"')
		return lex_string(p, lval);
	if (!is_word_byte(c)) {
		lexerror(p, s->line, "unexpected byte 0x%02x", c);
		s->pos++;
		return LEXERROR;
	}
	start = s->pos;
	while (s->pos < s->len && is_word_byte((unsigned char)s->data[s->pos]))
		s->pos++;
	if (s->pos - start >= SC_CONF_TOKEN_MAX) {
		lexerror(p, s->line, "word longer than %d bytes",
		    SC_CONF_TOKEN_MAX);
		return LEXERROR;
	}
	lval->tok.s = xstrndup(s->data + start, s->pos - start);
	lval->tok.quoted = 0;
	lval->tok.line = s->line;
	lval->tok.file = s->name;
	/* "include" is the directive only where a statement starts. */
	if (strcmp(lval->tok.s, "include") == 0 &&
	    (p->last == 0 || p->last == EOL || p->last == ';' ||
	    p->last == '{' || p->last == '}')) {
		free(lval->tok.s);
		return INCLUDE;
	}
	if (lval->tok.s[0] == '$' && lval->tok.s[1] != '\0') {
		const char *v = conf_macro_lookup(p->conf, lval->tok.s + 1,
		    &lval->tok.quoted);

		if (v == NULL) {
			lexerror(p, s->line, "undefined macro %s",
			    lval->tok.s);
			free(lval->tok.s);
			goto again;
		}
		free(lval->tok.s);
		lval->tok.s = xstrdup(v);
	}
	return WORD;
}

static struct conf_node *
mknode(struct tok *kw, struct arglist *args, struct conf_node *child,
    int has_block)
{
	struct conf_node *n = xcalloc(1, sizeof(*n));

	n->name = kw->s;
	n->file = kw->file;
	n->line = kw->line;
	n->args = args->v;
	n->quoted = args->q;
	n->nargs = args->n;
	n->child = child;
	n->has_block = has_block;
	return n;
}

static void
arg_add(struct arglist *a, struct tok *t)
{
	a->v = xreallocarray(a->v, a->n + 1, sizeof(*a->v));
	a->q = xreallocarray(a->q, a->n + 1, 1);
	a->v[a->n] = t->s;
	a->q[a->n] = (unsigned char)t->quoted;
	a->n++;
}

static void
macro_define(struct parser *p, struct tok *name, struct tok *value)
{
	const char *c;

	for (c = name->s; *c != '\0'; c++) {
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || *c == '_')) {
			conf_add_error(p->conf, "%s:%d: bad macro name '%s'",
			    name->file, name->line, name->s);
			free(name->s);
			free(value->s);
			return;
		}
	}
	conf_macro_set(p->conf, name->s, value->s, value->quoted);
	free(name->s);
	free(value->s);
}

static void
do_include(struct parser *p, struct tok *path)
{
	char *full = NULL;
	const char *slash;

	if (path->s[0] != '/' && (slash = strrchr(path->file, '/')) != NULL)
		xasprintf(&full, "%.*s/%s", (int)(slash - path->file),
		    path->file, path->s);
	else
		full = xstrdup(path->s);
	if (p->depth >= SC_CONF_INCLUDE_DEPTH)
		conf_add_error(p->conf, "%s:%d: include nested deeper than %d",
		    path->file, path->line, SC_CONF_INCLUDE_DEPTH);
	else
		src_push_file(p, full, path->line);
	free(full);
	free(path->s);
}

static void
src_push_text(struct parser *p, const char *name, const char *text,
    size_t len, const char *real)
{
	struct src *s = xcalloc(1, sizeof(*s));

	s->data = xmalloc(len + 1);
	memcpy(s->data, text, len);
	s->data[len] = '\0';
	s->len = len;
	s->name = conf_intern(p->conf, name);
	s->real = real ? xstrdup(real) : NULL;
	s->line = 1;
	s->prev = p->src;
	p->src = s;
	p->depth++;
}

/* 0, or -1 with the error recorded (line: the include's line, or 0). */
static int
src_push_file(struct parser *p, const char *path, int line)
{
	char real[PATH_MAX], eb[128];
	struct stat st;
	FILE *fp;
	char *data;
	size_t n;
	const char *from = p->src ? p->src->name : path;

	if (realpath(path, real) == NULL) {
		if (line > 0)
			conf_add_error(p->conf, "%s:%d: include %s: %s", from,
			    line, path, sc_strerror(errno, eb, sizeof(eb)));
		return -1;
	}
	for (struct src *s = p->src; s != NULL; s = s->prev) {
		if (s->real != NULL && strcmp(s->real, real) == 0) {
			conf_add_error(p->conf, "%s:%d: include %s: includes "
			    "itself", from, line, path);
			return -1;
		}
	}
	if ((fp = fopen(path, "rb")) == NULL || fstat(fileno(fp), &st) == -1) {
		if (line > 0)
			conf_add_error(p->conf, "%s:%d: include %s: %s", from,
			    line, path, sc_strerror(errno, eb, sizeof(eb)));
		if (fp)
			fclose(fp);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > SC_CONF_FILE_MAX) {
		conf_add_error(p->conf, "%s:%d: %s: not a regular file or "
		    "larger than %d bytes", from, line, path, SC_CONF_FILE_MAX);
		fclose(fp);
		return -1;
	}
	data = xmalloc((size_t)st.st_size + 1);
	n = fread(data, 1, (size_t)st.st_size, fp);
	fclose(fp);
	src_push_text(p, path, data, n, real);
	free(data);
	return 0;
}

static void
src_pop(struct parser *p)
{
	struct src *s = p->src;

	p->src = s->prev;
	p->depth--;
	free(s->data);
	free(s->real);
	free(s);
}

static struct conf *
run(struct parser *p)
{
	yyparse(p);
	while (p->src != NULL)
		src_pop(p);
	return p->conf;
}

struct conf *
conf_parse_file(const char *path)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.conf = conf_alloc();
	if (src_push_file(&p, path, 0) == -1 && p.src == NULL) {
		int saved = errno;

		if (conf_nerrors(p.conf) == 0) {
			conf_free(p.conf);
			errno = saved;
			return NULL;
		}
		return p.conf;
	}
	return run(&p);
}

struct conf *
conf_parse_string(const char *name, const char *text, size_t len)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.conf = conf_alloc();
	src_push_text(&p, name, text, len, NULL);
	return run(&p);
}
