/*
 * report_emit.h — one small emitter that writes a report's sections as
 * HTML tables, CSV rows or JSON arrays, so each report is described once
 * (report.c) and every output escapes the same way.
 */
#ifndef SC_REPORT_EMIT_H
#define SC_REPORT_EMIT_H

#include <jansson.h>
#include <stdint.h>

#include "common/buf.h"
#include "policies/policy.h"

enum cell_type {
	CELL_STR = 0,
	CELL_INT,
	CELL_TIME, /* UTC us; 0 shows as "-" */
	CELL_DUR, /* seconds; < 0 shows as "-" */
	CELL_PCT, /* double percent; < 0 (unknown) shows as "-" */
	CELL_NUM, /* double */
};

struct cell {
	enum cell_type type;
	const char *s;
	int64_t i;
	double d;
};

#define C_STR(x) ((struct cell){ CELL_STR, (x), 0, 0 })
#define C_INT(x) ((struct cell){ CELL_INT, NULL, (int64_t)(x), 0 })
#define C_TIME(x) ((struct cell){ CELL_TIME, NULL, (int64_t)(x), 0 })
#define C_DUR(x) ((struct cell){ CELL_DUR, NULL, (int64_t)(x), 0 })
#define C_PCT(x) ((struct cell){ CELL_PCT, NULL, 0, (x) })
#define C_NUM(x) ((struct cell){ CELL_NUM, NULL, 0, (x) })

struct col {
	const char *id; /* JSON key and CSV header */
	const char *ja; /* HTML header */
};

struct emit {
	enum report_format fmt;
	int wareki;
	struct buf *out;
	int err;
	json_t *root; /* JSON: the document */
	json_t *cur; /* JSON: the open section's array */
	const char *sec_id; /* CSV: the open section */
	const struct col *cols;
	size_t ncols;
};

void emit_begin(struct emit *, enum report_format, int wareki, struct buf *,
    const char *title_ja, const char *kind);
/* A key/value block (header, archive verification). */
void emit_kv(struct emit *, const char *sec_id, const char *title_ja,
    const struct col *keys, const struct cell *vals, size_t n);
void emit_table(struct emit *, const char *sec_id, const char *title_ja,
    const struct col *cols, size_t ncols);
void emit_row(struct emit *, const struct cell *cells);
/* A table with no rows says so (HTML) — "該当なし". */
void emit_table_end(struct emit *, size_t nrows, const char *empty_ja);
void emit_note(struct emit *, const char *text);
int emit_end(struct emit *);

#endif
