/*
 * cmd_user.c — `seccloud user`: manage the web view's accounts.
 *
 *   seccloud user [-f conf] [-d datadir] add NAME --role ROLE [--muni CODE]
 *                 [--password-file FILE]
 *   seccloud user [-f conf] [-d datadir] passwd NAME [--password-file FILE]
 *   seccloud user [-f conf] [-d datadir] disable|enable NAME
 *   seccloud user [-f conf] [-d datadir] list
 *
 * A password never comes from argv: it is read from FILE (first line), or
 * from stdin (first line), or prompted twice without echo on a terminal.
 * Each change is written to the audit log as done by "cli".
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "common/settings.h"
#include "common/timeutil.h"
#include "seccloud.h"
#include "web/web.h"
#include "web/web_int.h"

#define PW_MIN 8
#define PW_MAX 1024

static const char usage_text[] =
    "usage: seccloud user [-f conf] [-d datadir] add NAME --role "
    "admin|analyst|municipal|auditor\n"
    "                     [--muni CODE] [--password-file FILE]\n"
    "       seccloud user [-f conf] [-d datadir] passwd NAME [--password-file FILE]\n"
    "       seccloud user [-f conf] [-d datadir] disable|enable NAME\n"
    "       seccloud user [-f conf] [-d datadir] list\n\n"
    "manage web accounts.  Passwords are read from --password-file, from\n"
    "stdin, or prompted on the terminal; never from the command line.\n";

static int
read_line(FILE *f, char *out, size_t len)
{
	size_t n;

	if (fgets(out, (int)len, f) == NULL)
		return -1;
	n = strlen(out);
	if (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	else if (!feof(f))
		return -1; /* longer than PW_MAX */
	if (n > 0 && out[n - 1] == '\r')
		out[--n] = '\0';
	return 0;
}

static int
prompt(const char *what, char *out, size_t len)
{
	struct termios t, quiet;
	int rc;

	fprintf(stderr, "%s: ", what);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &t) == -1)
		return -1;
	quiet = t;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	rc = read_line(stdin, out, len);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
	fputc('\n', stderr);
	return rc;
}

static int
get_password(const char *file, char *pw, size_t len)
{
	char again[PW_MAX + 2];
	FILE *f;
	int rc;

	if (file != NULL) {
		if ((f = fopen(file, "r")) == NULL) {
			fprintf(stderr, "seccloud user: %s: %s\n", file,
			    strerror(errno));
			return -1;
		}
		rc = read_line(f, pw, len);
		fclose(f);
	} else if (isatty(STDIN_FILENO)) {
		if ((rc = prompt("password", pw, len)) == 0 &&
		    (rc = prompt("again", again, sizeof(again))) == 0 &&
		    strcmp(pw, again) != 0) {
			fprintf(stderr, "seccloud user: passwords differ\n");
			rc = -1;
		}
		OPENSSL_cleanse(again, sizeof(again));
	} else {
		rc = read_line(stdin, pw, len);
	}
	if (rc == -1 || strlen(pw) < PW_MIN) {
		fprintf(stderr,
		    "seccloud user: a password of %d to %d bytes "
		    "is needed\n",
		    PW_MIN, PW_MAX);
		return -1;
	}
	return 0;
}

static int
user_list(struct store *st)
{
	json_t *rows = store_web_users(st), *u;
	size_t i;
	char t[40];

	if (rows == NULL)
		return 1;
	printf("%-24s %-10s %-7s %-8s %s\n", "name", "role", "団体", "state",
	    "last login");
	json_array_foreach(rows, i, u)
	{
		int64_t ll = ji(u, "last_login");

		if (ll == 0 || time_fmt_jst(ll, t, sizeof(t)) == 0)
			snprintf(t, sizeof(t), "never");
		printf("%-24s %-10s %-7s %-8s %s\n", js(u, "name"),
		    js(u, "role"), *js(u, "muni") ? js(u, "muni") : "-",
		    ji(u, "disabled") ? "disabled" : "active", t);
	}
	json_decref(rows);
	return 0;
}

