/*
 * auth.c — accounts on the wire: scrypt password hashes (OpenSSL EVP_KDF
 * "SCRYPT"), session cookies, the login CSRF token, login throttling per
 * account and per address, and the login / logout pages.
 *
 * A password hash is self-describing:
 *   $scrypt$ln=15,r=8,p=1$<salt, base64>$<32-byte key, base64>
 * so the cost can rise later without breaking stored hashes.  A session
 * cookie is 32 random bytes in hex; the store keeps only its SHA-256, so a
 * stolen database holds no usable cookie.  Every comparison of a secret is
 * constant-time (CRYPTO_memcmp).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "web/web_int.h"

#define SALT_LEN 16
#define KEY_LEN 32

static int
scrypt(const char *pw, const uint8_t *salt, size_t saltlen, int logn, int r,
    int p, uint8_t *out, size_t outlen)
{
	EVP_KDF *kdf;
	EVP_KDF_CTX *ctx;
	OSSL_PARAM params[7], *q = params;
	uint64_t n = (uint64_t)1 << logn, maxmem = 1024ULL * 1024 * 1024;
	uint32_t rr = (uint32_t)r, pp = (uint32_t)p;
	int rc;

	if ((kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL)) == NULL)
		return -1;
	ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (ctx == NULL)
		return -1;
	*q++ = OSSL_PARAM_construct_octet_string(
	    OSSL_KDF_PARAM_PASSWORD, (void *)(uintptr_t)pw, strlen(pw));
	*q++ = OSSL_PARAM_construct_octet_string(
	    OSSL_KDF_PARAM_SALT, (void *)(uintptr_t)salt, saltlen);
	*q++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
	*q++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rr);
	*q++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pp);
	*q++ =
	    OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem);
	*q = OSSL_PARAM_construct_end();
	rc = EVP_KDF_derive(ctx, out, outlen, params) == 1 ? 0 : -1;
	EVP_KDF_CTX_free(ctx);
	return rc;
}

int
web_pw_hash(const char *pw, char *out, size_t outlen)
{
	uint8_t salt[SALT_LEN], key[KEY_LEN];
	char s64[64], k64[64];

	if (RAND_bytes(salt, sizeof(salt)) != 1 ||
	    scrypt(pw, salt, sizeof(salt), WEB_SCRYPT_LOGN, WEB_SCRYPT_R,
		WEB_SCRYPT_P, key, sizeof(key)) == -1)
		return -1;
	EVP_EncodeBlock((unsigned char *)s64, salt, sizeof(salt));
	EVP_EncodeBlock((unsigned char *)k64, key, sizeof(key));
	OPENSSL_cleanse(key, sizeof(key));
	if ((size_t)snprintf(out, outlen, "$scrypt$ln=%d,r=%d,p=%d$%s$%s",
		WEB_SCRYPT_LOGN, WEB_SCRYPT_R, WEB_SCRYPT_P, s64,
		k64) >= outlen)
		return -1;
	return 0;
}

/* Decode base64 (with padding) into out; the decoded length or -1. */
static int
b64_decode(const char *s, size_t len, uint8_t *out, size_t outlen)
{
	uint8_t tmp[128];
	int n;

	if (len == 0 || len % 4 != 0 || len / 4 * 3 > sizeof(tmp))
		return -1;
	if ((n = EVP_DecodeBlock(tmp, (const unsigned char *)s, (int)len)) < 0)
		return -1;
	if (s[len - 1] == '=')
		n--;
	if (s[len - 2] == '=')
		n--;
	if (n <= 0 || (size_t)n > outlen)
		return -1;
	memcpy(out, tmp, (size_t)n);
	return n;
}

