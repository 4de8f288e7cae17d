//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL

/// OpenSSL's process-wide state (its locks, provider store, error tables), kept until the
/// process is gone.
///
/// By default OpenSSL frees that state in an `atexit` handler (`OPENSSL_cleanup`). A Swift
/// program ends with `exit()` on whichever thread finished its work, while other threads may
/// still be inside OpenSSL (libssh2's ciphers, a certificate being released): they then take
/// a lock that was just freed. Seen in CI: `gshare status --json` on the cluster with a node
/// down died with SIGSEGV in `pthread_rwlock_wrlock(NULL)` as it exited, its JSON still in
/// the stdio buffer. The kernel frees a process's memory anyway, so gshare opts out.
public enum OpenSSLLifetime {
    /// Tells OpenSSL never to free its global state at exit. It must be the process's first
    /// OpenSSL call (the `gshare` executables make it first thing in `main`): OpenSSL settles
    /// whether to register its handler once, at the first initialisation.
    /// - Returns: false when OpenSSL could not initialise (nothing else changes).
    @discardableResult
    public static func keepGlobalStateUntilExit() -> Bool {
        OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ATEXIT), nil) == 1
    }
}
