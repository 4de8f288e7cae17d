//===----------------------------------------------------------------------===//
// gshare — fuzz target shell-quoting (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// The one quoting function for remote command lines, read back by a model of a POSIX shell (pure Swift).

@testable import GShareSSH

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    verdict(SSHFuzzing.shellQuoting(input(data, size)))
}
