//===----------------------------------------------------------------------===//
// gshare — fuzz target config (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// gshare.toml on top of the TOML reader (targets, servers, volume pattern, paths, secrets), and the same bytes as a pki lab profile (pure Swift).

@testable import GlusterDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(DriverFuzzing.config(input(data, size)))
}
