/*
 * common.h — everything common/ offers, for files that want it all.
 * Reading order for newcomers: log.h, xmalloc.h, buf.h, timeutil.h, addr.h,
 * conf.h, settings.h, privdrop.h, sc_limits.h.
 */
#ifndef SC_COMMON_H
#define SC_COMMON_H

#include "common/log.h"
#include "common/xmalloc.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "common/addr.h"
#include "common/conf.h"
#include "common/settings.h"
#include "common/privdrop.h"
#include "common/sc_limits.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#endif
