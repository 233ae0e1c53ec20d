/*
 * compile_hs.c — one Hyperscan database per buffer kind (and a streaming
 * one for the payload of packet sets).  Each rule contributes one pattern,
 * whose id is the rule's index: its fast_pattern or longest content as an
 * escaped literal, or, with no content, its whole pcre when Hyperscan
 * accepts it (as is, or with HS_FLAG_PREFILTER).  Rules with neither go on
 * the unfiltered lists.  Databases are serialised to
 * CACHE_DIR/<sha256>.hsdb, keyed by the rule text, the vars, the domain and
 * hs_version(), so a restart with unchanged rules skips compilation.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "rules/rules_int.h"

struct pats {
	char **expr;
	unsigned *flags;
	unsigned *ids;
	size_t n, cap;
};

static void
pats_add(struct pats *p, char *expr, unsigned flags, unsigned id)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->expr = xreallocarray(p->expr, p->cap, sizeof(*p->expr));
		p->flags = xreallocarray(p->flags, p->cap, sizeof(*p->flags));
		p->ids = xreallocarray(p->ids, p->cap, sizeof(*p->ids));
	}
	p->expr[p->n] = expr;
	p->flags[p->n] = flags;
	p->ids[p->n] = id;
	p->n++;
}

static void
pats_free(struct pats *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->expr[i]);
	free(p->expr);
	free(p->flags);
	free(p->ids);
	memset(p, 0, sizeof(*p));
}

static char *
escape_literal(const uint8_t *s, size_t n)
{
	char *out = xmalloc(n * 4 + 1), *o = out;
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		if (isalnum(s[i]))
			*o++ = (char)s[i];
		else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[s[i] >> 4];
			*o++ = hex[s[i] & 15];
		}
	}
	*o = '\0';
	return out;
}

/* 0 exact, 1 only as a prefilter, -1 refused. */
static int
hs_accepts(const struct rule_elem *e)
{
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *err = NULL;
	int rv = -1;

	if (hs_expression_info(e->re_src, e->hs_flags, &info, &err) ==
	    HS_SUCCESS)
		rv = 0;
	else {
		hs_free_compile_error(err);
		err = NULL;
		if (hs_expression_info(e->re_src,
			e->hs_flags | HS_FLAG_PREFILTER, &info,
			&err) == HS_SUCCESS)
			rv = 1;
		else
			hs_free_compile_error(err);
	}
	if (info != NULL) {
		if (info->min_width == 0)
			rv = -1; /* matches empty: no use as a prefilter */
		free(info);
	}
	return rv;
}

/* Pick the pattern for one rule; returns its buffer or -1. */
static int
rule_pattern(struct ruleset *rs, struct rule *r, char **expr, unsigned *fl)
{
	int pcre_choice = -1;
	unsigned pflags = 0;

	r->prefilter_is_pcre = 0;
	for (size_t i = 0; i < r->nelems; i++) {
		const struct rule_elem *e = &r->elems[i];
		int a;

		if (e->kind != ELEM_PCRE)
			continue;
		a = hs_accepts(e);
		if (a == 0)
			rs->stats.pcre_hs++;
		else if (a == 1)
			rs->stats.pcre_hs_prefilter++;
		if (pcre_choice < 0 && a >= 0 &&
		    !(e->flags & (ELEM_NEG | ELEM_RELATIVE)) &&
		    !(e->re_opts & PCRE2_ANCHORED)) {
			pcre_choice = (int)i;
			pflags = e->hs_flags | (a == 1 ? HS_FLAG_PREFILTER : 0);
		}
	}
	if (r->prefilter >= 0) {
		const struct rule_elem *e = &r->elems[r->prefilter];
		size_t len;
		const uint8_t *lit = rule_prefilter_literal(r, &len);

		*expr = escape_literal(lit, len);
		*fl = (e->flags & ELEM_NOCASE) ? HS_FLAG_CASELESS : 0;
		return e->buf;
	}
	if (pcre_choice >= 0) {
		r->prefilter = pcre_choice;
		r->prefilter_is_pcre = 1;
		*expr = xstrdup(r->elems[pcre_choice].re_src);
		*fl = pflags;
		return r->elems[pcre_choice].buf;
	}
	return -1;
}

