/*
 * gpio-floor: the smallest useful program on the virtual board.
 *
 * It requests the line named BUTTON (input, pull-up, active-low, both edges) and the
 * line named RED (output) and mirrors the button onto the light: on every edge event it
 * sets RED to the button's pressed state at once. Per edge it prints one line
 *
 *     edge <kernel event timestamp, ns> set <CLOCK_MONOTONIC right after the set, ns>
 *
 * (both clocks are CLOCK_MONOTONIC), which makes it the latency floor that Samtale is
 * compared with by `Board/vboard bench`.
 *
 * The same source builds against libgpiod v1 (Debian bookworm, 1.6) and v2 (trixie, 2.x):
 * v1's gpiod.h defines GPIOD_LINE_BULK_MAX_LINES, v2's does not.
 *
 * Usage:
 *   gpio-floor [--button NAME] [--light NAME] [--consumer NAME] [--count N] [--fifo PRIORITY]
 *                               (--fifo: run SCHED_FIFO at PRIORITY, as Samtale's button thread)
 *   gpio-floor --info NAME      print where a line is and who holds it
 *   gpio-floor --version        print the libgpiod version it was built with
 *   gpio-floor --bounce PULL N US
 *                               a bouncing contact, as fast as the machine can: write the
 *                               simulator's `pull` attribute PULL (sysfs) N times alternately,
 *                               the changes spread over US microseconds (busy-waiting), starting
 *                               with the opposite of its present value, then once more to rest
 *                               there; prints `bounce changes=N writes=W policy=P span_us=S` (the
 *                               CLOCK_MONOTONIC time from the first write to the end of the last).
 *                               A contact's bounces are physics, not a task the scheduler may put
 *                               off: the writer runs SCHED_FIFO at the highest priority (P: fifo99),
 *                               above the interrupts' threads and any reader of the line, which
 *                               would otherwise preempt it on its CPU between two writes and
 *                               stretch a 5 ms bounce past a 30 ms debounce. The kernel timestamps
 *                               each edge in its hard interrupt all the same.
 *
 * Exit status: 0 done (signal or --count reached), 1 usage, 2 line not found,
 * 3 line request failed (errno in the message: EBUSY when someone holds it), 4 other error.
 */
#define _GNU_SOURCE
#include <gpiod.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef GPIOD_LINE_BULK_MAX_LINES
#define FLOOR_API "v1"
#else
#define FLOOR_API "v2"
#endif

#define EXIT_USAGE 1
#define EXIT_NOT_FOUND 2
#define EXIT_REQUEST 3
#define EXIT_RUNTIME 4

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static const char *lib_version(void)
{
#ifdef GPIOD_LINE_BULK_MAX_LINES
	return gpiod_version_string();
#else
	return gpiod_api_version();
#endif
}

/* One line found by name, and (once requested) its request. */
struct line {
	const char *name;
	char chip_name[64];
	char chip_label[64];
	unsigned int offset;
#ifdef GPIOD_LINE_BULK_MAX_LINES
	struct gpiod_line *line;
#else
	struct gpiod_chip *chip;
	struct gpiod_line_request *req;
#endif
};

