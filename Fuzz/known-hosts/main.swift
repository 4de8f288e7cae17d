//===----------------------------------------------------------------------===//
// gshare — fuzz target known-hosts (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// known_hosts lines, hashed host names, host key blobs and fingerprints (pure Swift; OpenSSL only for HMAC-SHA1 and the SHA-256 cross-check).

@testable import GShareSSH

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(SSHFuzzing.knownHosts(input(data, size)))
}
