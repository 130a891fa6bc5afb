#include "CGPIOD.h"

#include <errno.h>
#include <gpiod.h>
#include <stdlib.h>
#include <string.h>

static void copy(char *dst, size_t len, const char *src) {
    if (!dst || len == 0) return;
    if (!src) src = "";
    strncpy(dst, src, len - 1);
    dst[len - 1] = 0;
}

/* The v1 header defines GPIOD_LINE_BULK_MAX_LINES and GPIOD_API; the v2 header defines neither. */
#if defined(GPIOD_LINE_BULK_MAX_LINES) || defined(GPIOD_API)

/* ---------------------------------------------------------------- libgpiod 1.x */

struct csam_chip { struct gpiod_chip *chip; };
struct csam_request {
    struct gpiod_line *line;
    /* A multi-line output request (csam_request_outputs): the bulk, line = its first line. */
    struct gpiod_line_bulk bulk;
    unsigned n;
};

int csam_api_version(void) { return 1; }

csam_chip *csam_chip_open(const char *path) {
    struct gpiod_chip *c = gpiod_chip_open(path);
    if (!c) return NULL;
    csam_chip *chip = calloc(1, sizeof *chip);
    if (!chip) { gpiod_chip_close(c); errno = ENOMEM; return NULL; }
    chip->chip = c;
    return chip;
}

void csam_chip_close(csam_chip *chip) {
    if (!chip) return;
    gpiod_chip_close(chip->chip);
    free(chip);
}

int csam_chip_info(csam_chip *chip, char *name, size_t name_len, char *label, size_t label_len, unsigned *num_lines) {
    copy(name, name_len, gpiod_chip_name(chip->chip));
    copy(label, label_len, gpiod_chip_label(chip->chip));
    if (num_lines) *num_lines = gpiod_chip_num_lines(chip->chip);
    return 0;
}

int csam_line_info_get(csam_chip *chip, unsigned offset, csam_line_info *info) {
    struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
    if (!line) return -1;
    gpiod_line_update(line);
    memset(info, 0, sizeof *info);
    copy(info->name, sizeof info->name, gpiod_line_name(line));
    copy(info->consumer, sizeof info->consumer, gpiod_line_consumer(line));
    info->used = gpiod_line_is_used(line);
    info->is_output = gpiod_line_direction(line) == GPIOD_LINE_DIRECTION_OUTPUT;
    info->active_low = gpiod_line_active_state(line) == GPIOD_LINE_ACTIVE_STATE_LOW;
    switch (gpiod_line_bias(line)) {
    case GPIOD_LINE_BIAS_PULL_UP: info->bias = CSAM_BIAS_PULL_UP; break;
    case GPIOD_LINE_BIAS_PULL_DOWN: info->bias = CSAM_BIAS_PULL_DOWN; break;
    case GPIOD_LINE_BIAS_DISABLE: info->bias = CSAM_BIAS_DISABLED; break;
    default: info->bias = CSAM_BIAS_AS_IS; break;
    }
    return 0;
}

int csam_find_line(csam_chip *chip, const char *name) {
    unsigned n = gpiod_chip_num_lines(chip->chip);
    for (unsigned i = 0; i < n; i++) {
        struct gpiod_line *line = gpiod_chip_get_line(chip->chip, i);
        const char *ln = line ? gpiod_line_name(line) : NULL;
        if (ln && strcmp(ln, name) == 0) return (int)i;
    }
    errno = ENOENT;
    return -1;
}

static int bias_flags(int bias) {
    switch (bias) {
    case CSAM_BIAS_DISABLED: return GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
    case CSAM_BIAS_PULL_UP: return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
    case CSAM_BIAS_PULL_DOWN: return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    default: return 0;
    }
}

csam_request *csam_request_input(csam_chip *chip, unsigned offset, const char *consumer, int bias, int active_low) {
    struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
    if (!line) return NULL;
    struct gpiod_line_request_config cfg = {
        .consumer = consumer,
        .request_type = GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES,
        .flags = bias_flags(bias) | (active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0),
    };
    if (gpiod_line_request(line, &cfg, 0) < 0) return NULL;
    csam_request *req = calloc(1, sizeof *req);
    if (!req) { gpiod_line_release(line); errno = ENOMEM; return NULL; }
    req->line = line;
    return req;
}

int csam_request_fd(csam_request *req) { return gpiod_line_event_get_fd(req->line); }

int csam_read_event(csam_request *req, int *rising, uint64_t *timestamp_ns) {
    struct gpiod_line_event ev;
    if (gpiod_line_event_read(req->line, &ev) < 0) return -1;
    *rising = ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE;
    *timestamp_ns = (uint64_t)ev.ts.tv_sec * 1000000000ull + (uint64_t)ev.ts.tv_nsec;
    return 1;
}

