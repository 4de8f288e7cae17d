//===----------------------------------------------------------------------===//
// gshare — fuzz target toml (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// gshare's strict TOML reader and TOMLTableReader (pure Swift).

@testable import GShareTOML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(TOMLFuzzing.fuzzOne(input(data, size)))
}
