import Foundation
import Logging
import SamtaleWeb

/// Raises the soft limit of open files to what the service's connection limit needs (systemd's
/// default soft limit is 1024); answers the connection limit that fits under it, so that a flood
/// of connections waits in the kernel's backlog instead of taking every file descriptor.
enum FileLimits {
    static func connectionLimit(wanted: Int, reserve: Int = 512) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return max(64, 1024 - reserve) }
        let needed = rlim_t(wanted + reserve)
        if limit.rlim_cur < needed {
            var raised = limit
            raised.rlim_cur = min(needed, limit.rlim_max)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return max(64, min(wanted, Int(limit.rlim_cur) - reserve))
    }
}
