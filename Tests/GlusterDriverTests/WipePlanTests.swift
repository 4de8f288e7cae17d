//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import GlusterFSAPI
import Testing

@testable import GlusterDriver

/// How a delete wipes a volume: many removals in flight, one at a time where the trash
/// translator is on (GlusterFS 10.3's crashes the brick under concurrent unlinks).
@Suite("The wipe a delete asks for")
struct WipePlanTests {
    @Test func withTheTrashTranslatorOffOrUnsetTheWipeIsParallel() {
        #expect(ShareDriver.wipeOptions(for: VolumeInfo(name: "v", status: .started)).parallelism == ShareDriver.wipeParallelism)
        #expect(ShareDriver.wipeOptions(for: VolumeInfo(name: "v", status: .started, options: ["features.trash": "off"])).parallelism > 1)
    }

    @Test func withTheTrashTranslatorOnTheWipeRemovesOneEntryAtATime() {
        for on in ["on", "yes", "true", "enable", "1"] {
            #expect(ShareDriver.wipeOptions(for: VolumeInfo(name: "v", status: .started, options: ["features.trash": on])).parallelism == 1, "\(on)")
        }
    }
}