/* Finds a line by name on any chip. Returns 0, or -1 with errno set (ENOENT: no such line). */
static int find_line(const char *name, struct line *l)
{
	memset(l, 0, sizeof(*l));
	l->name = name;
#ifdef GPIOD_LINE_BULK_MAX_LINES
	l->line = gpiod_line_find(name);
	if (!l->line) {
		if (errno == 0)
			errno = ENOENT;
		return -1;
	}
	snprintf(l->chip_name, sizeof(l->chip_name), "%s", gpiod_chip_name(gpiod_line_get_chip(l->line)));
	snprintf(l->chip_label, sizeof(l->chip_label), "%s", gpiod_chip_label(gpiod_line_get_chip(l->line)));
	l->offset = gpiod_line_offset(l->line);
	return 0;
#else
	DIR *dir = opendir("/dev");
	struct dirent *ent;

	if (!dir)
		return -1;
	while ((ent = readdir(dir))) {
		char path[300];
		struct gpiod_chip *chip;
		int off;

		if (strncmp(ent->d_name, "gpiochip", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", ent->d_name);
		chip = gpiod_chip_open(path);
		if (!chip)
			continue;
		off = gpiod_chip_get_line_offset_from_name(chip, name);
		if (off >= 0) {
			struct gpiod_chip_info *info = gpiod_chip_get_info(chip);

			if (info) {
				snprintf(l->chip_label, sizeof(l->chip_label), "%s", gpiod_chip_info_get_label(info));
				gpiod_chip_info_free(info);
			}
			l->chip = chip;
			l->offset = (unsigned int)off;
			snprintf(l->chip_name, sizeof(l->chip_name), "%.63s", ent->d_name);
			closedir(dir);
			return 0;
		}
		gpiod_chip_close(chip);
	}
	closedir(dir);
	errno = ENOENT;
	return -1;
#endif
}

static void close_line(struct line *l)
{
#ifdef GPIOD_LINE_BULK_MAX_LINES
	if (l->line) {
		gpiod_line_release(l->line);
		gpiod_line_close_chip(l->line);
	}
#else
	if (l->req)
		gpiod_line_request_release(l->req);
	if (l->chip)
		gpiod_chip_close(l->chip);
#endif
}

/* Requests the button: input, pull-up, active-low, both edges, monotonic timestamps. */
static int request_button(struct line *l, const char *consumer)
{
#ifdef GPIOD_LINE_BULK_MAX_LINES
	struct gpiod_line_request_config cfg = {
		.consumer = consumer,
		.request_type = GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES,
		.flags = GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW | GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP,
	};

	return gpiod_line_request(l->line, &cfg, 0);
#else
	struct gpiod_line_settings *s = gpiod_line_settings_new();
	struct gpiod_line_config *lc = gpiod_line_config_new();
	struct gpiod_request_config *rc = gpiod_request_config_new();
	int ret = -1;

	if (s && lc && rc) {
		gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_INPUT);
		gpiod_line_settings_set_edge_detection(s, GPIOD_LINE_EDGE_BOTH);
		gpiod_line_settings_set_bias(s, GPIOD_LINE_BIAS_PULL_UP);
		gpiod_line_settings_set_active_low(s, true);
		gpiod_line_settings_set_event_clock(s, GPIOD_LINE_CLOCK_MONOTONIC);
		gpiod_request_config_set_consumer(rc, consumer);
		if (gpiod_line_config_add_line_settings(lc, &l->offset, 1, s) == 0) {
			l->req = gpiod_chip_request_lines(l->chip, rc, lc);
			ret = l->req ? 0 : -1;
		}
	}
	gpiod_request_config_free(rc);
	gpiod_line_config_free(lc);
	gpiod_line_settings_free(s);
	return ret;
#endif
}

/* Requests the light: output, active-high, initially off. */
static int request_light(struct line *l, const char *consumer)
{
#ifdef GPIOD_LINE_BULK_MAX_LINES
	return gpiod_line_request_output(l->line, consumer, 0);
#else
	struct gpiod_line_settings *s = gpiod_line_settings_new();
	struct gpiod_line_config *lc = gpiod_line_config_new();
	struct gpiod_request_config *rc = gpiod_request_config_new();
	int ret = -1;

	if (s && lc && rc) {
		gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_OUTPUT);
		gpiod_line_settings_set_output_value(s, GPIOD_LINE_VALUE_INACTIVE);
		gpiod_request_config_set_consumer(rc, consumer);
		if (gpiod_line_config_add_line_settings(lc, &l->offset, 1, s) == 0) {
			l->req = gpiod_chip_request_lines(l->chip, rc, lc);
			ret = l->req ? 0 : -1;
		}
	}
	gpiod_request_config_free(rc);
	gpiod_line_config_free(lc);
	gpiod_line_settings_free(s);
	return ret;
#endif
}

