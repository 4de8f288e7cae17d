//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

/// A free pool volume and the size its name gives (`gshare-pool-03-2G` → 2), if any.
public struct PoolCandidate: Sendable, Equatable, Codable {
    public let volume: String
    /// The size in GB the volume's name announces; nil when the name gives none.
    /// A size of 0 or less counts as none (as in Manila, where `not volsize` is unsized).
    public let sizeGB: Int?

    public init(volume: String, sizeGB: Int?) {
        self.volume = volume
        self.sizeGB = sizeGB
    }

    /// The announced size when it is a real one (> 0).
    var announcedSize: Int? { sizeGB.flatMap { $0 > 0 ? $0 : nil } }
}

/// Which free volume a new share gets.
///
/// Manila's GlusterFS native driver (volume layout, `_pop_gluster_vol`) picks, for a share
/// of size S, a volume of the smallest announced size that is at least S; only when no sized
/// volume fits does it take a volume whose name announces no size. Sized volumes smaller than
/// S are never used. gshare keeps that rule and makes it total and deterministic: ties are
/// broken by volume name, and the result is the whole ordered list, so a caller that loses
/// a race for the first volume tries the next (which is the volume Manila would pick next).
public enum PoolSelection {
    /// The free volumes that can hold `requestedGB`, best first (the caller tries them in
    /// order: another process may claim one first).
    ///
    /// - Parameters:
    ///   - free: the unclaimed pool volumes, in any order (a repeated volume counts once).
    ///   - requestedGB: the share's size; nil (or 0 or less) when none was asked for.
    /// - Returns: with a size: the sized volumes that fit, smallest first, then the unsized
    ///   ones. Without a size: every sized volume, smallest first, then the unsized ones.
    ///   Equal sizes, and the unsized volumes, in volume name order. Empty when nothing fits.
    public static func order(_ free: [PoolCandidate], requestedGB: Int?) -> [PoolCandidate] {
        var seen = Set<String>()
        let unique = free.filter { seen.insert($0.volume).inserted }
        let minimum = requestedGB.flatMap { $0 > 0 ? $0 : nil } ?? 1
        let sized: [PoolCandidate] = unique
            .filter { ($0.announcedSize ?? 0) >= minimum }
            .sorted(by: smallerThenByName)
        let unsized = unique.filter { $0.announcedSize == nil }.sorted { $0.volume < $1.volume }
        return sized + unsized
    }

    /// Smaller announced size first; equal sizes in volume name order.
    private static func smallerThenByName(_ lhs: PoolCandidate, _ rhs: PoolCandidate) -> Bool {
        let left = lhs.announcedSize ?? 0
        let right = rhs.announcedSize ?? 0
        return left != right ? left < right : lhs.volume < rhs.volume
    }
}