/*
 * A log rule with no content or pcre to prefilter on, but a non-negated
 * meta_content (Sagan's list of alternatives, often hashes or user names),
 * must contain one of that list's values: each value becomes a literal of
 * the payload database naming the rule.  Returns 1 if the rule is
 * prefiltered so.  An empty value matches every message: no prefilter.
 */
static int
meta_patterns(struct rule *r, struct pats *p)
{
	const struct rule_meta_content *mc = NULL;

	if (!r->is_log)
		return 0;
	for (size_t i = 0; i < r->nmetas && mc == NULL; i++)
		if (!(r->metas[i].flags & META_NEG) && r->metas[i].nvalues > 0)
			mc = &r->metas[i];
	if (mc == NULL)
		return 0;
	for (size_t j = 0; j < mc->nvalues; j++)
		if (mc->values[j][0] == '\0')
			return 0;
	for (size_t j = 0; j < mc->nvalues; j++)
		pats_add(p,
		    escape_literal(
			(const uint8_t *)mc->values[j], strlen(mc->values[j])),
		    (mc->flags & META_NOCASE) ? HS_FLAG_CASELESS : 0,
		    (unsigned)r->idx);
	r->prefilter_meta = 1;
	return 1;
}

static void
add_unfiltered(struct ruleset *rs, const struct rule *r)
{
	if (r->is_log) {
		rs->unf_log = xreallocarray(
		    rs->unf_log, rs->nunf_log + 1, sizeof(*rs->unf_log));
		rs->unf_log[rs->nunf_log++] = r;
	} else {
		int p = r->proto;

		rs->unf_pkt[p] = xreallocarray(rs->unf_pkt[p],
		    rs->nunf_pkt[p] + 1, sizeof(*rs->unf_pkt[p]));
		rs->unf_pkt[p][rs->nunf_pkt[p]++] = r;
	}
	rs->stats.unfiltered++;
}

/* A rule whose pattern Hyperscan refused: evaluated without prefilter.
 * Remembered so the cache can replay it. */
static void
drop_pattern(struct ruleset *rs, struct rule *r)
{
	if (r->prefilter < 0 && !r->prefilter_meta)
		return;
	r->prefilter = -1;
	r->prefilter_meta = 0;
	add_unfiltered(rs, r);
	rs->stats.prefiltered--;
	rs->dropped =
	    xreallocarray(rs->dropped, rs->ndropped + 1, sizeof(*rs->dropped));
	rs->dropped[rs->ndropped++] = (uint32_t)r->idx;
}

static int
compile_one(struct ruleset *rs, struct pats *p, int buf, int mode)
{
	hs_compile_error_t *err = NULL;
	unsigned *fl = xreallocarray(NULL, p->n, sizeof(unsigned));

	for (;;) {
		hs_error_t e;

		for (size_t i = 0; i < p->n; i++)
			fl[i] = p->flags[i] |
			    (mode == RULE_HS_BLOCK ? HS_FLAG_SINGLEMATCH : 0);
		if (p->n == 0)
			break;
		e = hs_compile_ext_multi((const char *const *)p->expr, fl,
		    p->ids, NULL, (unsigned)p->n,
		    mode == RULE_HS_BLOCK ? HS_MODE_BLOCK : HS_MODE_STREAM,
		    NULL, &rs->db[buf][mode], &err);
		if (e == HS_SUCCESS)
			break;
		/* One pattern failed: take it out, its rule goes unfiltered. */
		if (err == NULL || err->expression < 0 ||
		    (size_t)err->expression >= p->n) {
			log_warnx("rules: hyperscan (%s): %s",
			    rule_buf_name(buf),
			    err != NULL ? err->message : "failed");
			hs_free_compile_error(err);
			free(fl);
			return -1;
		}
		{
			size_t k = (size_t)err->expression;
			struct rule *r = rs->rules[p->ids[k]];

			log_debug(
			    "rules: sid %u: hyperscan refused its pattern "
			    "(%s); confirming without a prefilter",
			    r->sid, err->message);
			hs_free_compile_error(err);
			err = NULL;
			drop_pattern(rs, r);
			/* every pattern of that rule (a meta_content
			 * prefilter has one per value) */
			for (size_t j = p->n; j-- > 0;) {
				if (p->ids[j] != (unsigned)r->idx)
					continue;
				free(p->expr[j]);
				p->n--;
				p->expr[j] = p->expr[p->n];
				p->flags[j] = p->flags[p->n];
				p->ids[j] = p->ids[p->n];
			}
		}
	}
	free(fl);
	return 0;
}