/* Logical value of a requested line (1 = active), or -1. */
static int get_value(struct line *l)
{
#ifdef GPIOD_LINE_BULK_MAX_LINES
	return gpiod_line_get_value(l->line);
#else
	enum gpiod_line_value v = gpiod_line_request_get_value(l->req, l->offset);

	return v == GPIOD_LINE_VALUE_ERROR ? -1 : v == GPIOD_LINE_VALUE_ACTIVE;
#endif
}

static int set_value(struct line *l, int on)
{
#ifdef GPIOD_LINE_BULK_MAX_LINES
	return gpiod_line_set_value(l->line, on);
#else
	return gpiod_line_request_set_value(l->req, l->offset,
					    on ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE);
#endif
}

/* `--info NAME`: where the line is and who holds it, in one line. */
static int print_info(const char *name)
{
	struct line l;
	bool used, output;
	const char *consumer;

	if (find_line(name, &l) < 0) {
		fprintf(stderr, "gpio-floor: cannot find line '%s': %s\n", name, strerror(errno));
		return EXIT_NOT_FOUND;
	}
#ifdef GPIOD_LINE_BULK_MAX_LINES
	used = gpiod_line_is_used(l.line);
	output = gpiod_line_direction(l.line) == GPIOD_LINE_DIRECTION_OUTPUT;
	consumer = gpiod_line_consumer(l.line);
	printf("line %s chip=%s label=%s offset=%u direction=%s used=%s consumer=%s\n", name, l.chip_name,
	       l.chip_label, l.offset, output ? "output" : "input", used ? "yes" : "no",
	       consumer && *consumer ? consumer : "-");
#else
	struct gpiod_line_info *info = gpiod_chip_get_line_info(l.chip, l.offset);

	if (!info) {
		fprintf(stderr, "gpio-floor: cannot read line info of '%s': %s\n", name, strerror(errno));
		close_line(&l);
		return EXIT_RUNTIME;
	}
	used = gpiod_line_info_is_used(info);
	output = gpiod_line_info_get_direction(info) == GPIOD_LINE_DIRECTION_OUTPUT;
	consumer = gpiod_line_info_get_consumer(info);
	printf("line %s chip=%s label=%s offset=%u direction=%s used=%s consumer=%s\n", name, l.chip_name,
	       l.chip_label, l.offset, output ? "output" : "input", used ? "yes" : "no",
	       consumer && *consumer ? consumer : "-");
	gpiod_line_info_free(info);
#endif
	close_line(&l);
	return 0;
}

/* One edge: set the light, take the time, log. Returns 0 or -1. */
static int on_edge(struct line *light, int pressed, uint64_t edge_ns)
{
	uint64_t set_ns;

	if (set_value(light, pressed) < 0) {
		fprintf(stderr, "gpio-floor: cannot set '%s': %s\n", light->name, strerror(errno));
		return -1;
	}
	set_ns = mono_ns();
	printf("edge %llu set %llu\n", (unsigned long long)edge_ns, (unsigned long long)set_ns);
	fflush(stdout);
	return 0;
}

/* Waits for edges and mirrors them until a signal or `count` edges. Returns an exit status. */
static int mirror(struct line *button, struct line *light, long count)
{
	long seen = 0;
#ifdef GPIOD_LINE_BULK_MAX_LINES
	struct gpiod_line_event events[16];

	while (!stop && (count <= 0 || seen < count)) {
		int n, i, ret = gpiod_line_event_wait(button->line, NULL);

		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "gpio-floor: waiting for edges failed: %s\n", strerror(errno));
			return EXIT_RUNTIME;
		}
		n = gpiod_line_event_read_multiple(button->line, events, 16);
		if (n < 0) {
			fprintf(stderr, "gpio-floor: reading edges failed: %s\n", strerror(errno));
			return EXIT_RUNTIME;
		}
		for (i = 0; i < n; i++) {
			uint64_t ts = (uint64_t)events[i].ts.tv_sec * 1000000000ull + (uint64_t)events[i].ts.tv_nsec;

			if (on_edge(light, events[i].event_type == GPIOD_LINE_EVENT_RISING_EDGE, ts) < 0)
				return EXIT_RUNTIME;
			seen++;
		}
	}
	return 0;