int
web_pw_verify(const char *pw, const char *enc)
{
	uint8_t salt[64], want[64], got[64];
	const char *s, *k;
	int logn, r, p, nsalt, nkey, used = 0, rc;

	if (strncmp(enc, "$scrypt$", 8) != 0 ||
	    sscanf(enc + 8, "ln=%d,r=%d,p=%d$%n", &logn, &r, &p, &used) != 3 ||
	    used == 0 || logn < 10 || logn > 20 || r < 1 || r > 32 || p < 1 ||
	    p > 16)
		return 0;
	s = enc + 8 + used;
	if ((k = strchr(s, '$')) == NULL)
		return 0;
	nsalt = b64_decode(s, (size_t)(k - s), salt, sizeof(salt));
	nkey = b64_decode(k + 1, strlen(k + 1), want, sizeof(want));
	if (nsalt < 8 || nkey < 16)
		return 0;
	if (scrypt(pw, salt, (size_t)nsalt, logn, r, p, got, (size_t)nkey) ==
	    -1)
		return 0;
	rc = CRYPTO_memcmp(got, want, (size_t)nkey) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return rc;
}

int
web_random_hex(char *out, size_t nbytes)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[64];

	if (nbytes > sizeof(b) || RAND_bytes(b, (int)nbytes) != 1)
		return -1;
	for (size_t i = 0; i < nbytes; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * nbytes] = '\0';
	OPENSSL_cleanse(b, sizeof(b));
	return 0;
}

void
web_sha256_hex(const char *s, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int n = 0;

	EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

int
web_ct_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n == 0 || n != strlen(b))
		return 0;
	return CRYPTO_memcmp(a, b, n) == 0;
}

/* Cookies */

static int
cookie_get(struct web_req *r, const char *name, char *out, size_t outlen)
{
	const char *h = evhttp_find_header(
	    evhttp_request_get_input_headers(r->req), "Cookie");
	size_t nlen = strlen(name);

	while (h != NULL && *h) {
		const char *end;

		while (*h == ' ' || *h == ';')
			h++;
		end = strchr(h, ';');
		if (end == NULL)
			end = h + strlen(h);
		if ((size_t)(end - h) > nlen && strncmp(h, name, nlen) == 0 &&
		    h[nlen] == '=') {
			size_t vlen = (size_t)(end - h) - nlen - 1;

			if (vlen >= outlen)
				return -1;
			memcpy(out, h + nlen + 1, vlen);
			out[vlen] = '\0';
			return 0;
		}
		h = end;
	}
	return -1;
}

static void
cookie_set(struct web_req *r, const char *name, const char *value, int maxage)
{
	char c[256];

	snprintf(c, sizeof(c),
	    "%s=%s; Path=/; HttpOnly; SameSite=Strict; "
	    "Max-Age=%d%s",
	    name, value, maxage, r->w->ssl_ctx != NULL ? "; Secure" : "");
	evhttp_add_header(
	    evhttp_request_get_output_headers(r->req), "Set-Cookie", c);
}

int
web_session_load(struct web_req *r)
{
	struct store_web_session ses;
	char cookie[96];

	if (cookie_get(r, "sc_session", cookie, sizeof(cookie)) == -1 ||
	    strlen(cookie) != 64)
		return 0;
	web_sha256_hex(cookie, r->sid_hash);
	if (store_web_session_get(r->w->st, r->sid_hash, &ses) != 1)
		return 0;
	if (r->now - ses.last_used > WEB_SESSION_IDLE_SEC * TIME_US_PER_SEC ||
	    r->now - ses.created > WEB_SESSION_MAX_SEC * TIME_US_PER_SEC) {
		store_web_session_delete(r->w->st, r->sid_hash);
		return 0;
	}
	/* Touch at most once a minute: fewer writes, same idle expiry. */
	if (r->now - ses.last_used > 60 * TIME_US_PER_SEC)
		store_web_session_touch(r->w->st, r->sid_hash, r->now);
	r->user = ses.user;
	snprintf(r->csrf, sizeof(r->csrf), "%s", ses.csrf);
	r->role = web_role_parse(ses.user.role);
	r->scope = r->role == ROLE_MUNICIPAL ? r->user.muni : NULL;
	return r->role != 0;
}

/* Throttling: failures per key in a fixed window. */