static int
user_change(struct store *st, const char *verb, const char *name,
    const char *role, const char *muni, const char *pwfile)
{
	char pw[PW_MAX + 2], hash[STORE_WEB_HASH_MAX];
	int64_t now = time_now_us();
	int rc;

	if (!web_name_valid(name)) {
		fprintf(stderr,
		    "seccloud user: bad name %s (letters, digits, "
		    ". _ - @; up to %d)\n",
		    name, STORE_WEB_NAME_MAX - 1);
		return 2;
	}
	if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0) {
		rc = store_web_user_disable(st, name, verb[0] == 'd', now);
		goto done;
	}
	if (strcmp(verb, "add") == 0) {
		if (role == NULL || web_role_parse(role) == 0) {
			fprintf(stderr,
			    "seccloud user: --role admin, analyst, "
			    "municipal or auditor\n");
			return 2;
		}
		if ((strcmp(role, "municipal") == 0) != (muni != NULL) ||
		    (muni != NULL && !web_muni_valid(muni))) {
			fprintf(stderr,
			    "seccloud user: a municipal account "
			    "needs --muni with a valid 6-digit 団体コード, "
			    "others none\n");
			return 2;
		}
	}
	if (get_password(pwfile, pw, sizeof(pw)) == -1)
		return 1;
	rc = web_pw_hash(pw, hash, sizeof(hash));
	OPENSSL_cleanse(pw, sizeof(pw));
	if (rc == -1) {
		fprintf(stderr, "seccloud user: scrypt failed\n");
		return 1;
	}
	if (strcmp(verb, "add") == 0)
		rc = store_web_user_add(st, name, role, muni, hash, now);
	else
		rc = store_web_user_passwd(st, name, hash, now);
done:
	if (rc == 1) {
		fprintf(stderr, "seccloud user: %s: %s\n", name,
		    strcmp(verb, "add") == 0 ? "exists" : "no such user");
		return 1;
	}
	store_audit(st, now, "cli", "local", verb[0] == 'p' ? "passwd" : verb,
	    name, role, rc == 0 ? "ok" : "error");
	return rc == 0 ? 0 : 1;
}

int
cmd_user(int argc, char **argv)
{
	static const struct option longopts[] = { { "role", required_argument,
						      NULL, 'r' },
		{ "muni", required_argument, NULL, 'm' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *datadir = SC_LOCALSTATEDIR, *role = NULL, *muni = NULL;
	const char *pwfile = NULL, *verb, *conf = NULL;
	struct settings *set = NULL;
	int cli_datadir = 0;
	char path[PATH_MAX], err[512];
	struct store *st;
	int ch, rc;

	if (cmd_wants_help(argc, argv)) {
		fputs(usage_text, stdout);
		return 0;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:f:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			datadir = optarg;
			cli_datadir = 1;
			break;
		case 'f':
			conf = optarg;
			break;
		case 'r':
			role = optarg;
			break;
		case 'm':
			muni = optarg;
			break;
		case 'p':
			pwfile = optarg;
			break;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	verb = argc > 0 ? argv[0] : "";
	if (!((strcmp(verb, "list") == 0 && argc == 1) ||
		((strcmp(verb, "add") == 0 || strcmp(verb, "passwd") == 0 ||
		     strcmp(verb, "disable") == 0 ||
		     strcmp(verb, "enable") == 0) &&
		    argc == 2))) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (conf != NULL) {
		if ((set = settings_load(conf)) == NULL)
			return 1;
		if (!cli_datadir && set->datadir != NULL)
			datadir = set->datadir;
	}
	snprintf(path, sizeof(path), "%s/seccloud.db", datadir);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	settings_free(set);
	if (st == NULL) {
		fprintf(stderr, "seccloud user: %s\n", err);
		return 1;
	}
	if (strcmp(verb, "list") == 0)
		rc = user_list(st);
	else
		rc = user_change(st, verb, argv[1], role, muni, pwfile);
	store_close(st);
	return rc;
}
