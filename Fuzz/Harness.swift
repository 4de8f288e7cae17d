//===----------------------------------------------------------------------===//
// gshare — fuzz targets (built and run by scripts/fuzz; swift build never sees Fuzz/)
//===----------------------------------------------------------------------===//

// Shared by every target: each Fuzz/<target>/main.swift defines LLVMFuzzerTestOneInput,
// which hands the input to its module's fuzz entry (the same function
// Tests/FuzzCorpusTests replays the checked-in corpus through) and reports here.

/// The input as bytes (libFuzzer may pass a null pointer for an empty input).
func input(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Traps (so libFuzzer saves the input as a crash) when an invariant broke.
func verdict(_ broken: [String]) -> CInt {
    if !broken.isEmpty {
        fatalError("fuzz invariant broken:\n- " + broken.joined(separator: "\n- "))
    }
    return 0
}
