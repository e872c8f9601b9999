#ifndef GREMIEN_CSQLITESETTINGS_SHIM_H
#define GREMIEN_CSQLITESETTINGS_SHIM_H

// Process-wide settings of the system SQLite that GRDB links (Debian's libsqlite3).
// `sqlite3_config` is variadic; Swift cannot call it directly.
#include <sqlite3.h>

// Turns SQLite's memory statistics off: with them on, every allocation and free of every
// connection takes one process-wide mutex. Only before SQLite is initialised (before the first
// connection is opened); later it returns SQLITE_MISUSE and changes nothing.
static inline int gremien_sqlite_memory_statistics_off(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
