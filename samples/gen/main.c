/* msnpgen — turns MSNP scenario files into pcap/pcapng captures.
 * See samples/README.md for the scenario format. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "emit.h"
#include "msnftp.h"
#include "plan.h"
#include "population.h"
#include "scenario.h"
#include "util.h"

#define MSNPGEN_VERSION "1.0"

static void usage(FILE *f)
{
    fputs("usage: msnpgen [options] SCENARIO -o OUT\n"
          "       msnpgen --population USERS [options] -o OUT\n"
          "\n"
          "Options (override the scenario's settings):\n"
          "  -o, --output FILE        capture file to write (\"-\" = standard output)\n"
          "  --format FMT             pcap | pcapng | pcap-ns | pcapng-ns\n"
          "  --link TYPE              ethernet | vlan[:ID] | sll | sll2 | raw | null\n"
          "  --seed N                 PRNG seed (decimal or 0x hex)\n"
          "  --mss N                  maximum segment size (default 1460)\n"
          "  --split N|random|none    cut segments every N bytes or at random points\n"
          "  --coalesce, --no-coalesce  merge consecutive sends of one direction made within\n"
          "                             a round trip plus 200 ms\n"
          "  --reorder P              probability of swapping a segment with the next one\n"
          "  --retransmit P           probability of retransmitting a segment later\n"
          "  --loss P                 probability of leaving a data segment out\n"
          "  --acks, --no-acks        pure ACKs from the receiver (default on)\n"
          "  --truth FILE             write the ground truth\n"
          "  --files DIR              write the MSNFTP file contents into DIR\n"
          "  --stats                  print packet and byte counts to stderr\n"
          "\n"
          "Population mode (a large realistic capture, written as a stream):\n"
          "  --population USERS       USERS users, each with a DS and NS login, chats, ...\n"
          "  --arrival SECONDS        mean time between two logins (default 1)\n"
          "  --session SECONDS        mean session window; chats start in it (default 900)\n"
          "  --counts FILE            write the counts of the ground truth (JSON)\n"
          "  --dump-user N            print user N's scenario and exit\n"
          "  -h, --help               this text\n"
          "  --version                program version\n"
          "\n"
          "Exit status: 0 ok, 1 usage error, 2 scenario error, 3 I/O error.\n",
          f);
}

/* Print "msnpgen: WHAT[ 'ARG'][ (HINT)]" and return the usage status. */
static int bad_usage(const char *what, const char *arg, const char *hint)
{
    fprintf(stderr, "msnpgen: %s", what);
    if (arg)
        fprintf(stderr, " '%s'", arg);
    if (hint)
        fprintf(stderr, " (%s)", hint);
    fputs("\nTry 'msnpgen --help'.\n", stderr);
    return GEN_EXIT_USAGE;
}