/* ---- cache ------------------------------------------------------------- */

static void
cache_path(
    const char *dir, const char *key, size_t keylen, char *out, size_t outlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	const char *ver = hs_version();

	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	EVP_DigestUpdate(c, key, keylen);
	EVP_DigestUpdate(c, ver, strlen(ver));
	EVP_DigestFinal_ex(c, md, &mdlen);
	EVP_MD_CTX_free(c);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(out, outlen, "%s/%s.hsdb", dir, hex);
}

/* 2: three HTTP response buffers moved the program database's index;
 * 3: meta_content values became patterns of the payload database */
#define CACHE_MAGIC "SCHSDB3\n"

static int
read_dropped(struct ruleset *rs, FILE *f, uint32_t len)
{
	uint32_t id;

	if (len % 4 != 0)
		return -1;
	for (uint32_t i = 0; i < len / 4; i++) {
		if (fread(&id, 4, 1, f) != 1 || id >= rs->nrules)
			return -1;
		drop_pattern(rs, rs->rules[id]);
	}
	return 0;
}

static int
cache_read(struct ruleset *rs, const char *path)
{
	FILE *f = fopen(path, "rb");
	hs_database_t **dbp;
	char magic[8];
	uint32_t hdr[3];
	int ok = 0;

	if (f == NULL)
		return -1;
	if (fread(magic, 1, 8, f) != 8 || memcmp(magic, CACHE_MAGIC, 8) != 0)
		goto out;
	while (fread(hdr, sizeof(uint32_t), 3, f) == 3) {
		char *b;

		if (hdr[0] == UINT32_MAX) {
			if (read_dropped(rs, f, hdr[2]) == -1)
				goto out;
			continue;
		}
		if (hdr[0] > RULE_BUF_COUNT || hdr[1] > 1 ||
		    hdr[2] > 1024u * 1024 * 1024)
			goto out;
		dbp = hdr[0] == RULE_BUF_COUNT ? &rs->progdb :
						 &rs->db[hdr[0]][hdr[1]];
		if (*dbp != NULL)
			goto out;
		b = xmalloc(hdr[2]);
		if (fread(b, 1, hdr[2], f) != hdr[2] ||
		    hs_deserialize_database(b, hdr[2], dbp) != HS_SUCCESS) {
			free(b);
			goto out;
		}
		rs->stats.db_bytes += hdr[2];
		free(b);
	}
	ok = feof(f);
out:
	fclose(f);
	if (!ok) {
		for (int b = 0; b < RULE_BUF_COUNT; b++)
			for (int m = 0; m < 2; m++) {
				hs_free_database(rs->db[b][m]);
				rs->db[b][m] = NULL;
			}
		hs_free_database(rs->progdb);
		rs->progdb = NULL;
		rs->stats.db_bytes = 0;
		return -1;
	}
	/* mark it used, for rule_cache_prune (a read-only dir: no harm) */
	(void)utimensat(AT_FDCWD, path, NULL, 0);
	return 0;
}

