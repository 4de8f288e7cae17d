//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import GlusterDriver

private func sized(_ volume: String, _ sizeGB: Int?) -> PoolCandidate { PoolCandidate(volume: volume, sizeGB: sizeGB) }

/// The free part of the lab pool (fixtures/gluster/volume-info-all.xml names).
private let labPool = [
    sized("gshare-pool-05-5G", 5), sized("gshare-pool-01-1G", 1), sized("gshare-pool-04-2G", 2),
    sized("gshare-pool-06-5G", 5), sized("gshare-pool-03-2G", 2), sized("gshare-pool-02-1G", 1),
]

@Suite("PoolSelection: the smallest sized volume that fits, then unsized ones (Manila's rule)")
struct PoolSelectionTests {
    /// Manila's own cases (manila/tests/share/drivers/glusterfs/test_layout_volume.py,
    /// test_pop_gluster_vol): the free volumes (its voldict minus used_vols), the size, the pick.
    @Test("Manila's test cases pick the same volume first", arguments: [
        ([sized("host:/share2G", 2)], 1, "host:/share2G"),
        ([sized("host:/share2G", 2)], 2, "host:/share2G"),
        ([sized("host:/share2G", 2)], nil, "host:/share2G"),
        ([sized("host:/share", nil)], 1, "host:/share"),  // share2G is used
        ([sized("host:/share", nil)], 2, "host:/share"),
        ([sized("host:/share", nil)], 3, "host:/share"),
        ([sized("host:/share", nil)], nil, "host:/share"),
        ([sized("host:/share", nil)], 1, "host:/share"),  // a pattern without a size group
    ] as [([PoolCandidate], Int?, String)])
    func manilaCases(free: [PoolCandidate], requestedGB: Int?, expected: String) {
        #expect(PoolSelection.order(free, requestedGB: requestedGB).first?.volume == expected)
    }

    @Test("Manila's failing cases give nothing: a sized volume too small, or no free volume", arguments: [
        ([sized("share2G", 2)], 3), ([], nil), ([], 1),
    ] as [([PoolCandidate], Int?)])
    func exhaustedPool(free: [PoolCandidate], requestedGB: Int?) {
        #expect(PoolSelection.order(free, requestedGB: requestedGB).isEmpty)
    }

    @Test("with a size: fitting sized volumes smallest first, then unsized; too small ones never")
    func sizedBeforeUnsized() {
        let free = labPool + [sized("gshare-extra-b", nil), sized("gshare-extra-a", nil)]
        #expect(
            PoolSelection.order(free, requestedGB: 2).map(\.volume) == [
                "gshare-pool-03-2G", "gshare-pool-04-2G", "gshare-pool-05-5G", "gshare-pool-06-5G",
                "gshare-extra-a", "gshare-extra-b",
            ])
        #expect(PoolSelection.order(free, requestedGB: 3).map(\.volume) == ["gshare-pool-05-5G", "gshare-pool-06-5G", "gshare-extra-a", "gshare-extra-b"])
        #expect(PoolSelection.order(free, requestedGB: 6).map(\.volume) == ["gshare-extra-a", "gshare-extra-b"])
    }

    @Test("the smallest fitting size wins even when it is not an exact match")
    func smallestFittingWins() {
        let free = [sized("big", 100), sized("medium", 10), sized("unsized", nil), sized("small", 1)]
        #expect(PoolSelection.order(free, requestedGB: 5).map(\.volume) == ["medium", "big", "unsized"])
    }

    @Test("volumes of the same size come in name order, whatever order they were given in")
    func tiesByName() {
        let free = [sized("vol-c", 2), sized("vol-a", 2), sized("vol-b", 2), sized("z-unsized", nil), sized("a-unsized", nil)]
        let expected = ["vol-a", "vol-b", "vol-c", "a-unsized", "z-unsized"]
        #expect(PoolSelection.order(free, requestedGB: 2).map(\.volume) == expected)
        #expect(PoolSelection.order(free.reversed(), requestedGB: 2).map(\.volume) == expected)
    }

    @Test("without a size: every sized volume smallest first, unsized ones last")
    func noSizeSmallestFirst() {
        let free = labPool + [sized("gshare-extra", nil)]
        #expect(
            PoolSelection.order(free, requestedGB: nil).map(\.volume) == [
                "gshare-pool-01-1G", "gshare-pool-02-1G", "gshare-pool-03-2G", "gshare-pool-04-2G",
                "gshare-pool-05-5G", "gshare-pool-06-5G", "gshare-extra",
            ])
    }

    @Test("a requested size of 0 or less is no size, as Manila's `if size` treats 0")
    func zeroRequestIsNoSize() {
        #expect(PoolSelection.order(labPool, requestedGB: 0) == PoolSelection.order(labPool, requestedGB: nil))
        #expect(PoolSelection.order(labPool, requestedGB: -3) == PoolSelection.order(labPool, requestedGB: nil))
    }

    @Test("a volume announcing size 0 (or less) counts as unsized, as Manila's `not volsize` does")
    func zeroSizeIsUnsized() {
        let free = [sized("zero", 0), sized("two", 2), sized("negative", -1)]
        #expect(PoolSelection.order(free, requestedGB: 1).map(\.volume) == ["two", "negative", "zero"])
    }

    @Test("a volume listed twice is offered once")
    func duplicatesOnce() {
        let free = [sized("a", 1), sized("a", 1), sized("b", nil), sized("b", nil)]
        #expect(PoolSelection.order(free, requestedGB: 1).map(\.volume) == ["a", "b"])
    }

    @Test("trying the list in order gives the volumes Manila would pick one after another")
    func orderIsRepeatedPick() {
        var free = labPool + [sized("gshare-extra", nil)]
        var picks: [String] = []
        while let first = PoolSelection.order(free, requestedGB: 2).first {
            picks.append(first.volume)
            free.removeAll { $0.volume == first.volume }
        }
        #expect(picks == PoolSelection.order(labPool + [sized("gshare-extra", nil)], requestedGB: 2).map(\.volume))
        #expect(free.map(\.volume).sorted() == ["gshare-pool-01-1G", "gshare-pool-02-1G"])
    }

    @Test("a candidate round-trips through JSON, with or without a size")
    func candidateCoding() throws {
        let data = try JSONEncoder().encode([sized("a", 2), sized("b", nil)])
        #expect(try JSONDecoder().decode([PoolCandidate].self, from: data) == [sized("a", 2), sized("b", nil)])
    }
}
