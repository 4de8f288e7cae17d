//===----------------------------------------------------------------------===//
// gshare — fuzz target gluster-xml (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// The gluster --xml scanner (LightXML), the CLI envelope and VolumeInfo (pure Swift).

@testable import GlusterDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(DriverFuzzing.glusterXML(input(data, size)))
}