static void
cache_write(struct ruleset *rs, const char *dir, const char *path)
{
	char tmp[4200];
	FILE *f;
	int bad = 0;

	if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
		log_warn("rules: cache %s", dir);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	if ((f = fopen(tmp, "wb")) == NULL) {
		log_warn("rules: cache %s", tmp);
		return;
	}
	fwrite(CACHE_MAGIC, 1, 8, f);
	for (int b = 0; b <= RULE_BUF_COUNT; b++)
		for (int m = 0; m < 2; m++) {
			char *bytes = NULL;
			size_t len = 0;
			uint32_t hdr[3];
			/* [RULE_BUF_COUNT][0] is the program database */
			hs_database_t *db = b < RULE_BUF_COUNT ? rs->db[b][m] :
			    m == 0			       ? rs->progdb :
								 NULL;

			if (db == NULL)
				continue;
			if (hs_serialize_database(db, &bytes, &len) !=
			    HS_SUCCESS) {
				bad = 1;
				continue;
			}
			hdr[0] = (uint32_t)b;
			hdr[1] = (uint32_t)m;
			hdr[2] = (uint32_t)len;
			if (fwrite(hdr, sizeof(uint32_t), 3, f) != 3 ||
			    fwrite(bytes, 1, len, f) != len)
				bad = 1;
			free(bytes);
		}
	if (rs->ndropped > 0) {
		uint32_t hdr[3] = { UINT32_MAX, 0,
			(uint32_t)(rs->ndropped * 4) };

		if (fwrite(hdr, sizeof(uint32_t), 3, f) != 3 ||
		    fwrite(rs->dropped, 4, rs->ndropped, f) != rs->ndropped)
			bad = 1;
	}
	if (fclose(f) != 0 || bad || rename(tmp, path) == -1) {
		log_warnx("rules: could not write cache %s", path);
		unlink(tmp);
		return;
	}
	rule_cache_prune(dir, time(NULL));
}

/*
 * Prune the cache directory after a write: a cache file's mtime is when
 * it was last written or read (cache_read touches it; atime is not to be
 * trusted on noatime/relatime mounts).  Keep the newest RULE_CACHE_KEEP
 * and every file used within RULE_CACHE_DAYS, whichever keeps more;
 * remove the rest.  Only names this code writes are touched: 64 hex
 * digits and ".hsdb", and leftover "….hsdb.PID.tmp" of a writer that died
 * (older than an hour, so a concurrent writer is never disturbed).
 */
struct cache_ent {
	char name[80];
	time_t mtime;
};

static int
is_cache_name(const char *s, const char **rest)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	if (strncmp(s + 64, ".hsdb", 5) != 0)
		return 0;
	*rest = s + 69;
	return 1;
}

