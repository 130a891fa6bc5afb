// CGPIOD: one narrow C interface over libgpiod, whichever generation the system has
// (libgpiod 1.6 on bookworm and Raspberry Pi OS, libgpiod 2.x on trixie), in the manner of
// swift-nio's CNIOLinux. Swift never sees libgpiod's own types.
#ifndef CGPIOD_H
#define CGPIOD_H

#include <stddef.h>
#include <stdint.h>

typedef struct csam_chip csam_chip;
typedef struct csam_request csam_request;

enum {
    CSAM_BIAS_AS_IS = 0,
    CSAM_BIAS_DISABLED = 1,
    CSAM_BIAS_PULL_UP = 2,
    CSAM_BIAS_PULL_DOWN = 3,
};

/// The libgpiod API generation this was compiled against: 1 or 2.
int csam_api_version(void);

/// Opens a chip by its device path (/dev/gpiochipN). NULL and errno on failure.
csam_chip *csam_chip_open(const char *path);
void csam_chip_close(csam_chip *chip);

/// The chip's name (gpiochipN), label (e.g. pinctrl-rp1) and number of lines. 0 or -1 and errno.
int csam_chip_info(csam_chip *chip, char *name, size_t name_len, char *label, size_t label_len, unsigned *num_lines);

/// One line's state as the kernel reports it. 0 or -1 and errno.
typedef struct {
    char name[64];
    char consumer[64];
    int used;
    int is_output;
    int active_low;
    int bias;
} csam_line_info;
int csam_line_info_get(csam_chip *chip, unsigned offset, csam_line_info *info);

/// The offset of the line with this name, or -1 (errno ENOENT) when the chip has none.
int csam_find_line(csam_chip *chip, const char *name);

/// Requests a line as an input reporting both edges. NULL and errno (EBUSY: held by another consumer).
csam_request *csam_request_input(csam_chip *chip, unsigned offset, const char *consumer, int bias, int active_low);

/// Requests n lines (n <= CSAM_MAX_LINES) as outputs in one request, with the same active-low
/// setting and initial (logical) values in the order of `offsets`: a light's lines, set together
/// by one csam_set_values. NULL and errno on failure.
csam_request *csam_request_outputs(csam_chip *chip, const unsigned *offsets, unsigned n, const char *consumer, int active_low, const int *values);
/// Sets every line of a request at once (one ioctl), logical values in the order of its offsets.
/// 0 or -1 and errno.
int csam_set_values(csam_request *req, const int *values);
/// The most lines one request holds here.
enum { CSAM_MAX_LINES = 8 };
/// The file descriptor that becomes readable when edge events are pending.
int csam_request_fd(csam_request *req);

/// Reads one pending edge event: 1 and its kind (rising: 1 = became active) and kernel timestamp
/// (ns, CLOCK_MONOTONIC); -1 and errno on failure. Call only when the fd is readable.
int csam_read_event(csam_request *req, int *rising, uint64_t *timestamp_ns);

/// The line's logical value (1 active, 0 inactive) or -1 and errno.
int csam_get_value(csam_request *req);

void csam_request_release(csam_request *req);

#endif
