//===----------------------------------------------------------------------===//
// gshare — fuzz target gluster-address (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// [user@]host[:port] servers, [user@]host[:port]:/volume targets and libgfapi host[:port]:/volume addresses (pure Swift, plus inet_pton).

@testable import GlusterDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(DriverFuzzing.address(input(data, size)))
}