#else
	struct gpiod_edge_event_buffer *buf = gpiod_edge_event_buffer_new(64);
	int status = 0;

	if (!buf) {
		fprintf(stderr, "gpio-floor: cannot allocate the event buffer: %s\n", strerror(errno));
		return EXIT_RUNTIME;
	}
	while (!stop && (count <= 0 || seen < count)) {
		int n, i, ret = gpiod_line_request_wait_edge_events(button->req, -1);

		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "gpio-floor: waiting for edges failed: %s\n", strerror(errno));
			status = EXIT_RUNTIME;
			break;
		}
		if (ret == 0)
			continue;
		n = gpiod_line_request_read_edge_events(button->req, buf, 64);
		if (n < 0) {
			fprintf(stderr, "gpio-floor: reading edges failed: %s\n", strerror(errno));
			status = EXIT_RUNTIME;
			break;
		}
		for (i = 0; i < n; i++) {
			struct gpiod_edge_event *ev = gpiod_edge_event_buffer_get_event(buf, (unsigned long)i);

			if (on_edge(light, gpiod_edge_event_get_event_type(ev) == GPIOD_EDGE_EVENT_RISING_EDGE,
				    gpiod_edge_event_get_timestamp_ns(ev)) < 0) {
				status = EXIT_RUNTIME;
				break;
			}
			seen++;
		}
		if (status)
			break;
	}
	gpiod_edge_event_buffer_free(buf);
	return status;
#endif
}

static void usage(FILE *f)
{
	fprintf(f, "usage: gpio-floor [--button NAME] [--light NAME] [--consumer NAME] [--count N] [--fifo PRIORITY]\n"
		   "       gpio-floor --info NAME\n"
		   "       gpio-floor --bounce PULL N US\n"
		   "       gpio-floor --version\n");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int write_pull(int fd, const char *v)
{
	return pwrite(fd, v, strlen(v), 0) == (ssize_t)strlen(v) ? 0 : -1;
}

/* `--bounce PULL N US`: see the top of the file. One open descriptor, pwrite at offset 0. */
static int bounce(const char *path, long n, long span_us)
{
	char cur[32] = "", fifo[16];
	const char *target, *other, *s, *policy;
	struct sched_param sp;
	uint64_t t0, t_end, step;
	long i, writes = 0;
	int fd = open(path, O_RDWR);

	if (fd < 0 || pread(fd, cur, sizeof(cur) - 1, 0) < 0) {
		fprintf(stderr, "gpio-floor: cannot open %s: %s\n", path, strerror(errno));
		return EXIT_RUNTIME;
	}
	if (!strncmp(cur, "pull-up", 7)) {
		target = "pull-down";
		other = "pull-up";
	} else {
		target = "pull-up";
		other = "pull-down";
	}
	sp.sched_priority = sched_get_priority_max(SCHED_FIFO);
	if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) {
		fprintf(stderr, "gpio-floor: --bounce runs without SCHED_FIFO %d: %s\n", sp.sched_priority,
			strerror(errno));
		policy = "other";
	} else {
		snprintf(fifo, sizeof(fifo), "fifo%d", sp.sched_priority);
		policy = fifo;
	}
	step = n > 0 ? (uint64_t)span_us * 1000u / (uint64_t)n : 0;
	t0 = now_ns();
	for (i = 0, s = target; i < n; i++, s = s == target ? other : target) {
		while (now_ns() < t0 + (uint64_t)i * step)
			;
		if (write_pull(fd, s) < 0)
			goto fail;
		writes++;
	}
	if (write_pull(fd, target) < 0)
		goto fail;
	writes++;
	t_end = now_ns();
	close(fd);
	printf("bounce changes=%ld writes=%ld policy=%s span_us=%llu\n", n, writes, policy,
	       (unsigned long long)((t_end - t0) / 1000));
	return 0;
fail:
	fprintf(stderr, "gpio-floor: cannot write %s: %s\n", path, strerror(errno));
	close(fd);
	return EXIT_RUNTIME;
}

