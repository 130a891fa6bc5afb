// Preloaded into a Swift program run under valgrind (Tests/Benchmarks/callgrind-idle), never into
// the product: libdispatch's main-queue thread calls sigsuspend() with a mask that is a static
// const (read-only memory), and valgrind rewrites the mask it is given before the system call, which
// faults inside valgrind ("Valgrind received a signal 11"). This sigsuspend hands on a copy.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>

int sigsuspend(const sigset_t *mask) {
	static int (*real)(const sigset_t *);
	if (!real) real = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
	sigset_t copy = *mask;
	return real(&copy);
}