int csam_get_value(csam_request *req) { return gpiod_line_get_value(req->line); }

csam_request *csam_request_outputs(csam_chip *chip, const unsigned *offsets, unsigned n, const char *consumer, int active_low, const int *values) {
    if (n == 0 || n > CSAM_MAX_LINES) { errno = EINVAL; return NULL; }
    csam_request *req = calloc(1, sizeof *req);
    if (!req) { errno = ENOMEM; return NULL; }
    gpiod_line_bulk_init(&req->bulk);
    for (unsigned i = 0; i < n; i++) {
        struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offsets[i]);
        if (!line) { free(req); return NULL; }
        gpiod_line_bulk_add(&req->bulk, line);
    }
    struct gpiod_line_request_config cfg = {
        .consumer = consumer, .request_type = GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
        .flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0 };
    if (gpiod_line_request_bulk(&req->bulk, &cfg, values) < 0) { free(req); return NULL; }
    req->line = gpiod_line_bulk_get_line(&req->bulk, 0);
    req->n = n;
    return req;
}

int csam_set_values(csam_request *req, const int *values) {
    if (req->n == 0) { errno = EINVAL; return -1; } /* an input's request */
    return gpiod_line_set_value_bulk(&req->bulk, (int *)values);
}

void csam_request_release(csam_request *req) {
    if (!req) return;
    if (req->n > 0) gpiod_line_release_bulk(&req->bulk);
    else gpiod_line_release(req->line);
    free(req);
}

#else

/* ---------------------------------------------------------------- libgpiod 2.x */

struct csam_chip { struct gpiod_chip *chip; };
struct csam_request {
    struct gpiod_line_request *req;
    struct gpiod_edge_event_buffer *events;
    unsigned offset;
    /* The number of lines: 1, or more for csam_request_outputs. */
    unsigned n;
};

int csam_api_version(void) { return 2; }

csam_chip *csam_chip_open(const char *path) {
    struct gpiod_chip *c = gpiod_chip_open(path);
    if (!c) return NULL;
    csam_chip *chip = calloc(1, sizeof *chip);
    if (!chip) { gpiod_chip_close(c); errno = ENOMEM; return NULL; }
    chip->chip = c;
    return chip;
}

void csam_chip_close(csam_chip *chip) {
    if (!chip) return;
    gpiod_chip_close(chip->chip);
    free(chip);
}

int csam_chip_info(csam_chip *chip, char *name, size_t name_len, char *label, size_t label_len, unsigned *num_lines) {
    struct gpiod_chip_info *info = gpiod_chip_get_info(chip->chip);
    if (!info) return -1;
    copy(name, name_len, gpiod_chip_info_get_name(info));
    copy(label, label_len, gpiod_chip_info_get_label(info));
    if (num_lines) *num_lines = (unsigned)gpiod_chip_info_get_num_lines(info);
    gpiod_chip_info_free(info);
    return 0;
}

int csam_line_info_get(csam_chip *chip, unsigned offset, csam_line_info *out) {
    struct gpiod_line_info *info = gpiod_chip_get_line_info(chip->chip, offset);
    if (!info) return -1;
    memset(out, 0, sizeof *out);
    copy(out->name, sizeof out->name, gpiod_line_info_get_name(info));
    copy(out->consumer, sizeof out->consumer, gpiod_line_info_get_consumer(info));
    out->used = gpiod_line_info_is_used(info);
    out->is_output = gpiod_line_info_get_direction(info) == GPIOD_LINE_DIRECTION_OUTPUT;
    out->active_low = gpiod_line_info_is_active_low(info);
    switch (gpiod_line_info_get_bias(info)) {
    case GPIOD_LINE_BIAS_PULL_UP: out->bias = CSAM_BIAS_PULL_UP; break;
    case GPIOD_LINE_BIAS_PULL_DOWN: out->bias = CSAM_BIAS_PULL_DOWN; break;
    case GPIOD_LINE_BIAS_DISABLED: out->bias = CSAM_BIAS_DISABLED; break;
    default: out->bias = CSAM_BIAS_AS_IS; break;
    }
    gpiod_line_info_free(info);
    return 0;
}

int csam_find_line(csam_chip *chip, const char *name) {
    int offset = gpiod_chip_get_line_offset_from_name(chip->chip, name);
    if (offset < 0 && errno == 0) errno = ENOENT;
    return offset;
}

/* One request of n lines with the same settings: initial output values when `initial` is set, an
   edge event buffer when `events` is. */
