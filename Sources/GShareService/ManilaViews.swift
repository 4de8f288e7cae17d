//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import GlusterDriver

/// The JSON the share API answers with: Manila's views, with the fields the pinned clients
/// (python-manilaclient 6.3.0, python-openstackclient 10.5.0) read at microversion 2.68.
enum ManilaView {
    /// The one share type: `default`, no share servers.
    static let shareTypeID = "00000000-0000-4000-8000-67736861726d"
    static let shareTypeName = "default"

    struct ShareType: Encodable {
        let id = ManilaView.shareTypeID
        let name = ManilaView.shareTypeName
        let is_default = true
        let required_extra_specs = ["driver_handles_share_servers": "False"]
        let extra_specs = ["driver_handles_share_servers": "False", "snapshot_support": "False"]
        let share_type_access_is_public = true
        let os_share_type_access_is_public: Bool
        let description: String? = "GlusterFS volumes of gshare's pool, authorised by TLS certificate CN"

        enum CodingKeys: String, CodingKey {
            case id, name, is_default, required_extra_specs, extra_specs, description
            case share_type_access_is_public = "share_type_access:is_public"
            case os_share_type_access_is_public = "os-share-type-access:is_public"
        }

        init() { os_share_type_access_is_public = true }
    }

    /// A share as the API shows it.
    struct Share: Encodable {
        let id: String
        let name: String?
        let size: Int?
        let status: String
        let share_proto = "GLUSTERFS"
        let share_type = ManilaView.shareTypeID
        let share_type_name = ManilaView.shareTypeName
        let project_id: String
        let user_id: String? = nil
        let created_at: String?
        let updated_at: String? = nil
        let description: String? = nil
        let availability_zone = "nova"
        let host: String
        let is_public = false
        let metadata: [String: String] = [:]
        let snapshot_id: String? = nil
        let share_network_id: String? = nil
        let share_server_id: String? = nil
        let share_group_id: String? = nil
        let source_share_group_snapshot_member_id: String? = nil
        let snapshot_support = false
        let create_share_from_snapshot_support = false
        let revert_to_snapshot_support = false
        let mount_snapshot_support = false
        let replication_type: String? = nil
        let has_replicas = false
        let task_state: String? = nil
        let access_rules_status: String
        let volume_type = ManilaView.shareTypeName
        let is_soft_deleted = false
        let scheduled_to_be_deleted_at: String? = nil
        let progress: String
        let links: [String] = []
        /// gshare's reason for an `error` or `error_deleting` status (not a Manila field;
        /// the clients show it with the share's other fields).
        let status_reason: String?
    }

    static func share(_ share: GlusterDriver.Share, deleting: Bool) -> Share {
        let status: String
        if deleting {
            status = "deleting"
        } else if share.failure != nil {
            // A delete that failed: before the tenants were cut off (the share is intact) or
            // during the wipe (needs-wipe). Deleting again finishes it.
            status = "error_deleting"
        } else if share.state == ShareMarks.State.needsWipe.rawValue {
            status = "deleting"
        } else if share.state == ShareMarks.State.active.rawValue {
            status = "available"
        } else {
            status = "error"
        }
        let rules = AccessRule.rules(of: share)
        return Share(
            id: share.id, name: share.name, size: share.sizeGB, status: status, project_id: share.project ?? "", created_at: share.created,
            host: share.exportLocation, access_rules_status: rules.contains { $0.state == .error } ? "error" : "active",
            progress: status == "available" ? "100%" : "0%",
            status_reason: status == "error_deleting" ? share.failure : status == "error" ? "the volume is marked '\(share.state)'" : nil)
    }

    static func share(_ pending: ShareOperations.PendingCreate) -> Share {
        Share(
            id: pending.id, name: pending.name, size: pending.sizeGB, status: pending.failure == nil ? "creating" : "error",
            project_id: pending.project ?? "", created_at: RFC3339Text.format(pending.created), host: "",
            access_rules_status: "active", progress: "0%", status_reason: pending.failure)
    }

    struct ExportLocation: Encodable {
        let id: String
        let path: String
        let preferred = true
        let is_admin_only = false
        let share_instance_id: String
        /// The other nodes a client may fetch the volume file from
        /// (`mount -t glusterfs -o backup-volfile-servers=…`).
        let metadata: [String: String]
    }

    static func exportLocations(_ share: GlusterDriver.Share) -> [ExportLocation] {
        [
            ExportLocation(
                id: AccessRule.id(share: share.id, commonName: "export:" + share.exportLocation), path: share.exportLocation, share_instance_id: share.id,
                metadata: share.mountOptions.map { ["mount_options": $0] } ?? [:])
        ]
    }

    /// An access rule.
    struct Rule: Encodable {
        let id: String
        let share_id: String
        let access_type = "cert"
        let access_to: String
        let access_level = "rw"
        let state: String
        let access_key: String? = nil
        let created_at: String?
        let updated_at: String? = nil
        let metadata: [String: String] = [:]
        /// gshare's reason for an `error` state (not a Manila field).
        let state_reason: String?
    }

    static func rule(_ rule: AccessRule) -> Rule {
        Rule(id: rule.id, share_id: rule.shareID, access_to: rule.commonName, state: rule.state.rawValue, created_at: rule.created, state_reason: rule.reason)
    }

    /// The versions document (`GET /`): v2 at 2.68.
    struct Versions: Encodable {
        struct Version: Encodable {
            let id = "v2.0"
            let status = "CURRENT"
            let version = ShareAPI.microversion
            let min_version = "2.0"
            let updated = "2015-08-27T11:33:21Z"
            let links: [[String: String]]
            let media_types = [["base": "application/json", "type": "application/vnd.openstack.share+json;version=1"]]
        }
        let versions: [Version]
    }
}

/// Times as Manila writes them.
enum RFC3339Text {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
