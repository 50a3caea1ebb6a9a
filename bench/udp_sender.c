/* A UDP load sender for the benchmarks: sends the datagrams of a file, cycled, to a loopback
 * port at a given rate for a given time, round robin over one socket per source address, with
 * one sendmmsg per source and tick. A Python loop needs most of a core for 50 k datagrams/s; this
 * needs a fraction, which matters on a machine of two cores where the sender competes with the
 * agent. Compiled with `cc -O2` by the benchmark scripts (bench_util.build_udp_sender).
 *
 *   udp_sender lines|datagrams FILE PORT RATE SECONDS SOURCE_ADDRESS...
 *
 * `lines`: one datagram per line of FILE (syslog). `datagrams`: FILE is a sequence of
 * big-endian u16 length + bytes (NetFlow packets). RATE is in datagrams per second. Prints the
 * datagrams sent and the seconds it took. Stops after SECONDS * 1.5 + 1 even when it cannot
 * keep up, and reports what it sent. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { BATCH = 256, MAX_SOURCES = 64, MAX_DATAGRAMS = 1 << 18 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static char data[1 << 29]; /* only the pages a file fills are touched */
static char* datagram[MAX_DATAGRAMS];
static size_t length[MAX_DATAGRAMS];

/* Splits the file into datagrams; returns how many. */
static size_t split(const char* format, size_t size) {
    size_t n = 0;
    char* end = data + size;
    if (strcmp(format, "lines") == 0) {
        for (char* p = data; p < end && n < MAX_DATAGRAMS;) {
            char* nl = memchr(p, '\n', end - p);
            if (!nl) nl = end;
            datagram[n] = p;
            length[n++] = nl - p;
            p = nl + 1;
        }
    } else {
        for (char* p = data; p + 2 <= end && n < MAX_DATAGRAMS;) {
            size_t len = ((unsigned char)p[0] << 8) | (unsigned char)p[1];
            if (p + 2 + len > end) break;
            datagram[n] = p + 2;
            length[n++] = len;
            p += 2 + len;
        }
    }
    return n;
}

int main(int argc, char** argv) {
    if (argc < 7 || argc - 6 > MAX_SOURCES ||
        (strcmp(argv[1], "lines") != 0 && strcmp(argv[1], "datagrams") != 0)) {
        fprintf(stderr, "usage: %s lines|datagrams FILE PORT RATE SECONDS SOURCE_ADDRESS...\n",
                argv[0]);
        return 2;
    }
    FILE* f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    const size_t size = fread(data, 1, sizeof data, f);
    fclose(f);
    const size_t n_datagrams = split(argv[1], size);
    if (n_datagrams == 0) {
        fprintf(stderr, "%s: no datagrams\n", argv[2]);
        return 1;
    }
    const int port = atoi(argv[3]);
    const double rate = atof(argv[4]), seconds = atof(argv[5]);
    const int n_sources = argc - 6;
    int socks[MAX_SOURCES];
    for (int i = 0; i < n_sources; ++i) {
        struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET};
        inet_pton(AF_INET, argv[6 + i], &src.sin_addr);
        inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
        dst.sin_port = htons(port);
        socks[i] = socket(AF_INET, SOCK_DGRAM, 0);
        int sndbuf = 4 << 20;
        setsockopt(socks[i], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
        if (socks[i] < 0 || bind(socks[i], (struct sockaddr*)&src, sizeof src) != 0 ||
            connect(socks[i], (struct sockaddr*)&dst, sizeof dst) != 0) {
            perror(argv[6 + i]);
            return 1;
        }
    }
    const long total = (long)(rate * seconds);
    long sent = 0;
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    const double start = now();
    while (sent < total) {
        const double elapsed = now() - start;
        if (elapsed > seconds * 1.5 + 1) break; /* cannot keep up: report what was sent */
        long due = (long)(elapsed * rate) + 1;
        if (due > total) due = total;
        /* Datagrams sent..due-1, round robin over the sources: one sendmmsg per source. */
        for (int s = 0; s < n_sources && sent < due; ++s) {
            long first = sent + ((s - sent % n_sources) + n_sources) % n_sources;
            int k = 0;
            for (long i = first; i < due && k < BATCH; i += n_sources, ++k) {
                iov[k].iov_base = datagram[i % n_datagrams];
                iov[k].iov_len = length[i % n_datagrams];
                memset(&msgs[k], 0, sizeof msgs[k]);
                msgs[k].msg_hdr.msg_iov = &iov[k];
                msgs[k].msg_hdr.msg_iovlen = 1;
            }
            for (int done = 0; done < k;) {
                int r = sendmmsg(socks[s], msgs + done, k - done, 0);
                if (r > 0) {
                    done += r;
                } else if (r < 0 && (errno == ECONNREFUSED || errno == ENOBUFS)) {
                    done += 1; /* no listener, or the kernel dropped it: not retried */
                } else if (r < 0 && errno != EINTR && errno != EAGAIN) {
                    perror("sendmmsg");
                    return 1;
                }
            }
        }
        /* Every source had its share of [sent, due) up to BATCH datagrams. */
        long step = due - sent;
        if (step > (long)BATCH * n_sources) step = (long)BATCH * n_sources;
        sent += step;
        if (sent >= due) {
            struct timespec pause = {0, 500000};
            nanosleep(&pause, NULL);
        }
    }
    printf("%ld %.3f\n", sent, now() - start);
    return 0;
}