int main(int argc, char **argv)
{
	const char *button_name = "BUTTON", *light_name = "RED", *consumer = "gpio-floor";
	long count = 0;
	struct line button, light;
	struct sigaction sa;
	int i, pressed, status;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--version")) {
			printf("gpio-floor libgpiod %s (API %s)\n", lib_version(), FLOOR_API);
			return 0;
		} else if (!strcmp(a, "--bounce")) {
			if (i + 3 >= argc) {
				usage(stderr);
				return EXIT_USAGE;
			}
			return bounce(argv[i + 1], strtol(argv[i + 2], NULL, 10), strtol(argv[i + 3], NULL, 10));
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!v) {
			usage(stderr);
			return EXIT_USAGE;
		} else if (!strcmp(a, "--info")) {
			return print_info(v);
		} else if (!strcmp(a, "--button")) {
			button_name = v;
		} else if (!strcmp(a, "--light")) {
			light_name = v;
		} else if (!strcmp(a, "--consumer")) {
			consumer = v;
		} else if (!strcmp(a, "--count")) {
			count = strtol(v, NULL, 10);
		} else if (!strcmp(a, "--fifo")) {
			struct sched_param sp = { .sched_priority = (int)strtol(v, NULL, 10) };

			if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) {
				fprintf(stderr, "gpio-floor: cannot have SCHED_FIFO %s: %s\n", v, strerror(errno));
				return EXIT_RUNTIME;
			}
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
		i++;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a signal ends the wait with EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (find_line(button_name, &button) < 0) {
		fprintf(stderr, "gpio-floor: cannot find line '%s': %s\n", button_name, strerror(errno));
		return EXIT_NOT_FOUND;
	}
	if (find_line(light_name, &light) < 0) {
		fprintf(stderr, "gpio-floor: cannot find line '%s': %s\n", light_name, strerror(errno));
		close_line(&button);
		return EXIT_NOT_FOUND;
	}
	if (request_button(&button, consumer) < 0) {
		fprintf(stderr, "gpio-floor: cannot request line '%s' (%s:%u): %s\n", button_name,
			button.chip_name, button.offset, strerror(errno));
		close_line(&light);
		close_line(&button);
		return EXIT_REQUEST;
	}
	if (request_light(&light, consumer) < 0) {
		fprintf(stderr, "gpio-floor: cannot request line '%s' (%s:%u): %s\n", light_name,
			light.chip_name, light.offset, strerror(errno));
		close_line(&light);
		close_line(&button);
		return EXIT_REQUEST;
	}

	/* Start from the button's present state, then follow its edges. */
	pressed = get_value(&button);
	if (pressed < 0 || set_value(&light, pressed) < 0) {
		fprintf(stderr, "gpio-floor: cannot sync '%s' to '%s': %s\n", light_name, button_name,
			strerror(errno));
		close_line(&light);
		close_line(&button);
		return EXIT_RUNTIME;
	}
	printf("ready api=%s libgpiod=%s button=%s:%u light=%s:%u pressed=%d\n", FLOOR_API, lib_version(),
	       button.chip_name, button.offset, light.chip_name, light.offset, pressed);
	fflush(stdout);

	status = mirror(&button, &light, count);
	close_line(&light);
	close_line(&button);
	return status;
}
