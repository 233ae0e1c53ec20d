/*
 * test_buf.c — the bounds of struct buf hold: no append may take len past
 * max, a refused append leaves the contents unchanged, and the contents stay
 * NUL-terminated.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "tests/tap.h"

int
main(void)
{
	struct buf b;
	char big[100];
	uint8_t *p;
	size_t len;

	buf_init(&b, 10);
	is_str(buf_cstr(&b), "", "an empty buf reads as \"\"");
	ok(buf_append(&b, "hello", 5) == 0, "append within max");
	ok(buf_append(&b, "world", 5) == 0, "append up to exactly max");
	is_int(b.len, 10, "len is 10");
	ok(buf_append(&b, "!", 1) == -1, "one byte past max is refused");
	is_str(
	    buf_cstr(&b), "helloworld", "refused append left contents alone");
	ok(b.cap <= 10, "capacity never exceeds max (%zu)", b.cap);
	buf_consume(&b, 5);
	is_str(buf_cstr(&b), "world", "consume drops from the front");
	ok(buf_printf(&b, "%d%d", 12, 34) == 0, "printf within max");
	is_str(buf_cstr(&b), "world1234", "printf appended");
	ok(buf_printf(&b, "%s", "xy") == -1, "printf past max is refused");
	is_str(buf_cstr(&b), "world1234", "refused printf left contents alone");
	buf_truncate(&b, 2);
	is_str(buf_cstr(&b), "wo", "truncate keeps the head");
	buf_consume(&b, 99);
	is_int(b.len, 0, "consume past len empties");
	memset(big, 'a', sizeof(big));
	ok(buf_append(&b, big, sizeof(big)) == -1,
	    "a 100-byte append into max 10");
	ok(buf_reserve(&b, (size_t)-1) == -1, "reserve of SIZE_MAX is refused");
	ok(buf_putc(&b, 'z') == 0 && b.data[b.len] == '\0',
	    "NUL kept after putc");
	p = buf_release(&b, &len);
	ok(p != NULL && len == 1 && p[0] == 'z',
	    "release hands over the bytes");
	free(p);
	is_int(b.len, 0, "released buf is empty");
	buf_free(&b);

	/* Growth across many appends up to a large max stays exact. */
	buf_init(&b, 100000);
	for (int i = 0; i < 100000; i++)
		if (buf_putc(&b, 'a' + i % 26) != 0)
			break;
	is_int(b.len, 100000, "100000 single-byte appends fit max 100000");
	ok(buf_putc(&b, 'x') == -1, "the next one does not");
	ok(b.data[99999] == 'a' + 99999 % 26, "last byte is right");
	buf_free(&b);
	buf_free(&b);
	return done_testing();
}