static int
cmp_cache_newest(const void *a, const void *b)
{
	const struct cache_ent *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

void
rule_cache_prune(const char *dir, time_t now)
{
	DIR *d;
	struct dirent *de;
	struct cache_ent *v = NULL;
	size_t n = 0, removed = 0;
	int dfd;

	if ((d = opendir(dir)) == NULL)
		return;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		const char *rest;
		struct stat st;

		if (strlen(de->d_name) >= sizeof(v->name) ||
		    !is_cache_name(de->d_name, &rest) ||
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (*rest != '\0') { /* "PID.tmp" of a dead writer */
			if (*rest == '.' && strstr(rest, ".tmp") != NULL &&
			    st.st_mtime < now - 3600 &&
			    unlinkat(dfd, de->d_name, 0) == 0)
				removed++;
			continue;
		}
		v = xreallocarray(v, n + 1, sizeof(*v));
		snprintf(v[n].name, sizeof(v[n].name), "%s", de->d_name);
		v[n++].mtime = st.st_mtime;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_cache_newest);
	for (size_t i = RULE_CACHE_KEEP; i < n; i++) {
		if (v[i].mtime >= now - (time_t)RULE_CACHE_DAYS * 86400)
			continue;
		if (unlinkat(dfd, v[i].name, 0) == 0)
			removed++;
		else
			log_warn("rules: cache prune %s/%s", dir, v[i].name);
	}
	if (removed > 0)
		log_info("rules: cache %s: removed %zu unused file%s", dir,
		    removed, removed == 1 ? "" : "s");
	free(v);
	closedir(d);
}

static void
count_db_bytes(struct ruleset *rs)
{
	size_t sz = 0;

	rs->stats.db_bytes = 0;
	for (int b = 0; b < RULE_BUF_COUNT; b++)
		for (int m = 0; m < 2; m++) {
			sz = 0;
			if (rs->db[b][m] != NULL &&
			    hs_database_size(rs->db[b][m], &sz) == HS_SUCCESS)
				rs->stats.db_bytes += sz;
		}
	sz = 0;
	if (rs->progdb != NULL &&
	    hs_database_size(rs->progdb, &sz) == HS_SUCCESS)
		rs->stats.db_bytes += sz;
}

static int
cmp_rule_idx(const void *a, const void *b)
{
	const struct rule *x = *(const struct rule *const *)a;
	const struct rule *y = *(const struct rule *const *)b;

	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* "%ASA*-6-3020??" -> "^(?:%ASA.*-6-3020..)$"-style alternatives. */
static char *
program_regex(const struct rule *r)
{
	size_t cap = 16;
	char *out, *o;

	for (size_t j = 0; j < r->nprograms; j++)
		cap += strlen(r->programs[j]) * 4 + 2;
	out = o = xmalloc(cap);
	o += snprintf(o, cap, "^(?:");
	for (size_t j = 0; j < r->nprograms; j++) {
		if (j > 0)
			*o++ = '|';
		for (const char *p = r->programs[j]; *p != '\0'; p++) {
			if (*p == '*') {
				*o++ = '.';
				*o++ = '*';
			} else if (*p == '?')
				*o++ = '.';
			else if (isalnum((unsigned char)*p))
				*o++ = *p;
			else
				o += snprintf(
				    o, 5, "\\x%02x", (unsigned char)*p);
		}
	}
	*o++ = ')';
	*o++ = '$';
	*o = '\0';
	return out;
}

/*
 * Log rules without a literal but with a program are prefiltered on the
 * program instead: one Hyperscan database over the program name (globs
 * become anchored regexes), so a message only meets the rules of its own
 * program.  Rules with neither stay on the generic list, in rule order.
 */
static int
build_program_db(struct ruleset *rs, int cached)
{
	struct pats p;
	size_t keep = 0;
	int rv = 0;

	memset(&p, 0, sizeof(p));
	if (rs->nunf_log > 1)
		qsort(rs->unf_log, rs->nunf_log, sizeof(*rs->unf_log),
		    cmp_rule_idx);
	for (size_t i = 0; i < rs->nunf_log; i++) {
		const struct rule *r = rs->unf_log[i];

		if (r->nprograms == 0) {
			rs->unf_log[keep++] = r;
			continue;
		}
		pats_add(
		    &p, program_regex(r), HS_FLAG_DOTALL, (unsigned)r->idx);
	}
	rs->nunf_log = keep;
	if (!cached && p.n > 0) {
		hs_compile_error_t *err = NULL;
		unsigned *fl = xreallocarray(NULL, p.n, sizeof(unsigned));

		for (size_t i = 0; i < p.n; i++)
			fl[i] = p.flags[i] | HS_FLAG_SINGLEMATCH;
		if (hs_compile_ext_multi((const char *const *)p.expr, fl, p.ids,
			NULL, (unsigned)p.n, HS_MODE_BLOCK, NULL, &rs->progdb,
			&err) != HS_SUCCESS) {
			log_warnx("rules: hyperscan (program): %s",
			    err != NULL ? err->message : "failed");
			hs_free_compile_error(err);
			rv = -1;
		}
		free(fl);
	}
	pats_free(&p);
	return rv;
}

/*
 * Packet rules without a literal, indexed by destination port.  A header
 * "-> X P" with P a positive port list can only accept a packet whose
 * dport is in P (a negated member of a list only narrows it); such rules
 * are listed under each port of P.  Any port, a negated list, a `<>`
 * header (either port may be the destination) and lists wider than
 * PORT_INDEX_MAX ports go on the any-port list.
 */
#define PORT_INDEX_MAX 1024

struct port_pair {
	uint16_t port;
	const struct rule *r;
};

/* Append the ports node n can accept; 0 if it cannot be listed. */
static int
port_list(const struct rule_node *n, uint16_t *out, size_t *nout)
{
	int haspos = 0;

	if (n->neg)
		return 0;
	if (n->kind == NODE_PORTS) {
		if ((size_t)(n->hi - n->lo) + 1 > PORT_INDEX_MAX - *nout)
			return 0;
		for (uint32_t p = n->lo; p <= n->hi; p++)
			out[(*nout)++] = (uint16_t)p;
		return 1;
	}
	if (n->kind != NODE_LIST)
		return 0; /* any */
	for (size_t i = 0; i < n->nkids; i++) {
		if (n->kids[i].neg)
			continue;
		haspos = 1;
		if (!port_list(&n->kids[i], out, nout))
			return 0;
	}
	return haspos;
}

static int
cmp_port_pair(const void *a, const void *b)
{
	const struct port_pair *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->r->idx < y->r->idx ? -1 : x->r->idx > y->r->idx;
}

static void
index_ports(struct ruleset *rs)
{
	uint16_t ports[PORT_INDEX_MAX];

	for (int p = 0; p < RULE_PROTO_COUNT; p++) {
		struct port_pair *pp = NULL;
		size_t npp = 0;

		for (size_t i = 0; i < rs->nunf_pkt[p]; i++) {
			const struct rule *r = rs->unf_pkt[p][i];
			size_t n = 0;

			if (r->bidir || !port_list(&r->dport, ports, &n) ||
			    n == 0) {
				rs->unf_anyport[p] = xreallocarray(
				    rs->unf_anyport[p], rs->nunf_anyport[p] + 1,
				    sizeof(*rs->unf_anyport[p]));
				rs->unf_anyport[p][rs->nunf_anyport[p]++] = r;
				continue;
			}
			pp = xreallocarray(pp, npp + n, sizeof(*pp));
			for (size_t k = 0; k < n; k++) {
				pp[npp].port = ports[k];
				pp[npp++].r = r;
			}
		}
		if (npp == 0)
			continue;
		qsort(pp, npp, sizeof(*pp), cmp_port_pair);
		rs->unf_ports[p] = xreallocarray(NULL, npp, sizeof(uint16_t));
		rs->unf_byport[p] =
		    xreallocarray(NULL, npp, sizeof(*rs->unf_byport[p]));
		for (size_t k = 0; k < npp; k++) {
			/* a port named twice in one list: keep one */
			if (rs->nunf_byport[p] > 0 &&
			    rs->unf_ports[p][rs->nunf_byport[p] - 1] ==
				pp[k].port &&
			    rs->unf_byport[p][rs->nunf_byport[p] - 1] ==
				pp[k].r)
				continue;
			rs->unf_ports[p][rs->nunf_byport[p]] = pp[k].port;
			rs->unf_byport[p][rs->nunf_byport[p]++] = pp[k].r;
		}
		free(pp);
	}
}

int
ruleset_compile(struct ruleset *rs, const char *cache_dir, const char *keytext,
    size_t keylen)
{
	struct pats pats[RULE_BUF_COUNT];
	char path[4096];
	struct timespec t0, t1;
	int packet = (rs->flags & RULESET_PACKET) != 0, rv = 0;
	int cached = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(pats, 0, sizeof(pats));
	for (size_t i = 0; i < rs->nrules; i++) {
		struct rule *r = rs->rules[i];
		char *expr = NULL;
		unsigned fl = 0;
		int buf;

		if (r->is_log == packet)
			continue; /* other domain: never matched */
		buf = rule_pattern(rs, r, &expr, &fl);
		if (buf < 0 && meta_patterns(r, &pats[RULE_BUF_PAYLOAD])) {
			rs->stats.prefiltered++;
			continue;
		}
		if (buf < 0) {
			add_unfiltered(rs, r);
			continue;
		}
		rs->stats.prefiltered++;
		pats_add(&pats[buf], expr, fl, (unsigned)i);
	}
	if (cache_dir != NULL) {
		cache_path(cache_dir, keytext, keylen, path, sizeof(path));
		if (cache_read(rs, path) == 0)
			cached = 1;
	}
	for (int b = 0; !cached && b < RULE_BUF_COUNT; b++) {
		if (compile_one(rs, &pats[b], b, RULE_HS_BLOCK) == -1) {
			rv = -1;
			break;
		}
		if (packet && b == RULE_BUF_PAYLOAD &&
		    compile_one(rs, &pats[b], b, RULE_HS_STREAM) == -1) {
			rv = -1;
			break;
		}
	}
	for (int b = 0; b < RULE_BUF_COUNT; b++)
		pats_free(&pats[b]);
	if (rv == 0 && build_program_db(rs, cached) == -1)
		rv = -1;
	if (rv == 0 && packet)
		index_ports(rs);
	if (rv == 0 && !cached) {
		count_db_bytes(rs);
		if (cache_dir != NULL)
			cache_write(rs, cache_dir, path);
	}
	rs->stats.cache_hit = cached;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rs->stats.compile_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	return rv;
}
