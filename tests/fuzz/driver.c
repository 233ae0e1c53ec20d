/*
 * driver.c — runs a libFuzzer target without libFuzzer, so the ordinary and
 * sanitizer builds exercise every fuzz target as a test.
 *
 * With arguments, each file (or each file in each directory) is one input.
 * Without, it replays tests/fuzz/corpus/NAME (NAME is the program's name
 * without "fuzz_"), then feeds a fixed number of deterministic mutations of
 * those inputs (byte flips, truncations, insertions, splices) and random
 * strings: up to MUTATIONS of them, for at most BUDGET_SECONDS (both can be
 * set with FUZZ_MUTATIONS and FUZZ_DRIVER_SECONDS), so a slow target still
 * finishes in bounded time.  A crash or sanitizer report fails the test; the TAP lines say
 * how much was run.  The real coverage-guided runs happen in the clang
 * --enable-fuzzing build (scripts/test-all).
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_MAX_INPUT (256 * 1024)
#define MUTATIONS 20000 /* at most, and ... */
#define BUDGET_SECONDS 10 /* ... for at most this long */

struct input {
	uint8_t *data;
	size_t len;
};

static struct input *inputs;
static size_t ninputs;

static void
add_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *p;
	size_t n;

	if (fp == NULL)
		return;
	p = malloc(FUZZ_MAX_INPUT);
	n = fread(p, 1, FUZZ_MAX_INPUT, fp);
	fclose(fp);
	inputs = realloc(inputs, (ninputs + 1) * sizeof(*inputs));
	inputs[ninputs].data = p;
	inputs[ninputs].len = n;
	ninputs++;
}

static void
add_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char sub[4096];

	if (stat(path, &st) == -1)
		return;
	if (!S_ISDIR(st.st_mode)) {
		add_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		add_path(sub);
	}
	closedir(d);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t
mutate(uint8_t *out, size_t cap)
{
	const struct input *a, *b;
	size_t len, i, n, pos;

	if (ninputs == 0 || next() % 8 == 0) {
		static const char alphabet[] =
		    "<>[]{}()=;:,.\"'\\/ \t\n\r0123456789"
		    "abcdefxyzABC%|-_*#$@!\x00\xff\x80\xe3\x81";
		len = next() % 512;
		for (i = 0; i < len; i++)
			out[i] =
			    (uint8_t)alphabet[next() % (sizeof(alphabet) - 1)];
		return len;
	}
	a = &inputs[next() % ninputs];
	len = a->len < cap ? a->len : cap;
	memcpy(out, a->data, len);
	n = 1 + next() % 8;
	while (n-- > 0) {
		switch (next() % 6) {
		case 0: /* flip a byte */
			if (len > 0)
				out[next() % len] ^=
				    (uint8_t)(1u << (next() % 8));
			break;
		case 1: /* truncate */
			if (len > 0)
				len = next() % len;
			break;
		case 2: /* insert a random byte */
			if (len < cap) {
				pos = len ? next() % len : 0;
				memmove(out + pos + 1, out + pos, len - pos);
				out[pos] = (uint8_t)next();
				len++;
			}
			break;
		case 3: /* splice the tail of another input */
			b = &inputs[next() % ninputs];
			pos = len ? next() % len : 0;
			if (b->len > 0) {
				size_t from = next() % b->len,
				       take = b->len - from;

				if (pos + take > cap)
					take = cap - pos;
				memcpy(out + pos, b->data + from, take);
				len = pos + take;
			}
			break;
		case 4: /* set an interesting value */
			if (len > 0)
				out[next() % len] =
				    (uint8_t[]){ 0, 0xff, 0x7f, 0x80, '\n', ' ',
					    '"', '\\' }[next() % 8];
			break;
		default: /* duplicate a chunk */
			if (len > 0 && len * 2 <= cap) {
				memcpy(out + len, out, len);
				len *= 2;
			}
			break;
		}
	}
	return len;
}

int
main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	const char *top = getenv("top_srcdir");
	char dir[4096];
	uint8_t *buf;
	size_t i, len;
	int mutations = MUTATIONS, done = 0;
	long budget = BUDGET_SECONDS;
	const char *env;
	time_t start;

	name = name ? name + 1 : argv[0];
	if ((env = getenv("FUZZ_MUTATIONS")) != NULL)
		mutations = (int)strtol(env, NULL, 10);
	if ((env = getenv("FUZZ_DRIVER_SECONDS")) != NULL)
		budget = strtol(env, NULL, 10);
	if (strncmp(name, "fuzz_", 5) == 0)
		name += 5;
	if (argc > 1) {
		for (int k = 1; k < argc; k++)
			add_path(argv[k]);
		mutations = 0;
	} else {
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s",
		    top ? top : ".", name);
		add_path(dir);
	}
	for (i = 0; i < ninputs; i++) {
		/* Copy so that reads past the end are caught by ASan. */
		uint8_t *p = malloc(inputs[i].len ? inputs[i].len : 1);

		memcpy(p, inputs[i].data, inputs[i].len);
		LLVMFuzzerTestOneInput(p, inputs[i].len);
		free(p);
	}
	printf("ok 1 - %s: %zu corpus inputs replayed\n", name, ninputs);
	buf = malloc(FUZZ_MAX_INPUT * 2);
	start = time(NULL);
	for (int m = 0; m < mutations; m++, done++) {
		if (time(NULL) - start >= budget)
			break;
		uint8_t *p;

		len = mutate(buf, FUZZ_MAX_INPUT);
		p = malloc(len ? len : 1);
		memcpy(p, buf, len);
		LLVMFuzzerTestOneInput(p, len);
		free(p);
	}
	printf("ok 2 - %s: %d mutated inputs (%ld s budget)\n", name, done,
	    budget);
	printf("1..2\n");
	free(buf);
	for (i = 0; i < ninputs; i++)
		free(inputs[i].data);
	free(inputs);
	return 0;
}
