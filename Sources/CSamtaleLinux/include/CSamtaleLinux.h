// A small C shim over Linux interfaces Swift's Glibc module does not import (in the manner of
// swift-nio's CNIOLinux).
#ifndef C_SAMTALE_LINUX_H
#define C_SAMTALE_LINUX_H

/// The kernel's clock discipline state: 1 when the system clock is synchronised (adjtimex
/// reports neither TIME_ERROR nor STA_UNSYNC), 0 when it is not, -1 when it cannot be asked.
int csamtale_clock_synchronised(void);

/// Atomically exchanges two paths (renameat2 with RENAME_EXCHANGE). 0, or -1 and errno
/// (EINVAL or ENOSYS where the filesystem cannot, e.g. NFS or SMB shares).
int csamtale_rename_exchange(const char *a, const char *b);

#endif
