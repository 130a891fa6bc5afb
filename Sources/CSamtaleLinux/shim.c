#include "CSamtaleLinux.h"

#ifdef __linux__
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/statfs.h>
#include <sys/timerfd.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int csamtale_rename_exchange(const char *a, const char *b) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int csamtale_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int csamtale_pin_thread(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
        errno = EINVAL;
        return -1;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

int csamtale_current_cpu(void) { return sched_getcpu(); }

/* Arms `fd` for ten years from now on the wall clock, cancelled by any set of the clock. */
static int clock_set_arm(int fd) {
    struct itimerspec spec = {0};
    if (clock_gettime(CLOCK_REALTIME, &spec.it_value) != 0) return -1;
    spec.it_value.tv_sec += 10L * 366 * 24 * 3600;
    return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL);
}

int csamtale_clock_set_fd(void) {
    int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0) return -1;
    if (clock_set_arm(fd) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int csamtale_clock_set_rearm(int fd) {
    unsigned long long expirations;
    ssize_t n = read(fd, &expirations, sizeof expirations);
    int set = n < 0 && errno == ECANCELED;
    if (n < 0 && !set && errno != EAGAIN) return -1;
    // Once cancelled the timer stays so (every read fails) until it is armed again.
    if (clock_set_arm(fd) != 0) return -1;
    return set;
}

long long csamtale_fs_magic(const char *path) {
    struct statfs s;
    if (statfs(path, &s) != 0) return -1;
    return (long long)(unsigned long)s.f_type;
}

int csamtale_clock_synchronised(void) {
    struct timex tx = {0};
    int state = adjtimex(&tx);
    if (state == -1) return -1;
    if (state == TIME_ERROR || (tx.status & STA_UNSYNC)) return 0;
    return 1;
}
#else
#include <errno.h>
int csamtale_clock_synchronised(void) { return -1; }
int csamtale_rename_exchange(const char *a, const char *b) { (void)a; (void)b; errno = ENOSYS; return -1; }
#include <unistd.h>
int csamtale_pipe_cloexec(int fds[2]) { return pipe(fds); }
int csamtale_clock_set_fd(void) { errno = ENOSYS; return -1; }
long long csamtale_fs_magic(const char *path) { (void)path; errno = ENOSYS; return -1; }
int csamtale_clock_set_rearm(int fd) { (void)fd; errno = ENOSYS; return -1; }
int csamtale_pin_thread(int cpu) { (void)cpu; errno = ENOSYS; return -1; }
int csamtale_current_cpu(void) { return -1; }
#endif

#include <crypt.h>
#include <string.h>

int csamtale_crypt(const char *secret, const char *setting, char *out, int outSize) {
    struct crypt_data data;
    memset(&data, 0, sizeof data);
    char *hash = crypt_r(secret, setting, &data);
    // libxcrypt returns a string starting with '*' on failure (never a valid hash).
    if (hash == NULL || hash[0] == '*' || (int)strlen(hash) >= outSize) {
        explicit_bzero(&data, sizeof data);
        return -1;
    }
    strcpy(out, hash);
    explicit_bzero(&data, sizeof data);
    return 0;
}

int csamtale_gensalt(char *out, int outSize) {
    return crypt_gensalt_rn("$y$", 0, NULL, 0, out, outSize) == NULL ? -1 : 0;
}

#if defined(__GLIBC__)
#include <malloc.h>
int csamtale_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
int csamtale_malloc_trim(void) { return malloc_trim(0); }
int csamtale_malloc_arenas(int arenas) { return mallopt(M_ARENA_MAX, arenas); }
#else
int csamtale_mmap_threshold(int bytes) { (void)bytes; return 0; }
int csamtale_malloc_trim(void) { return 0; }
int csamtale_malloc_arenas(int arenas) { (void)arenas; return 0; }
#endif

#include <sys/prctl.h>
#include <pthread.h>
int csamtale_thread_setup(const char *name, unsigned long slackNanoseconds) {
    int r = 0;
    if (name) r |= pthread_setname_np(pthread_self(), name);
#ifdef PR_SET_TIMERSLACK
    if (slackNanoseconds) r |= prctl(PR_SET_TIMERSLACK, slackNanoseconds, 0, 0, 0);
#endif
    return r == 0 ? 0 : -1;
}

extern void *swift_task_enqueueGlobal_hook;

void **csamtale_enqueue_global_hook(void) { return &swift_task_enqueueGlobal_hook; }
