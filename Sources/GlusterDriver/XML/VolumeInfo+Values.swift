//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

extension VolumeInfo {
    /// A volume described directly (tests, plans); real volumes come from ``parse(_:command:)``.
    init(name: String, status: Status, options: [String: String] = [:], id: String = "", bricks: [String] = [], replicaCount: Int = 1) {
        self.name = name
        self.id = id
        self.status = status
        self.bricks = bricks
        self.replicaCount = replicaCount
        self.options = options
    }
}
