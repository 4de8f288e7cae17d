// CGlusterFSAPI: the libgfapi 10.3 header, set up the way `pkg-config --cflags
// glusterfs-api` would (SwiftPM cannot parse that .pc file), plus static-inline
// forwarders for what the Clang importer cannot see. Nothing but forwarding here:
// every decision lives in the Swift module GlusterFSAPI.
#ifndef GSHARE_CGLUSTERFSAPI_H
#define GSHARE_CGLUSTERFSAPI_H

// The glibc headers glfs.h includes come FIRST and without the pkg-config defines, so
// that they resolve to the SwiftGlibc module's definitions: defined earlier,
// _FILE_OFFSET_BITS would give this module its own `struct dirent`/`statvfs`/`flock`
// ("has different definitions in different modules").
#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/statvfs.h>
#include <stdint.h>
#include <sys/time.h>
#include <stdio.h>
#include <errno.h>
#include <sys/acl.h>

// Then what glusterfs-api.pc's Cflags define (glfs.h would define the first two itself).
// On LP64 Linux the 64-bit-offset variants of off_t, struct stat, struct dirent and
// struct statvfs have the same layout as the default ones, so these declarations match
// the ABI libgfapi was built with; the assertion guards that.
#ifndef _FILE_OFFSET_BITS
#define _FILE_OFFSET_BITS 64
#endif
#ifndef __USE_FILE_OFFSET64
#define __USE_FILE_OFFSET64 1
#endif
// Without it glfs.h typedefs its own acl_t, which clashes with sys/acl.h.
#define USE_POSIX_ACLS 1
_Static_assert(sizeof(off_t) == 8 && sizeof(ino_t) == 8, "libgfapi needs 64-bit off_t and ino_t");

#include <glusterfs/api/glfs.h>

/// gfapi's log level for INFO (GF_LOG_INFO in glusterfs/logging.h, not installed):
/// the level at which the client xlator logs "sending AUTH_FAILED event".
static const int CGlusterFSAPI_LOG_INFO = 7;

/// The thread's errno (a macro Swift cannot read directly on every platform).
static inline int CGlusterFSAPI_errno(void) { return errno; }

/// Clears the thread's errno (gfapi does not always set it on failure).
static inline void CGlusterFSAPI_clear_errno(void) { errno = 0; }

// For the management-TLS mount namespace (GlusterFSAPI's ManagementTLSNamespace): unshare(2)
// needs _GNU_SOURCE, which this header must not define, so it goes through syscall(2).
#include <sys/syscall.h>
#include <sys/mount.h>

static const int CGlusterFSAPI_CLONE_NEWNS = 0x00020000;
static const int CGlusterFSAPI_CLONE_NEWUSER = 0x10000000;

/// unshare(2).
static inline int CGlusterFSAPI_unshare(int flags) { return (int)syscall(SYS_unshare, flags); }

/// mount(2).
static inline int CGlusterFSAPI_mount(const char *source, const char *target, const char *type, unsigned long flags, const char *data) {
    return mount(source, target, type, flags, data);
}
static const unsigned long CGlusterFSAPI_MS_NOSUID = MS_NOSUID;
static const unsigned long CGlusterFSAPI_MS_NODEV = MS_NODEV;
static const unsigned long CGlusterFSAPI_MS_NOEXEC = MS_NOEXEC;
static const unsigned long CGlusterFSAPI_MS_REC = MS_REC;
static const unsigned long CGlusterFSAPI_MS_PRIVATE = MS_PRIVATE;

#endif
