//===----------------------------------------------------------------------===//
// gshare — fuzz target worker-protocol (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// The gfapi worker's JSON protocol: the request (worker side) and the event lines (parent side), through JSONDecoder (pure Swift).

@testable import GlusterFSAPI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(WorkerProtocolFuzzing.fuzzOne(input(data, size)))
}
