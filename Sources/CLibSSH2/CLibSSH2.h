// CLibSSH2: the libssh2 1.10 header gshare uses, plus tiny static-inline forwarders for
// the function-like macros the Clang importer cannot see. Nothing but forwarding here:
// every decision lives in the Swift module GShareSSH.
#ifndef GSHARE_CLIBSSH2_H
#define GSHARE_CLIBSSH2_H

#include <string.h>
#include <libssh2.h>

// MARK: - Session

static inline LIBSSH2_SESSION *_Nullable CLibSSH2_session_init(void) { return libssh2_session_init(); }

static inline int CLibSSH2_session_disconnect(LIBSSH2_SESSION *_Nonnull session, const char *_Nonnull description) {
    return libssh2_session_disconnect(session, description);
}

// MARK: - Authentication

static inline int CLibSSH2_userauth_password(LIBSSH2_SESSION *_Nonnull session, const char *_Nonnull username,
                                             const char *_Nonnull password) {
    return libssh2_userauth_password(session, username, password);
}

static inline int CLibSSH2_userauth_publickey_fromfile(LIBSSH2_SESSION *_Nonnull session,
                                                       const char *_Nonnull username,
                                                       const char *_Nullable publickey,
                                                       const char *_Nonnull privatekey,
                                                       const char *_Nullable passphrase) {
    return libssh2_userauth_publickey_fromfile(session, username, publickey, privatekey, passphrase);
}

// MARK: - Channels

static inline LIBSSH2_CHANNEL *_Nullable CLibSSH2_channel_open_session(LIBSSH2_SESSION *_Nonnull session) {
    return libssh2_channel_open_session(session);
}

static inline int CLibSSH2_channel_exec(LIBSSH2_CHANNEL *_Nonnull channel, const char *_Nonnull command) {
    return libssh2_channel_exec(channel, command);
}

static inline ssize_t CLibSSH2_channel_read(LIBSSH2_CHANNEL *_Nonnull channel, char *_Nonnull buf, size_t buflen) {
    return libssh2_channel_read(channel, buf, buflen);
}

static inline ssize_t CLibSSH2_channel_read_stderr(LIBSSH2_CHANNEL *_Nonnull channel, char *_Nonnull buf,
                                                   size_t buflen) {
    return libssh2_channel_read_stderr(channel, buf, buflen);
}

static inline ssize_t CLibSSH2_channel_write(LIBSSH2_CHANNEL *_Nonnull channel, const char *_Nonnull buf,
                                             size_t buflen) {
    return libssh2_channel_write(channel, buf, buflen);
}

static inline int CLibSSH2_channel_eof(LIBSSH2_CHANNEL *_Nonnull channel) { return libssh2_channel_eof(channel); }

#endif
