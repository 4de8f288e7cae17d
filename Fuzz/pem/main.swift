//===----------------------------------------------------------------------===//
// gshare — fuzz target pem (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// gshare's strict PEM framing (pure Swift, before any OpenSSL decoder).

@testable import TenantPKI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(PKIFuzzing.pem(input(data, size)))
}
