// Loopback connection storm for the cnm4j load harness.
//
// Each transaction: the client connects (non-blocking), sends a 1-byte request; the server
// accepts, reads it, answers 1 byte and closes first; the client reads the answer and EOF,
// then closes. Client and server live in this process on 127.0.0.1, driven by one epoll loop
// per thread, so no JVM is involved in generating the load.
//
// Usage: storm [--rate R] [--seconds S | --count N] [--concurrency C] [--threads T] [--port P]
//   --rate 0 (the default) opens connections as fast as the concurrency allows.
//
// Output, one line each:
//   port=P                                   once the server listens (the load starts then)
//   made=N failed=F elapsed_ns=E port=P      at the end; a transaction is made when the client
//                                            received the answer and EOF, failed otherwise
// Exit code 0 when the run completed, 2 on bad arguments, 1 when the set-up failed.

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/** How long in-flight transactions may take to finish once no new ones are opened. */
#define DRAIN_NS (10ull * 1000000000ull)

enum role { FREE = 0, CLIENT_CONNECTING, CLIENT_WAITING, CLIENT_ANSWERED, SERVER_READING, LISTENER };

struct worker {
    int epoll_fd;
    int listen_fd;
    uint64_t quota;          // connections this worker opens (count mode), or UINT64_MAX
    double rate;             // per second for this worker, 0 for as fast as possible
    int concurrency;
    uint64_t deadline_ns;    // stop opening connections at this time (seconds mode), or 0
    uint64_t start_ns;
    uint64_t made;
    uint64_t failed;
    uint64_t last_done_ns;
    uint64_t stopped_ns;     // when this worker stopped opening connections
    pthread_t thread;
};

static struct sockaddr_in server_address;
// workers whose own clients are not all finished; a finished worker keeps accepting and answering
// until this is 0, because its SO_REUSEPORT listener receives a share of every worker's connections
static int unfinished_workers;
static unsigned char *roles;  // indexed by fd: what each descriptor is to its worker
static int max_fds;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static void die(const char *what) {
    fprintf(stderr, "storm: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void watch(struct worker *w, int fd, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.fd = fd};
    if (epoll_ctl(w->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        die("epoll_ctl");
    }
}

static void finish_client(struct worker *w, int fd, int ok) {
    roles[fd] = FREE;
    close(fd);
    if (ok) {
        w->made++;
    } else {
        w->failed++;
    }
    w->last_done_ns = now_ns();
}

static int open_client(struct worker *w) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        w->failed++;
        return 0;
    }
    if (fd >= max_fds) {
        close(fd);
        errno = EMFILE;
        die("descriptor table");
    }
    if (connect(fd, (struct sockaddr *) &server_address, sizeof server_address) != 0 && errno != EINPROGRESS) {
        close(fd);
        w->failed++;
        return 0;
    }
    roles[fd] = CLIENT_CONNECTING;
    // edge-triggered: one registration serves the connect completion, the answer and the EOF
    watch(w, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
    return 1;
}

static void client_ready(struct worker *w, int fd, uint32_t events) {
    if (roles[fd] == CLIENT_CONNECTING) {
        int error = 0;
        socklen_t length = sizeof error;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
            finish_client(w, fd, 0);
            return;
        }
        if (!(events & (EPOLLOUT | EPOLLIN))) {
            return;
        }
        char request = 'q';
        if (write(fd, &request, 1) != 1) {
            finish_client(w, fd, 0);
            return;
        }
        roles[fd] = CLIENT_WAITING;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        char buffer[16];
        for (;;) {
            ssize_t n = read(fd, buffer, sizeof buffer);
            if (n > 0) {
                roles[fd] = CLIENT_ANSWERED;
            } else if (n == 0) {
                // the server closed first: the transaction is complete when its answer came
                finish_client(w, fd, roles[fd] == CLIENT_ANSWERED);
                return;
            } else {
                if (errno != EAGAIN) {
                    finish_client(w, fd, 0);
                }
                return;
            }
        }
    }
}

/**
 * Reads the request and, once it is there, answers and closes: the server closes first.
 * Returns 0 while the request has not arrived yet.
 */
static int server_ready(int fd) {
    char buffer[16];
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EAGAIN) {
        return 0;
    }
    if (n > 0) {
        char answer = 'a';
        if (write(fd, &answer, 1) != 1) {
            // the client is gone; it counts its own failure
        }
    }
    roles[fd] = FREE;
    close(fd);
    return 1;
}

