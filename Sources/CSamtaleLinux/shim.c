#include "CSamtaleLinux.h"

#ifdef __linux__
#include <sys/timex.h>

int csamtale_clock_synchronised(void) {
    struct timex tx = {0};
    int state = adjtimex(&tx);
    if (state == -1) return -1;
    if (state == TIME_ERROR || (tx.status & STA_UNSYNC)) return 0;
    return 1;
}
#else
int csamtale_clock_synchronised(void) { return -1; }
#endif