static csam_request *request(csam_chip *chip, const unsigned *offsets, unsigned n, const char *consumer,
                             struct gpiod_line_settings *s, const enum gpiod_line_value *initial, int events) {
    csam_request *out = NULL;
    struct gpiod_line_config *lcfg = gpiod_line_config_new();
    struct gpiod_request_config *rcfg = gpiod_request_config_new();
    if (!lcfg || !rcfg) { errno = ENOMEM; goto done; }
    if (gpiod_line_config_add_line_settings(lcfg, offsets, n, s) < 0) goto done;
    if (initial && gpiod_line_config_set_output_values(lcfg, initial, n) < 0) goto done;
    gpiod_request_config_set_consumer(rcfg, consumer);
    struct gpiod_line_request *req = gpiod_chip_request_lines(chip->chip, rcfg, lcfg);
    if (!req) goto done;
    out = calloc(1, sizeof *out);
    if (!out) { gpiod_line_request_release(req); errno = ENOMEM; goto done; }
    out->req = req;
    out->offset = offsets[0];
    out->n = n;
    if (events) {
        out->events = gpiod_edge_event_buffer_new(1);
        if (!out->events) { gpiod_line_request_release(req); free(out); out = NULL; errno = ENOMEM; }
    }
done:
    if (lcfg) gpiod_line_config_free(lcfg);
    if (rcfg) gpiod_request_config_free(rcfg);
    return out;
}

csam_request *csam_request_input(csam_chip *chip, unsigned offset, const char *consumer, int bias, int active_low) {
    struct gpiod_line_settings *s = gpiod_line_settings_new();
    if (!s) { errno = ENOMEM; return NULL; }
    gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_INPUT);
    gpiod_line_settings_set_edge_detection(s, GPIOD_LINE_EDGE_BOTH);
    gpiod_line_settings_set_event_clock(s, GPIOD_LINE_CLOCK_MONOTONIC);
    switch (bias) {
    case CSAM_BIAS_DISABLED: gpiod_line_settings_set_bias(s, GPIOD_LINE_BIAS_DISABLED); break;
    case CSAM_BIAS_PULL_UP: gpiod_line_settings_set_bias(s, GPIOD_LINE_BIAS_PULL_UP); break;
    case CSAM_BIAS_PULL_DOWN: gpiod_line_settings_set_bias(s, GPIOD_LINE_BIAS_PULL_DOWN); break;
    default: break;
    }
    gpiod_line_settings_set_active_low(s, active_low != 0);
    csam_request *r = request(chip, &offset, 1, consumer, s, NULL, 1);
    gpiod_line_settings_free(s);
    return r;
}

int csam_request_fd(csam_request *req) { return gpiod_line_request_get_fd(req->req); }

int csam_read_event(csam_request *req, int *rising, uint64_t *timestamp_ns) {
    int n = gpiod_line_request_read_edge_events(req->req, req->events, 1);
    if (n < 0) return -1;
    if (n == 0) return 0;
    struct gpiod_edge_event *ev = gpiod_edge_event_buffer_get_event(req->events, 0);
    *rising = gpiod_edge_event_get_event_type(ev) == GPIOD_EDGE_EVENT_RISING_EDGE;
    *timestamp_ns = gpiod_edge_event_get_timestamp_ns(ev);
    return 1;
}

int csam_get_value(csam_request *req) {
    enum gpiod_line_value v = gpiod_line_request_get_value(req->req, req->offset);
    if (v == GPIOD_LINE_VALUE_ERROR) return -1;
    return v == GPIOD_LINE_VALUE_ACTIVE;
}

csam_request *csam_request_outputs(csam_chip *chip, const unsigned *offsets, unsigned n, const char *consumer, int active_low, const int *values) {
    if (n == 0 || n > CSAM_MAX_LINES) { errno = EINVAL; return NULL; }
    enum gpiod_line_value initial[CSAM_MAX_LINES];
    for (unsigned i = 0; i < n; i++) initial[i] = values[i] ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE;
    struct gpiod_line_settings *s = gpiod_line_settings_new();
    if (!s) { errno = ENOMEM; return NULL; }
    gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_OUTPUT);
    gpiod_line_settings_set_active_low(s, active_low != 0);
    csam_request *r = request(chip, offsets, n, consumer, s, initial, 0);
    gpiod_line_settings_free(s);
    return r;
}

int csam_set_values(csam_request *req, const int *values) {
    enum gpiod_line_value v[CSAM_MAX_LINES];
    for (unsigned i = 0; i < req->n; i++) v[i] = values[i] ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE;
    return gpiod_line_request_set_values(req->req, v);
}

void csam_request_release(csam_request *req) {
    if (!req) return;
    gpiod_line_request_release(req->req);
    if (req->events) gpiod_edge_event_buffer_free(req->events);
    free(req);
}

#endif
