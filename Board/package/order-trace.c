// order-trace: which functions a program runs, for a linker ordering file (x86_64 Linux).
//
//   order-trace ENTRIES HITS -- PROGRAM ARGS...
//
// ENTRIES lists function entry addresses of PROGRAM (hex, as `nm` prints them: the link-time
// address, the load base added here), one per line. Each gets a breakpoint (int3) before the
// program's first instruction; the first time any thread reaches one, its address goes to HITS
// (one line, in the order first run), the byte is put back and the thread goes on. Every thread
// is followed (clone); other signals are passed on, and a SIGTERM or SIGINT sent to order-trace
// goes to PROGRAM. Ends when PROGRAM ends, with its status.
//
// Used by Board/package/order-profile (issue 12, the kiosk's resident memory). A tool of the
// build machine: it never runs on a kiosk.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

struct bp {
    uint64_t addr;
    unsigned char orig;
    unsigned char hit;
};

static struct bp *bps;
static size_t nbps;
static volatile pid_t traced;

static void forward(int sig) {
    if (traced > 0) kill(traced, sig);
}

static int cmp(const void *a, const void *b) {
    uint64_t x = ((const struct bp *)a)->addr, y = ((const struct bp *)b)->addr;
    return x < y ? -1 : x > y;
}

static struct bp *find(uint64_t addr) {
    size_t lo = 0, hi = nbps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (bps[mid].addr == addr) return &bps[mid];
        if (bps[mid].addr < addr) lo = mid + 1; else hi = mid;
    }
    return NULL;
}

static uint64_t load_base(pid_t pid) {
    char path[64], exe[4096], line[4096 + 256];
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    ssize_t n = readlink(path, exe, sizeof exe - 1);
    if (n < 0) return 0;
    exe[n] = 0;
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    uint64_t base = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long start, offset;
        char name[4096] = "";
        if (sscanf(line, "%lx-%*x %*s %lx %*s %*s %4095s", &start, &offset, name) == 3 && offset == 0
            && strcmp(name, exe) == 0) {
            base = start;
            break;
        }
    }
    fclose(f);
    return base;
}

int main(int argc, char **argv) {
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: order-trace ENTRIES HITS -- PROGRAM ARGS...\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 2; }
    size_t cap = 1 << 16;
    bps = calloc(cap, sizeof *bps);
    unsigned long long a;
    while (fscanf(in, "%llx", &a) == 1) {
        if (nbps == cap) bps = realloc(bps, (cap *= 2) * sizeof *bps);
        bps[nbps++] = (struct bp){ .addr = a };
    }
    fclose(in);
    qsort(bps, nbps, sizeof *bps, cmp);
    FILE *out = fopen(argv[2], "w");
    if (!out) { perror(argv[2]); return 2; }

    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        execvp(argv[4], argv + 4);
        perror(argv[4]);
        _exit(127);
    }
    traced = child;
    struct sigaction sa = { .sa_handler = forward };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    int status;
    waitpid(child, &status, 0);
    ptrace(PTRACE_SETOPTIONS, child, 0,
           PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
    ptrace(PTRACE_CONT, child, 0, 0);
    // The exec: the program and its loader are mapped, nothing of it has run.
    waitpid(child, &status, 0);
    if (!WIFSTOPPED(status) || status >> 8 != (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
        fprintf(stderr, "order-trace: %s did not start\n", argv[4]);
        return 2;
    }
    uint64_t base = load_base(child);
    char mempath[64];
    snprintf(mempath, sizeof mempath, "/proc/%d/mem", child);
    int mem = open(mempath, O_RDWR);
    if (mem < 0 || base == 0) { fprintf(stderr, "order-trace: cannot reach the program's memory\n"); return 2; }
    size_t set = 0;
    for (size_t i = 0; i < nbps; i++) {
        bps[i].addr += base;
        unsigned char trap = 0xCC;
        if (pread(mem, &bps[i].orig, 1, (off_t)bps[i].addr) == 1
            && pwrite(mem, &trap, 1, (off_t)bps[i].addr) == 1) set++;
        else bps[i].hit = 1;
    }
    fprintf(stderr, "order-trace: %zu breakpoints in %s (base %#lx)\n", set, argv[4], (unsigned long)base);
    ptrace(PTRACE_CONT, child, 0, 0);

    size_t hits = 0;
    for (;;) {
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (pid == child) {
                fclose(out);
                fprintf(stderr, "order-trace: %zu functions run\n", hits);
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            continue;
        }
        if (!WIFSTOPPED(status)) continue;
        int sig = WSTOPSIG(status);
        if (status >> 16) {
            // A ptrace event (a new thread): go on.
            ptrace(PTRACE_CONT, pid, 0, 0);
            continue;
        }
        if (sig == SIGTRAP) {
            struct user_regs_struct regs;
            ptrace(PTRACE_GETREGS, pid, 0, &regs);
            struct bp *b = find(regs.rip - 1);
            if (b) {
                if (!b->hit) {
                    b->hit = 1;
                    pwrite(mem, &b->orig, 1, (off_t)b->addr);
                    fprintf(out, "%lx\n", (unsigned long)(b->addr - base));
                    fflush(out);
                    hits++;
                }
                // Another thread may have reached it before the byte was put back: every such
                // thread runs the instruction again.
                regs.rip -= 1;
                ptrace(PTRACE_SETREGS, pid, 0, &regs);
                ptrace(PTRACE_CONT, pid, 0, 0);
                continue;
            }
        }
        // A new thread's first stop, or the program's own signal: pass it on.
        ptrace(PTRACE_CONT, pid, 0, sig == SIGSTOP ? 0 : sig);
    }
    fclose(out);
    return 0;
}
