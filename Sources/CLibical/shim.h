#ifndef GREMIEN_CLIBICAL_SHIM_H
#define GREMIEN_CLIBICAL_SHIM_H

// The only door to libical 3.0 (Debian's libical-dev 3.0.16). ICalendar is the only
// target that imports this module; no libical pointer leaves ICalendar.
#include <libical/ical.h>

// `icalerrno` is a macro over a thread-local accessor; Swift cannot import it.
static inline icalerrorenum gremien_icalerrno(void) { return icalerrno; }
static inline void gremien_clear_icalerrno(void) { icalerror_clear_errno(); }

#endif