static struct web_throttle_slot *
throttle_slot(struct web *w, const char *key, int64_t now, int create)
{
	struct web_throttle_slot *old = &w->throttle[0];

	for (size_t i = 0; i < WEB_THROTTLE_SLOTS; i++) {
		struct web_throttle_slot *t = &w->throttle[i];

		if (t->key[0] && strcmp(t->key, key) == 0) {
			if (now - t->window_start >
			    WEB_LOGIN_WINDOW_SEC * TIME_US_PER_SEC) {
				t->window_start = now;
				t->fails = 0;
			}
			return t;
		}
		if (t->window_start < old->window_start)
			old = t;
	}
	if (!create)
		return NULL;
	/* Reuse the slot whose window began longest ago. */
	snprintf(old->key, sizeof(old->key), "%s", key);
	old->window_start = now;
	old->fails = 0;
	return old;
}

/* Seconds until key may try again, 0 if it may now. */
static int64_t
throttled(struct web *w, const char *key, int limit, int64_t now)
{
	struct web_throttle_slot *t = throttle_slot(w, key, now, 0);

	if (t == NULL || t->fails < limit)
		return 0;
	return (t->window_start + WEB_LOGIN_WINDOW_SEC * TIME_US_PER_SEC -
		   now) /
	    TIME_US_PER_SEC +
	    1;
}

static void
throttle_fail(struct web *w, const char *key, int64_t now)
{
	struct web_throttle_slot *t = throttle_slot(w, key, now, 1);

	t->fails++;
}

static void
throttle_clear(struct web *w, const char *key, int64_t now)
{
	struct web_throttle_slot *t = throttle_slot(w, key, now, 0);

	if (t != NULL)
		t->fails = 0;
}

/* Pages */

static void
login_form(struct web_req *r, int code, const char *msg)
{
	char token[72];

	if (web_random_hex(token, 32) == -1) {
		web_error(r, 500, "no randomness");
		return;
	}
	cookie_set(r, "sc_login", token, 3600);
	web_page_begin(r, tr(r, "Log in"), NULL);
	if (msg != NULL)
		web_html(
		    &r->out, "<p class=\"error\" role=\"alert\">%s</p>", msg);
	web_html(&r->out,
	    "<form method=\"post\" action=\"/login\" "
	    "class=\"login\"><input type=\"hidden\" name=\"csrf\" "
	    "value=\"%s\"><label>%s <input name=\"user\" id=\"user\" "
	    "autocomplete=\"username\" required maxlength=\"63\"></label>"
	    "<label>%s <input type=\"password\" name=\"password\" "
	    "id=\"password\" autocomplete=\"current-password\" required>"
	    "</label><button type=\"submit\" id=\"login\">%s</button>"
	    "</form>",
	    token, tr(r, "User"), tr(r, "Password"), tr(r, "Log in"));
	web_page_end(r);
	web_send(r, code, "text/html; charset=utf-8");
}

void
page_login(struct web_req *r)
{
	if (r->role != 0) {
		web_redirect(r, "/inbox");
		return;
	}
	login_form(r, 200, NULL);
}

/* A login waiting for its password check (pwworker.c). */
struct login {
	struct web_pwjob job; /* first: the job is the login */
	struct web_req *r;
	struct store_web_user u;
	int found;
	char name[STORE_WEB_NAME_MAX];
	char ukey[96], akey[96];
};

/* The password is checked: answer the login (on the event loop). */
static void
login_finish(struct login *l)
{
	struct web_req *r = l->r;
	char sid[72], hash[72], csrf[72];

	if (!l->found || !l->job.good || l->u.disabled) {
		throttle_fail(r->w, l->ukey, r->now);
		throttle_fail(r->w, l->akey, r->now);
		web_audit(r, "login", l->name,
		    !l->found	      ? "unknown user" :
			l->u.disabled ? "account disabled" :
					"bad password",
		    "failure");
		login_form(r, 401, tr(r, "Wrong user name or password."));
		return;
	}
	throttle_clear(r->w, l->ukey, r->now);
	if (web_random_hex(sid, 32) == -1 || web_random_hex(csrf, 32) == -1) {
		web_error(r, 500, "no randomness");
		return;
	}
	web_sha256_hex(sid, hash);
	store_web_session_expire(r->w->st,
	    r->now - WEB_SESSION_IDLE_SEC * TIME_US_PER_SEC,
	    r->now - WEB_SESSION_MAX_SEC * TIME_US_PER_SEC);
	if (store_web_session_new(
		r->w->st, hash, l->u.id, csrf, r->now, r->addr) == -1) {
		web_error(r, 500, "cannot create session");
		return;
	}
	store_web_user_login(r->w->st, l->u.id, r->now);
	snprintf(r->user.name, sizeof(r->user.name), "%s", l->u.name);
	web_audit(r, "login", l->name, l->u.role, "ok");
	cookie_set(r, "sc_session", sid, WEB_SESSION_MAX_SEC);
	cookie_set(r, "sc_login", "", 0);
	OPENSSL_cleanse(sid, sizeof(sid));
	web_redirect(r, "/inbox");
}

