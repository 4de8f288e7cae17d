//===----------------------------------------------------------------------===//
// gshare — fuzz target allow-list (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// auth.ssl-allow parsed and rendered, checked against glibc's strtok_r (pure Swift).

@testable import GlusterDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(DriverFuzzing.allowList(input(data, size)))
}
