import CSamtaleLinux

/// Whether a folder lies on a file system whose every change inotify reports. A network share
/// (SMB, NFS, FUSE, 9p, …) reports only this machine's own writes, never the office's: those are
/// seen only by looking. Known local file systems by `statfs`'s magic number; anything else
/// counts as not local.
enum LocalFileSystem {
    /// ext2/3/4, tmpfs, ramfs, btrfs, xfs, f2fs, vfat, exfat, overlayfs, zfs.
    static let magics: Set<Int64> = [
        0xEF53, 0x0102_1994, 0x8584_58F6, 0x9123_683E, 0x5846_5342, 0xF2F5_2010, 0x4D44, 0x2011_BAB0,
        0x794C_7630, 0x2FC1_2FC1,
    ]

    /// The file system's magic number of `path`, or nil if it cannot be told.
    static func magic(_ path: String) -> Int64? {
        let m = csamtale_fs_magic(path)
        return m < 0 ? nil : Int64(m)
    }

    static func isLocal(_ path: String) -> Bool {
        magic(path).map(magics.contains) ?? false
    }
}