static void accept_all(struct worker *w) {
    for (;;) {
        int fd = accept4(w->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            return;
        }
        if (fd >= max_fds) {
            close(fd);
            continue;
        }
        roles[fd] = SERVER_READING;
        // on loopback the request is usually there already: answer without an epoll round
        if (!server_ready(fd)) {
            watch(w, fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
        }
    }
}

static void *run(void *argument) {
    struct worker *w = argument;
    struct epoll_event events[256];
    uint64_t opened = 0;
    int in_flight_limit = w->concurrency;
    int finished = 0;
    for (;;) {
        uint64_t now = now_ns();
        int opening = opened < w->quota && (w->deadline_ns == 0 || now < w->deadline_ns);
        if (opening) {
            w->stopped_ns = now;
        }
        uint64_t in_flight = opened - w->made - w->failed;
        int timeout_ms = 100;
        while (opening && in_flight < (uint64_t) in_flight_limit) {
            if (w->rate > 0) {
                uint64_t due = w->start_ns + (uint64_t) (opened * 1e9 / w->rate);
                if (due > now) {
                    uint64_t wait = (due - now + 999999) / 1000000;
                    timeout_ms = wait < 100 ? (int) wait : 100;
                    break;
                }
            }
            if (open_client(w)) {
                in_flight++;
            }
            opened++;
            opening = opened < w->quota;
        }
        if (!finished && !opening && (in_flight == 0 || now > w->stopped_ns + DRAIN_NS)) {
            w->failed += in_flight;  // never completed: counted, not waited for
            finished = 1;
            __atomic_sub_fetch(&unfinished_workers, 1, __ATOMIC_SEQ_CST);
        }
        if (finished && __atomic_load_n(&unfinished_workers, __ATOMIC_SEQ_CST) == 0) {
            return NULL;
        }
        int n = epoll_wait(w->epoll_fd, events, 256, timeout_ms);
        if (n < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            switch (roles[fd]) {
                case LISTENER:
                    accept_all(w);
                    break;
                case SERVER_READING:
                    server_ready(fd);
                    break;
                case CLIENT_CONNECTING:
                case CLIENT_WAITING:
                case CLIENT_ANSWERED:
                    if (!finished) {  // once finished, late clients were already counted as failed
                        client_ready(w, fd, events[i].events);
                    }
                    break;
                default:
                    break;
            }
        }
    }
}

static int listen_on(uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        die("listening socket");
    }
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *) &address, sizeof address) != 0 || listen(fd, 4096) != 0) {
        die("bind/listen");
    }
    return fd;
}

static void usage(const char *why) {
    fprintf(stderr, "storm: %s\nusage: storm [--rate R] [--seconds S | --count N] [--concurrency C] "
            "[--threads T] [--port P]\n", why);
    exit(2);
}

static long number(const char *option, const char *value, long min, long max) {
    char *end;
    errno = 0;
    long parsed = value == NULL ? -1 : strtol(value, &end, 10);
    if (value == NULL || errno != 0 || *end != '\0' || parsed < min || parsed > max) {
        fprintf(stderr, "storm: %s needs a number from %ld to %ld, got %s\n", option, min, max,
                value == NULL ? "nothing" : value);
        exit(2);
    }
    return parsed;
}

int main(int argc, char **argv) {
    long rate = 0, seconds = 0, count = 0, concurrency = 64, threads = 1, port = 0;
    for (int i = 1; i < argc; i += 2) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--rate") == 0) {
            rate = number(argv[i], value, 0, 10000000);
        } else if (strcmp(argv[i], "--seconds") == 0) {
            seconds = number(argv[i], value, 1, 86400);
        } else if (strcmp(argv[i], "--count") == 0) {
            count = number(argv[i], value, 1, 1000000000);
        } else if (strcmp(argv[i], "--concurrency") == 0) {
            concurrency = number(argv[i], value, 1, 100000);
        } else if (strcmp(argv[i], "--threads") == 0) {
            threads = number(argv[i], value, 1, 64);
        } else if (strcmp(argv[i], "--port") == 0) {
            port = number(argv[i], value, 0, 65535);
        } else {
            usage(argv[i]);
        }
    }
    if ((seconds == 0) == (count == 0)) {
        usage("give exactly one of --seconds and --count");
    }

    // every worker's clients and accepted sockets at once, plus listeners and epoll
    max_fds = (int) (2 * concurrency * threads + 4 * threads + 16);
    struct rlimit limit = {.rlim_cur = (rlim_t) max_fds, .rlim_max = (rlim_t) max_fds};
    struct rlimit current;
    if (getrlimit(RLIMIT_NOFILE, &current) == 0 && current.rlim_cur < limit.rlim_cur
            && setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        die("setrlimit(RLIMIT_NOFILE)");
    }
    roles = calloc((size_t) max_fds, 1);
    struct worker *workers = calloc((size_t) threads, sizeof *workers);
    if (roles == NULL || workers == NULL) {
        die("calloc");
    }

    // SO_REUSEPORT listeners on one port: each worker accepts its share of the connections
    for (long t = 0; t < threads; t++) {
        workers[t].listen_fd = listen_on((uint16_t) port);
        if (t == 0) {
            socklen_t length = sizeof server_address;
            if (getsockname(workers[0].listen_fd, (struct sockaddr *) &server_address, &length) != 0) {
                die("getsockname");
            }
            port = ntohs(server_address.sin_port);
        }
        workers[t].epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        if (workers[t].epoll_fd < 0) {
            die("epoll_create1");
        }
        roles[workers[t].listen_fd] = LISTENER;
        watch(&workers[t], workers[t].listen_fd, EPOLLIN);
    }
    printf("port=%ld\n", port);
    fflush(stdout);

    unfinished_workers = (int) threads;
    uint64_t start = now_ns();
    for (long t = 0; t < threads; t++) {
        struct worker *w = &workers[t];
        w->start_ns = start;
        w->rate = (double) rate / (double) threads;
        w->concurrency = (int) concurrency;
        w->quota = count == 0 ? UINT64_MAX : (uint64_t) (count / threads + (t < count % threads ? 1 : 0));
        w->deadline_ns = seconds == 0 ? 0 : start + (uint64_t) seconds * 1000000000ull;
        w->last_done_ns = start;
        if (pthread_create(&w->thread, NULL, run, w) != 0) {
            die("pthread_create");
        }
    }
    uint64_t made = 0, failed = 0, end = start;
    for (long t = 0; t < threads; t++) {
        pthread_join(workers[t].thread, NULL);
        made += workers[t].made;
        failed += workers[t].failed;
        if (workers[t].last_done_ns > end) {
            end = workers[t].last_done_ns;
        }
    }
    printf("made=%llu failed=%llu elapsed_ns=%llu port=%ld\n", (unsigned long long) made,
            (unsigned long long) failed, (unsigned long long) (end - start), port);
    return 0;
}
