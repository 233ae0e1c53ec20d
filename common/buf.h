/*
 * buf.h — a growable byte buffer with a hard upper bound.
 *
 * A buffer never grows past the `max` it was given: an append that would
 * cross it fails with -1 and leaves the contents unchanged, so a peer can
 * never make us allocate more than the named limit.  The contents are kept
 * NUL-terminated (the terminator is not counted in len), so text can be
 * handed to C string functions.  Struct fields may be read; change them only
 * through the functions.
 */
#ifndef SC_BUF_H
#define SC_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data; /* owned; NULL until the first append */
	size_t len; /* bytes in use */
	size_t cap; /* bytes allocated (not counting the NUL) */
	size_t max; /* len may never exceed this */
};

void buf_init(struct buf *, size_t max);
/* Make room for n more bytes. 0, or -1 if len+n > max or out of memory. */
int buf_reserve(struct buf *, size_t n);
int buf_append(struct buf *, const void *, size_t);
int buf_putc(struct buf *, int);
int buf_puts(struct buf *, const char *);
int buf_printf(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));
/* Drop n bytes from the front (n > len drops everything). */
void buf_consume(struct buf *, size_t n);
/* Keep the first n bytes (no-op if n >= len). */
void buf_truncate(struct buf *, size_t n);
void buf_reset(struct buf *);
/* Always a valid NUL-terminated string, "" when empty. */
const char *buf_cstr(const struct buf *);
/* Hand the storage to the caller (free() it); the buf is reset. */
uint8_t *buf_release(struct buf *, size_t *len);
void buf_free(struct buf *);

#endif