static void
login_done(struct web_pwjob *j)
{
	struct login *l = (struct login *)j;
	struct web_req *r = l->r;

	/* the connection's request deadline runs again from this reply */
	web_conn_request_done(r->w, evhttp_request_get_connection(r->req));
	login_finish(l);
	OPENSSL_cleanse(&l->u, sizeof(l->u));
	free(l);
	web_req_free(r);
}

static void
login_drop(struct web_pwjob *j)
{
	struct login *l = (struct login *)j;

	web_req_free(l->r);
	OPENSSL_cleanse(&l->u, sizeof(l->u));
	free(l);
}

/*
 * POST /login: the form token, then the throttles (before any hashing),
 * then the password check on the worker thread; login_done answers.
 */
void
page_login_post(struct web_req *r)
{
	const char *name = web_f(r, "user");
	char *pw = (char *)web_f(r, "password");
	const char *token = web_f(r, "csrf");
	char cookie[96], msg[256];
	struct login *l;
	int64_t wait;

	if (token == NULL ||
	    cookie_get(r, "sc_login", cookie, sizeof(cookie)) == -1 ||
	    !web_ct_equal(token, cookie)) {
		web_audit(r, "login", name, "bad login form token", "denied");
		web_error(r, 403, tr(r, "The form has expired; reload it."));
		return;
	}
	if (name == NULL || pw == NULL || strlen(name) >= STORE_WEB_NAME_MAX) {
		login_form(r, 400, tr(r, "Enter a user name and password."));
		return;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		web_error(r, 503, "busy");
		return;
	}
	l->r = r;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->ukey, sizeof(l->ukey), "u:%s", name);
	snprintf(l->akey, sizeof(l->akey), "a:%s", r->addr);
	if ((wait = throttled(r->w, l->ukey, WEB_LOGIN_FAILS_USER, r->now)) >
		0 ||
	    (wait = throttled(r->w, l->akey, WEB_LOGIN_FAILS_ADDR, r->now)) >
		0) {
		free(l);
		web_audit(r, "login", name, "too many failures", "throttled");
		snprintf(msg, sizeof(msg), "%s (%lld %s)",
		    tr(r, "Too many failed logins. Try again later."),
		    (long long)(wait + 59) / 60, tr(r, "min"));
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Retry-After", "60");
		login_form(r, 429, msg);
		return;
	}
	l->found = store_web_user_get(r->w->st, name, &l->u) == 1;
	/* Verify against a fixed hash for unknown users too: the time taken
	 * does not tell whether the account exists. */
	l->job.pw = pw;
	l->job.hash = l->found ?
	    l->u.pwhash :
	    "$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
	l->job.done = login_done;
	l->job.drop = login_drop;
	r->async = 1;
	if (web_pw_submit(r->w, &l->job) == -1) {
		r->async = 0;
		free(l);
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Retry-After", "5");
		web_error(r, 503, tr(r, "Too many logins at once; try again."));
	}
}

void
page_logout(struct web_req *r)
{
	store_web_session_delete(r->w->st, r->sid_hash);
	web_audit(r, "logout", r->user.name, NULL, "ok");
	cookie_set(r, "sc_session", "", 0);
	if (r->route->flags & WR_API) {
		web_send_json(r, 200, json_pack("{s:b}", "ok", 1));
		return;
	}
	web_redirect(r, "/login");
}
