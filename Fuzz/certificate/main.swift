//===----------------------------------------------------------------------===//
// gshare — fuzz target certificate (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// Certificates, CRLs and private keys through OpenSSL's PEM/DER decoders, then gshare's summary and verifier (OpenSSL: time-boxed).

@testable import TenantPKI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(PKIFuzzing.certificate(input(data, size)))
}
