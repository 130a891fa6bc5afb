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

/// Hashes a secret (a PIN or token) with libcrypt's crypt_r (the system's password hashing,
/// as in /etc/shadow: yescrypt `$y$…`, SHA-512 `$6$…`): `setting` is a stored hash (to verify) or
/// a fresh salt from csamtale_gensalt. Writes the hash into `out` (at least 384 bytes); 0, or -1.
int csamtale_crypt(const char *secret, const char *setting, char *out, int outSize);

/// A fresh yescrypt setting (algorithm, cost and random salt) into `out` (at least 192 bytes); 0, or -1.
int csamtale_gensalt(char *out, int outSize);

/// Fixes the size from which malloc gives an allocation a mapping of its own (glibc's
/// M_MMAP_THRESHOLD, which otherwise grows after the first such block is freed); 1 if set, 0 if not.
int csamtale_mmap_threshold(int bytes);

/// Gives free memory at the top of malloc's arenas back to the system (glibc's malloc_trim); 1 if
/// any was, 0 if not (and 0 where there is no malloc_trim).
int csamtale_malloc_trim(void);

/// Caps how many arenas malloc keeps (glibc's M_ARENA_MAX; by default up to eight per core, one
/// for each thread that allocates at once, each holding its own free pages); 1 if set, 0 if not.
int csamtale_malloc_arenas(int arenas);

/// Names the calling thread (at most 15 bytes show) and, when `slackNanoseconds` is not 0, lets the
/// kernel defer its timed waits by up to that much (PR_SET_TIMERSLACK), so that its wake-ups can
/// coincide with others'. 0, or -1.
int csamtale_thread_setup(const char *name, unsigned long slackNanoseconds);

/// Keeps the calling thread on one CPU (sched_setaffinity of the thread alone, not its process).
/// 0, or -1 and errno (EINVAL: no such CPU online, or not in the process's own set).
int csamtale_pin_thread(int cpu);

/// The CPU the calling thread runs on now (sched_getcpu), or -1.
int csamtale_current_cpu(void);

/// A pipe whose ends are close-on-exec from the start (pipe2 with O_CLOEXEC: no fork in another
/// thread can pass them on between the pipe's making and the flag). 0, or -1 and errno.
int csamtale_pipe_cloexec(int fds[2]);

/// A descriptor that polls readable when the system clock (CLOCK_REALTIME) is set or stepped
/// (by NTP, `date -s`, a person): a timerfd armed for a time years ahead with
/// TFD_TIMER_CANCEL_ON_SET, close-on-exec and non-blocking. -1 and errno where there is none.
int csamtale_clock_set_fd(void);

/// After `fd` (from csamtale_clock_set_fd) polled readable: reads it and arms it again. 1 if the
/// clock was set (the read failed with ECANCELED), 0 if not, -1 and errno on an error.
int csamtale_clock_set_rearm(int fd);

/// The magic number of the file system `path` lies on (statfs's f_type), or -1 and errno.
long long csamtale_fs_magic(const char *path);

/// Where the Swift runtime keeps its global executor's hook (`swift_task_enqueueGlobal_hook`,
/// ConcurrencyHooks.cpp): exported by libswift_Concurrency.so, and linked from
/// libswift_Concurrency.a in a static build, where the symbol is local and `dlsym` (SwiftNIO's way
/// of finding it) cannot see it.
void **csamtale_enqueue_global_hook(void);

#endif
