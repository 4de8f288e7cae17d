//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI tests
//===----------------------------------------------------------------------===//

import Foundation
import GlusterFSAPI
import Testing

/// The arithmetic on what a volume reports (sizes, counts, block counts, durations): it
/// saturates or refuses, it never traps. No lab needed: ext4 bricks cap a file at 16 TiB,
/// but XFS bricks (the recommended ones) take sparse files of up to 2^63 - 1 bytes, so a
/// tenant can make the sizes a wipe adds up as large as it likes.
@Suite("Counting what a volume reports never traps")
struct WipeCountsTests {
    @Test func sparseFilesOfTwoToTheSixtySecondBytesSaturateTheByteCountInsteadOfKillingTheWorker() {
        var counts = WipeCounts()
        counts.countFile(size: 1 << 62)
        #expect(counts.bytes == 1 << 62)
        counts.countFile(size: 1 << 62)  // 2^63: one past Int64.max, a trap with `bytes += size`
        #expect(counts.bytes == Int64.max)
        counts.countFile(size: Int64.max)
        counts.countFile(size: 64)
        #expect(counts.bytes == Int64.max)
        // Every file is still counted: the wipe goes on past them.
        #expect(counts.files == 4)
        #expect(counts.handled == 4)
    }

    @Test func aNegativeSizeCountsAsNothing() {
        var counts = WipeCounts()
        counts.countFile(size: 100)
        counts.countFile(size: -1)
        counts.countFile(size: Int64.min)
        #expect(counts.bytes == 100)
        #expect(counts.files == 3)
    }

    @Test func everyKindOfEntryIsCountedAndTheTotalSaturates() throws {
        var counts = WipeCounts()
        counts.countDirectory()
        counts.countOther()
        counts.countAlreadyGone()
        counts.countFailure()
        let all: [Int] = [counts.directories, counts.others, counts.alreadyGone, counts.failures, counts.handled]
        #expect(all == [1, 1, 1, 1, 4])

        // Counts as a worker may send them: their total does not trap in the parent.
        let json = #"{"files":9223372036854775807,"directories":9223372036854775807,"others":1,"bytes":9223372036854775807,"alreadyGone":0,"failures":0}"#
        let decoded = try JSONDecoder().decode(WipeCounts.self, from: Data(json.utf8))
        #expect(decoded.handled == Int.max)
        var full = decoded
        full.countFile(size: 1)
        full.countDirectory()
        #expect(full.files == Int.max && full.directories == Int.max && full.bytes == Int64.max)
    }

    @Test func statvfsByteCountsSaturateInsteadOfWrappingAround() {
        // 2^40 blocks of 2^40 bytes: 2^80, which wrapped around to 0 before.
        let space = GlusterVolumeSpace(
            blockSize: 4096, fragmentSize: 1 << 40, totalBlocks: 1 << 40, freeBlocks: 1 << 30, availableBlocks: 1 << 23,
            totalFiles: 10, freeFiles: 5, maximumNameLength: 255)
        #expect(space.totalBytes == UInt64.max)
        #expect(space.freeBytes == UInt64.max)  // 2^70
        #expect(space.availableBytes == 1 << 63)
        let ordinary = GlusterVolumeSpace(
            blockSize: 4096, fragmentSize: 4096, totalBlocks: 1000, freeBlocks: 500, availableBlocks: 400, totalFiles: 10, freeFiles: 5,
            maximumNameLength: 255)
        #expect(ordinary.totalBytes == 4_096_000 && ordinary.freeBytes == 2_048_000 && ordinary.availableBytes == 1_638_400)
    }

    @Test(arguments: ["1e300", "-1", "9.3e15"])
    func aWipeReportWithAnImpossibleDurationIsADecodingErrorNotATrap(_ seconds: String) {
        let json = #"{"removed":{"files":1,"directories":0,"others":0,"bytes":1,"alreadyGone":0,"failures":0},"preserved":[],"failureSamples":[],"elapsedSeconds":"#
            + seconds + "}"
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WipeReport.self, from: Data(json.utf8)) }
    }

    @Test func aWipeReportSurvivesTheJSONRoundTrip() throws {
        var counts = WipeCounts()
        counts.countFile(size: Int64.max)
        let report = WipeReport(removed: counts, preserved: ["/.trashcan"], failureSamples: [], elapsed: .milliseconds(1500))
        #expect(try JSONDecoder().decode(WipeReport.self, from: JSONEncoder().encode(report)) == report)
    }
}
