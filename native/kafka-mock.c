/*
 * kafka-mock: a real Kafka wire-protocol test broker, built on librdkafka's mock cluster.
 *
 *   cc native/kafka-mock.c -o native/build/kafka-mock -lrdkafka
 *   kafka-mock [--brokers N] [topic:partitions ...]
 *
 * Defaults: 1 broker, topics user-interactions:3 and price-logs:3. The first stdout line is the
 * bootstrap address (host:port[,host:port...]). Then one command per stdin line, each answered by
 * exactly one stdout line, "ok" or "error <reason>", so a harness can wait for a fault to be in place:
 *
 *   err <ApiKey> <count> <errcode>   next <count> requests of ApiKey fail with errcode (Fetch = 1)
 *   clear <ApiKey>                   drop pending errors for ApiKey
 *   down <brokerId> | up <brokerId>  take a broker off / back on line (ids start at 1)
 *   rtt <brokerId> <ms>              add round-trip latency to a broker
 *   leader <topic> <partition> <id>  move a partition's leader
 *   topic <name> <partitions>        create another topic
 *
 * Exits when stdin closes or on SIGTERM/SIGINT. Needs librdkafka-dev (apt-get install librdkafka-dev gcc).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t stopping = 0;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static int create_topic(rd_kafka_mock_cluster_t *mc, const char *name, int partitions) {
  rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, name, partitions, 1);
  if (err) fprintf(stderr, "kafka-mock: cannot create topic %s: %s\n", name, rd_kafka_err2str(err));
  return err ? -1 : 0;
}

/* "name:partitions" → creates the topic; partitions default to 3. */
static int create_topic_spec(rd_kafka_mock_cluster_t *mc, const char *spec) {
  char name[256];
  const char *colon = strrchr(spec, ':');
  size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
  int partitions = colon ? atoi(colon + 1) : 3;
  if (len == 0 || len >= sizeof name || partitions < 1) {
    fprintf(stderr, "kafka-mock: bad topic spec '%s' (expected name:partitions)\n", spec);
    return -1;
  }
  memcpy(name, spec, len);
  name[len] = '\0';
  return create_topic(mc, name, partitions);
}

static void reply(rd_kafka_resp_err_t err) {
  if (err) printf("error %s\n", rd_kafka_err2str(err));
  else printf("ok\n");
  fflush(stdout);
}

static void run_command(rd_kafka_mock_cluster_t *mc, char *line) {
  char verb[32], topic[256];
  int a = 0, b = 0, c = 0;
  if (sscanf(line, "%31s", verb) != 1) return; /* blank line: no reply */
  if (!strcmp(verb, "err") && sscanf(line, "%*s %d %d %d", &a, &b, &c) == 3 && b >= 0) {
    rd_kafka_resp_err_t *errs = calloc((size_t)b + 1, sizeof *errs);
    for (int i = 0; i < b; i++) errs[i] = (rd_kafka_resp_err_t)c;
    rd_kafka_mock_push_request_errors_array(mc, (int16_t)a, (size_t)b, errs);
    free(errs);
    reply(RD_KAFKA_RESP_ERR_NO_ERROR);
  } else if (!strcmp(verb, "clear") && sscanf(line, "%*s %d", &a) == 1) {
    rd_kafka_mock_clear_request_errors(mc, (int16_t)a);
    reply(RD_KAFKA_RESP_ERR_NO_ERROR);
  } else if (!strcmp(verb, "down") && sscanf(line, "%*s %d", &a) == 1) {
    reply(rd_kafka_mock_broker_set_down(mc, a));
  } else if (!strcmp(verb, "up") && sscanf(line, "%*s %d", &a) == 1) {
    reply(rd_kafka_mock_broker_set_up(mc, a));
  } else if (!strcmp(verb, "rtt") && sscanf(line, "%*s %d %d", &a, &b) == 2) {
    reply(rd_kafka_mock_broker_set_rtt(mc, a, b));
  } else if (!strcmp(verb, "leader") && sscanf(line, "%*s %255s %d %d", topic, &a, &b) == 3) {
    reply(rd_kafka_mock_partition_set_leader(mc, topic, a, b));
  } else if (!strcmp(verb, "topic") && sscanf(line, "%*s %255s %d", topic, &a) == 2) {
    reply(rd_kafka_mock_topic_create(mc, topic, a, 1));
  } else {
    printf("error unknown command: %s", line);
    if (!strchr(line, '\n')) printf("\n");
    fflush(stdout);
  }
}

int main(int argc, char **argv) {
  int brokers = 1, first_topic = 1;
  if (argc > 2 && !strcmp(argv[1], "--brokers")) {
    brokers = atoi(argv[2]);
    first_topic = 3;
  }
  if (brokers < 1) {
    fprintf(stderr, "kafka-mock: --brokers must be >= 1\n");
    return 2;
  }

  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr); /* errors only */
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "kafka-mock: rd_kafka_new failed: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) {
    fprintf(stderr, "kafka-mock: rd_kafka_mock_cluster_new failed\n");
    return 1;
  }

  int bad = 0;
  if (first_topic >= argc) {
    bad |= create_topic(mc, "user-interactions", 3);
    bad |= create_topic(mc, "price-logs", 3);
  }
  for (int i = first_topic; i < argc; i++) bad |= create_topic_spec(mc, argv[i]);
  if (bad) return 2;

  /* No SA_RESTART: a signal interrupts the blocking read below so we can shut down cleanly. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);

  char line[1024];
  while (!stopping && fgets(line, sizeof line, stdin)) run_command(mc, line);

  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