static int write_files(const scenario_t *sc, uint64_t seed, const char *dir)
{
    if (!sc->nftps)
        return 0;
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        fprintf(stderr, "msnpgen: %s: %s\n", dir, strerror(errno));
        return GEN_EXIT_IO;
    }
    for (size_t i = 0; i < sc->nftps; i++) {
        const ftp_spec_t *f = &sc->ftps[i];
        size_t plen = strlen(dir) + strlen(f->file) + 2;
        char *path = xmalloc(plen);
        snprintf(path, plen, "%s/%s", dir, f->file);
        uint8_t *data = xmalloc(f->size ? (size_t)f->size : 1);
        msnftp_content(seed, f->file, data, (size_t)f->size);
        FILE *fp = fopen(path, "wb");
        int bad = !fp;
        if (fp) {
            bad = fwrite(data, 1, (size_t)f->size, fp) != f->size;
            bad |= fclose(fp) != 0;
        }
        if (bad)
            fprintf(stderr, "msnpgen: %s: %s\n", path, strerror(errno));
        free(data);
        free(path);
        if (bad)
            return GEN_EXIT_IO;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *scen = NULL, *out = NULL, *truth = NULL, *files = NULL;
    const char *o_format = NULL, *o_link = NULL, *o_seed = NULL, *o_mss = NULL;
    const char *o_split = NULL, *o_reorder = NULL, *o_retx = NULL, *o_loss = NULL;
    const char *o_pop = NULL, *o_arrival = NULL, *o_session = NULL, *counts = NULL;
    const char *o_dump = NULL;
    int o_coalesce = -1, o_acks = -1, stats = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !strcmp(a, "-")) {
            if (scen)
                return bad_usage("more than one scenario given:", a, NULL);
            scen = a;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--version")) {
            puts("msnpgen " MSNPGEN_VERSION);
            return 0;
        }
        if (!strcmp(a, "--coalesce")) {
            o_coalesce = 1;
            continue;
        }
        if (!strcmp(a, "--no-coalesce")) {
            o_coalesce = 0;
            continue;
        }
        if (!strcmp(a, "--acks")) {
            o_acks = 1;
            continue;
        }
        if (!strcmp(a, "--no-acks")) {
            o_acks = 0;
            continue;
        }
        if (!strcmp(a, "--stats")) {
            stats = 1;
            continue;
        }
        /* options with a value: "--opt VALUE" or "--opt=VALUE" */
        static const char *const valopts[] = {"-o", "--output", "--format", "--link",
                                              "--seed", "--mss", "--split", "--reorder",
                                              "--retransmit", "--loss", "--truth", "--files",
                                              "--population", "--arrival", "--session",
                                              "--counts", "--dump-user", NULL};
        const char *eq = strchr(a, '=');
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
        int which = -1;
        for (int k = 0; valopts[k]; k++)
            if (strlen(valopts[k]) == nl && !strncmp(a, valopts[k], nl))
                which = k;
        if (which < 0)
            return bad_usage("unknown option", a, NULL);
        const char *v;
        if (eq) {
            v = eq + 1;
        } else {
            if (i + 1 >= argc)
                return bad_usage("missing value for option", a, NULL);
            v = argv[++i];
        }
        const char **dst[] = {&out, &out, &o_format, &o_link, &o_seed, &o_mss, &o_split,
                              &o_reorder, &o_retx, &o_loss, &truth, &files,
                              &o_pop, &o_arrival, &o_session, &counts, &o_dump};
        *dst[which] = v;
    }
    if (o_pop && scen)
        return bad_usage("a scenario and --population cannot be combined:", scen, NULL);
    if (!o_pop && (o_arrival || o_session || counts || o_dump))
        return bad_usage("--arrival, --session, --counts and --dump-user need --population",
                         NULL, NULL);
    if (!scen && !o_pop)
        return bad_usage("no scenario file given", NULL, NULL);
    if (!out && !o_dump)
        return bad_usage("no output file given", NULL, "-o OUT");

    /* Validate the option values before reading the scenario. */
    settings_t ov;
    settings_default(&ov);
    uint64_t v;
    if (o_format && parse_format_name(o_format, &ov.format) < 0)
        return bad_usage("bad --format", o_format, "pcap, pcapng, pcap-ns, pcapng-ns");
    if (o_link && parse_link_name(o_link, &ov.link, &ov.vlan_id) < 0)
        return bad_usage("bad --link", o_link, "ethernet, vlan[:ID], sll, sll2, raw, null");
    if (o_seed && parse_u64(o_seed, &ov.seed) < 0)
        return bad_usage("bad --seed", o_seed, NULL);
    if (o_mss) {
        if (parse_u64(o_mss, &v) < 0 || v < 1 || v > 65000)
            return bad_usage("bad --mss", o_mss, "1..65000");
        ov.mss = (uint32_t)v;
    }
    if (o_split && parse_split_spec(o_split, &ov.split_mode, &ov.split_n) < 0)
        return bad_usage("bad --split", o_split, "N, random or none");
    if (o_reorder && parse_prob(o_reorder, &ov.reorder_ppm) < 0)
        return bad_usage("bad --reorder", o_reorder, "probability 0..1");
    if (o_retx && parse_prob(o_retx, &ov.retransmit_ppm) < 0)
        return bad_usage("bad --retransmit", o_retx, "probability 0..1");
    if (o_loss && parse_prob(o_loss, &ov.loss_ppm) < 0)
        return bad_usage("bad --loss", o_loss, "probability 0..1");

    if (o_pop) {
        pop_opts_t po;
        pop_opts_default(&po);
        if (parse_u64(o_pop, &po.users) < 0 || po.users < 1 || po.users > POP_MAX_USERS)
            return bad_usage("bad --population", o_pop, "1..1000000 users");
        if (o_arrival && (parse_seconds(o_arrival, &po.arrival_ns) < 0 || po.arrival_ns < 1000))
            return bad_usage("bad --arrival", o_arrival, "seconds, at least 0.000001");
        if (o_session &&
            (parse_seconds(o_session, &po.session_ns) < 0 || po.session_ns < 300 * NS_PER_SEC))
            return bad_usage("bad --session", o_session, "seconds, at least 300");
        if (o_dump) {
            uint64_t d;
            if (parse_u64(o_dump, &d) < 0 || d >= po.users)
                return bad_usage("bad --dump-user", o_dump, "0..USERS-1");
            po.dump_user = (int64_t)d;
        }
        if (files)
            return bad_usage("--files is not available with --population", NULL, NULL);
        po.fix_split = o_split != NULL;
        po.fix_coalesce = o_coalesce >= 0;
        po.fix_reorder = o_reorder != NULL;
        po.fix_retransmit = o_retx != NULL;
        po.fix_loss = o_loss != NULL;
        po.fix_acks = o_acks >= 0;
        po.fix_mss = o_mss != NULL;
        if (o_coalesce >= 0)
            ov.coalesce = o_coalesce;
        if (o_acks >= 0)
            ov.acks = o_acks;
        return population_run(&po, &ov, out, truth, counts, stats);
    }

    char err[1024];
    scenario_t sc;
    int rc = scenario_load(&sc, scen, err, sizeof err);
    if (rc) {
        fprintf(stderr, "msnpgen: %s\n", err);
        scenario_free(&sc);
        return rc;
    }
    /* Command-line options override the scenario's settings. */
    settings_t set = sc.set;
    if (o_format)
        set.format = ov.format;
    if (o_link) {
        set.link = ov.link;
        if (ov.link == LINK_VLAN && strchr(o_link, ':'))
            set.vlan_id = ov.vlan_id;
    }
    if (o_seed)
        set.seed = ov.seed;
    if (o_mss)
        set.mss = ov.mss;
    if (o_split) {
        set.split_mode = ov.split_mode;
        set.split_n = ov.split_n;
    }
    if (o_reorder)
        set.reorder_ppm = ov.reorder_ppm;
    if (o_retx)
        set.retransmit_ppm = ov.retransmit_ppm;
    if (o_loss)
        set.loss_ppm = ov.loss_ppm;
    if (o_coalesce >= 0)
        set.coalesce = o_coalesce;
    if (o_acks >= 0)
        set.acks = o_acks;

    plan_t pl;
    rc = plan_build(&pl, &sc, &set, err, sizeof err);
    if (rc) {
        fprintf(stderr, "msnpgen: %s\n", err);
        plan_free(&pl);
        scenario_free(&sc);
        return rc;
    }
    plan_sort(&pl);
    if (write_capture(&pl, out) < 0) {
        fprintf(stderr, "msnpgen: %s: %s\n", out, strerror(errno));
        rc = GEN_EXIT_IO;
    }
    if (!rc && truth && write_truth(&pl, truth) < 0) {
        fprintf(stderr, "msnpgen: %s: %s\n", truth, strerror(errno));
        rc = GEN_EXIT_IO;
    }
    if (!rc && files)
        rc = write_files(&sc, set.seed, files);
    if (!rc && stats) {
        size_t n = 0, lost = 0;
        uint64_t bytes = 0;
        for (size_t i = 0; i < pl.npkts; i++) {
            if (pl.pkts[i].lost) {
                lost++;
                continue;
            }
            n++;
            bytes += pl.pkts[i].len;
        }
        fprintf(stderr, "msnpgen: %zu packets (%zu lost), %llu payload bytes, %zu connections\n",
                n, lost, (unsigned long long)bytes, sc.nconns);
    }
    plan_free(&pl);
    scenario_free(&sc);
    return rc;
}
