#!/usr/bin/env python3
"""Training speed of issue 17 in one command: Java and numpy/OpenBLAS side by side, alternating, on the same data.

For each point (shape, d) it writes the seeded matrix once with DumpData, then runs, round after round and alternating:

  java   TrainTimer DIR d 2 ITERATIONS   a whole training run in a fresh JVM (default heap settings unless --java-opts),
                                         timed like model.json's seconds_per_iteration: the first (JIT) epoch, the warm
                                         epochs, the final exact user sweep; and its peak RSS
  numpy  ials_numpy.py DIR -d d --workers 2   the reference epoch (1 warm-up epoch, then --epochs timed ones)

  cli    mfrecs train --input DIR/interactions.csv   the user's whole path (trainer/app's jar with bin/mfrecs's JVM options):
                                         reading the text log, training, writing the model; its peak RSS (the kernel's
                                         maximum resident set of the process) against the bytes of the CSR and the factors

with --spark, the two Spark engines on local[2] on the same data (DumpData's interactions.csv, same lambda, alpha, d and
iterations): SparkSolverBenchmark with --engine spark (our row solver in the executors, CG) and --engine spark-mllib (MLlib
ALS), seconds per epoch as the model metadata counts them (the ALS fit over the iterations),

and, with --one-thread, EpochTimer (CPU time of one thread, warm epochs) against ials_numpy.py --workers 1 (process CPU),
which other tenants of the machine disturb much less. The load average (1 min) is printed next to every figure.

  mvn -B -ntp -q package -DskipTests -pl trainer/benchmarks -am
  python3 trainer/benchmarks/python/train_speed.py                      # the issue's points, 2 rounds
  python3 trainer/benchmarks/python/train_speed.py --rounds 3 --one-thread --points ml1m-pos:128 ml20m:128
  python3 trainer/benchmarks/python/train_speed.py --baseline /tmp/main-benchmarks.jar   # before/after in the same run
  mvn -B -ntp -q package -DskipTests -Pspark -pl trainer/spark -am                  # for --spark
  python3 trainer/benchmarks/python/train_speed.py --spark --points ml1m-pos:64 ml1m-pos:128 --rounds 1
  python3 trainer/benchmarks/python/train_speed.py --points ml20m:128 --baseline-trainer /tmp/main/trainer/app/target/mfrecs-trainer.jar

Run from the repository root (or pass --jar). JAVA (default $JAVA_HOME/bin/java, else java) and PYTHON (python3).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# bin/mfrecs's heap options (trainer/app/src/main/dist/bin/mfrecs, and ./recsys for the trainer): the cli run uses them
TRAINER_OPTS = "-XX:+UseSerialGC -Xmn16m"
DEFAULT_POINTS = ["ml1m-pos:128", "ml1m-pos:64", "ml20m:128"]
# iterations of the Java run and timed numpy epochs per shape (ml20m epochs take seconds)
ITERATIONS = {"ml1m-pos": 15, "ml1m": 15, "ml20m": 6}
NUMPY_EPOCHS = {"ml1m-pos": 5, "ml1m": 5, "ml20m": 3}


def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit("failed: " + " ".join(cmd))
    return p.stdout


def java_train(args, data, d, threads, iterations, jar=None):
    before = load()
    out = run([args.java, *args.java_opts.split(), "--add-modules=jdk.incubator.vector", "-cp", jar or args.jar,
               "dev.mfrecs.benchmarks.TrainTimer", data, str(d), str(threads), str(iterations)])
    it = [float(x) for x in re.search(r"iteration ms: ([\d ]+)", out).group(1).split()]
    spi = float(re.search(r"seconds_per_iteration ([\d.]+)", out).group(1))
    final = float(re.search(r"final exact user sweep (\d+) ms", out).group(1))
    rss = float(re.search(r"peak rss ([\d.]+) MB", out).group(1))
    ratio = re.search(r"peak / \(csr \+ factors\) = ([\d.]+), peak / \(csr \+ transpose \+ factors\) = ([\d.]+)", out)
    loss = re.search(r"loss ([\d.e+-]+)", out).group(1)
    return {"first": it[0], "warm": it[1:], "spi": spi, "final": final, "rss": rss, "ratio1": float(ratio.group(1)),
            "ratio2": float(ratio.group(2)), "loss": loss, "load": before}


def cli_train(args, data, d, threads, iterations, jar, opts):
    """mfrecs train --input on the text log, as a user runs it; peak RSS from the kernel (wait4's ru_maxrss, i.e. VmHWM)."""
    before = load()
    out_dir = tempfile.mkdtemp(prefix="mfrecs-cli-")
    try:
        cmd = [args.java, *opts.split(), "--add-modules=jdk.incubator.vector", "-jar", jar, "train", "--input",
               os.path.join(data, "interactions.csv"), "--output", out_dir, "--factors", str(d), "--iterations", str(iterations),
               "--threads", str(threads), "--seed", "42"]
        log = os.path.join(out_dir, "log.txt")
        with open(log, "w") as f:
            p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT)
            _, status, rusage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
        with open(log) as f:
            out = f.read()
        if p.returncode != 0 or not os.path.exists(os.path.join(out_dir, "model.json")):
            sys.stderr.write(out)
            raise SystemExit("failed: " + " ".join(cmd))
        with open(os.path.join(out_dir, "model.json")) as f:
            model = json.load(f)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    it = [float(x) * 1e3 for x in re.findall(r"iteration \d+/\d+ \(([\d.]+)s\)", out)]
    read = re.search(r"elapsed_s=([\d.]+) msg=\"read \d+ rows", out)
    with open(os.path.join(data, "header.json")) as f:
        h = json.load(f)
    csr = 4 * (h["rows"] + 1) + 8 * h["nnz"]
    factors = 4 * d * (h["rows"] + h["cols"])
    rss = rusage.ru_maxrss * 1024 / 1e6
    spi = model.get("seconds_per_iteration") or model.get("training", {}).get("seconds_per_iteration")
    return {"first": it[0], "warm": it[1:], "read": float(read.group(1)) if read else float("nan"), "rss": rss,
            "ratio1": rss * 1e6 / (csr + factors), "spi": spi, "load": before}


def numpy_epochs(args, data, d, workers, epochs):
    before = load()
    out = run([args.python, os.path.join(HERE, "ials_numpy.py"), data, "--factors", str(d), "--workers", str(workers),
               "--epochs", str(epochs)])
    walls, cpus, first = [], [], None
    for m in re.finditer(r"epoch \d+( \(warm-up\))?: wall (\d+) ms, process cpu (\d+) ms", out):
        if m.group(1):
            first = float(m.group(2))
        else:
            walls.append(float(m.group(2)))
            cpus.append(float(m.group(3)))
    loss = re.search(r"loss ([\d.e+-]+)", out)
    return {"first": first, "warm": walls, "cpu": cpus, "loss": loss.group(1) if loss else "?", "load": before}


# what Spark needs on JDK 17+ (the same list as ./recsys's SPARK_JVM_FLAGS)
SPARK_JVM_FLAGS = ("--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED "
                   "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED "
                   "--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
                   "--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED "
                   "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED "
                   "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED "
                   "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false "
                   "-Dio.netty.tryReflectionSetAccessible=true --enable-native-access=ALL-UNNAMED")


def spark_epochs(args, data, d, iterations):
    """Seconds per epoch of --engine spark (CG) and --engine spark-mllib on local[2], the same data and parameters as TrainTimer's."""
    before = load()
    out = run([args.java, "-Xmx8g", "--add-modules=jdk.incubator.vector", *SPARK_JVM_FLAGS.split(), "-cp",
               os.path.join(args.spark_dir, "mfrecs-spark.jar") + ":" + os.path.join(args.spark_dir, "lib", "*"),
               "dev.mfrecs.spark.SparkSolverBenchmark", "--master", "local[2]", "--input", os.path.join(data, "interactions.csv"),
               "--factors", str(d), "--iterations", str(iterations), "--alpha", "10", "--regularization", "0.1"])
    got = {}
    for m in re.finditer(r"^\| \d+ \| (spark|spark-mllib) \| (cg|cholesky|mllib) \| [\d.]+ \| ([\d.]+) \| [\d.]+ \| ([\d.e+-]+) \|$", out,
                         re.M):
        got[(m.group(1), m.group(2))] = (float(m.group(3)) * 1000, m.group(4))
    return {"ours": got[("spark", "cg")], "mllib": got[("spark-mllib", "mllib")], "load": before}


def java_cpu(args, shape, d, epochs, jar=None):
    before = load()
    out = run([args.java, *args.java_opts.split(), "--add-modules=jdk.incubator.vector", "-cp", jar or args.jar,
               "dev.mfrecs.benchmarks.EpochTimer", shape, str(d), "CG", "1", str(epochs)])
    m = re.search(r"main-thread cpu ms min (\d+) median (\d+)", out)
    return {"min": float(m.group(1)), "median": float(m.group(2)), "load": before}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/tmp/mfnp", help="directory for the DumpData matrices (one subdirectory per shape)")
    ap.add_argument("--jar", default="trainer/benchmarks/target/mfrecs-benchmarks.jar")
    ap.add_argument("--points", nargs="+", default=DEFAULT_POINTS, help="SHAPE:D, e.g. ml1m-pos:128 ml20m:128")
    ap.add_argument("--rounds", type=int, default=2, help="alternating Java/numpy rounds per point")
    ap.add_argument("--one-thread", action="store_true", help="also EpochTimer (1 thread, CPU) against numpy --workers 1")
    ap.add_argument("--baseline", help="another build of the benchmarks jar (e.g. of main) to run alternately with --jar, "
                                       "for before/after columns in the same run")
    ap.add_argument("--trainer", default="trainer/app/target/mfrecs-trainer.jar",
                    help="trainer/app's jar (with its lib/ beside it) for the cli run, mfrecs train --input; 'none' skips it")
    ap.add_argument("--baseline-trainer", help="another build of the trainer jar (e.g. of main), run alternately with --trainer")
    ap.add_argument("--baseline-trainer-opts", default="", help="JVM options of the baseline trainer (its launcher's; none on main)")
    ap.add_argument("--cli-iterations", type=int, default=6, help="iterations of the cli runs")
    ap.add_argument("--spark", action="store_true", help="also both Spark engines on local[2] (needs trainer/spark built, -Pspark)")
    ap.add_argument("--spark-shapes", nargs="+", default=["ml1m-pos"], help="shapes the Spark engines run on (MLlib takes minutes "
                    "per epoch on ml20m at d=128)")
    ap.add_argument("--spark-iterations", type=int, default=5, help="iterations of each Spark run")
    ap.add_argument("--spark-dir", default="trainer/spark/target", help="where mfrecs-spark.jar and lib/ are")
    ap.add_argument("--java-opts", default="", help="extra JVM options for the Java runs, e.g. '-Xmx400m' (space-separated)")
    args = ap.parse_args()
    java_home = os.environ.get("JAVA_HOME")
    args.java = os.environ.get("JAVA", os.path.join(java_home, "bin", "java") if java_home else "java")
    args.python = os.environ.get("PYTHON", sys.executable)
    if not os.path.exists(args.jar):
        raise SystemExit("no %s: build it with mvn -B -ntp -q package -DskipTests -pl trainer/benchmarks -am" % args.jar)
    rows = []
    for point in args.points:
        shape, d = point.split(":")
        d = int(d)
        data = os.path.join(args.data, shape)
        if not os.path.exists(os.path.join(data, "users_init_d%d.f32" % d)) or not os.path.exists(
                os.path.join(data, "interactions.csv")):
            run([args.java, "-Xmx8g", "-cp", args.jar, "dev.mfrecs.benchmarks.DumpData", shape, data, str(d)])
        for r in range(args.rounds):
            row = {"shape": shape, "d": d, "round": r + 1}
            # the baseline first in odd rounds, second in even ones
            if args.baseline and r % 2 == 0:
                row["base"] = java_train(args, data, d, 2, ITERATIONS.get(shape, 15), args.baseline)
            row["java"] = java_train(args, data, d, 2, ITERATIONS.get(shape, 15))
            if args.baseline and r % 2 == 1:
                row["base"] = java_train(args, data, d, 2, ITERATIONS.get(shape, 15), args.baseline)
            row["numpy"] = numpy_epochs(args, data, d, 2, NUMPY_EPOCHS.get(shape, 3))
            if args.trainer != "none":
                if args.baseline_trainer and r % 2 == 0:
                    row["clibase"] = cli_train(args, data, d, 2, args.cli_iterations, args.baseline_trainer, args.baseline_trainer_opts)
                row["cli"] = cli_train(args, data, d, 2, args.cli_iterations, args.trainer, TRAINER_OPTS + " " + args.java_opts)
                if args.baseline_trainer and r % 2 == 1:
                    row["clibase"] = cli_train(args, data, d, 2, args.cli_iterations, args.baseline_trainer, args.baseline_trainer_opts)
            if args.spark and shape in args.spark_shapes:
                row["spark"] = spark_epochs(args, data, d, args.spark_iterations)
            if args.one_thread:
                if args.baseline:
                    row["base1"] = java_cpu(args, shape, d, 5, args.baseline)
                row["java1"] = java_cpu(args, shape, d, 5)
                row["numpy1"] = numpy_epochs(args, data, d, 1, NUMPY_EPOCHS.get(shape, 3))
            rows.append(row)
            print_row(row, args.one_thread, flush=True)
    print()
    print_summary(rows, args.one_thread)


def fmt_ms(x):
    return "%.0f" % x


def print_row(row, one, flush=False):
    j, n = row["java"], row["numpy"]
    jw, nw = statistics.median(j["warm"]), statistics.median(n["warm"])
    line = ("%s d=%d round %d: java [load %.1f] first %s ms, warm median %s min %s ms, final sweep %s ms, seconds_per_iteration "
            "%.3f, peak rss %.0f MB (%.2fx csr+factors, %.2fx with transpose), loss %s | numpy 2 workers [load %.1f] first %s ms, "
            "warm median %s min %s ms, loss %s | java/numpy warm %.3f"
            % (row["shape"], row["d"], row["round"], j["load"], fmt_ms(j["first"]), fmt_ms(jw), fmt_ms(min(j["warm"])),
               fmt_ms(j["final"]), j["spi"], j["rss"], j["ratio1"], j["ratio2"], j["loss"], n["load"], fmt_ms(n["first"]),
               fmt_ms(nw), fmt_ms(min(n["warm"])), n["loss"], jw / nw))
    if "base" in row:
        b = row["base"]
        line += (" | baseline java [load %.1f] first %s ms, warm median %s ms, final sweep %s ms, seconds_per_iteration %.3f, "
                 "peak rss %.0f MB, loss %s" % (b["load"], fmt_ms(b["first"]), fmt_ms(statistics.median(b["warm"])),
                                               fmt_ms(b["final"]), b["spi"], b["rss"], b["loss"]))
    for key, name in (("cli", "train --input"), ("clibase", "baseline train --input")):
        if key in row:
            c = row[key]
            line += (" | %s [load %.1f] read %.1f s, first %s ms, warm median %s min %s ms, seconds_per_iteration %s, peak rss %.0f MB "
                     "(%.2fx csr+factors)" % (name, c["load"], c["read"], fmt_ms(c["first"]), fmt_ms(statistics.median(c["warm"])),
                                              fmt_ms(min(c["warm"])), c["spi"], c["rss"], c["ratio1"]))
    if "spark" in row:
        sp = row["spark"]
        line += (" | spark local[2] [load %.1f] ours cg %s ms/epoch (loss %s), mllib %s ms/epoch (loss %s), mllib/ours %.1f"
                 % (sp["load"], fmt_ms(sp["ours"][0]), sp["ours"][1], fmt_ms(sp["mllib"][0]), sp["mllib"][1],
                    sp["mllib"][0] / sp["ours"][0]))
    if one:
        j1, n1 = row["java1"], row["numpy1"]
        line += (" | 1 thread cpu: java [load %.1f] min %s median %s ms, numpy [load %.1f] min %s median %s ms, java/numpy %.3f"
                 % (j1["load"], fmt_ms(j1["min"]), fmt_ms(j1["median"]), n1["load"], fmt_ms(min(n1["cpu"])),
                    fmt_ms(statistics.median(n1["cpu"])), j1["median"] / statistics.median(n1["cpu"])))
        if "base1" in row:
            line += " | baseline 1 thread cpu [load %.1f] min %s median %s ms" % (row["base1"]["load"], fmt_ms(row["base1"]["min"]),
                                                                                 fmt_ms(row["base1"]["median"]))
    print(line, flush=flush)


def print_summary(rows, one):
    base = any("base" in row for row in rows)
    head = ["point", "round", "load", "Java first epoch", "Java warm epoch (median)", "Java final exact sweep",
            "Java seconds_per_iteration", "numpy warm epoch (median)", "Java / numpy (warm)", "Java peak RSS"]
    if base:
        head += ["baseline first epoch", "baseline warm epoch (median)", "baseline final exact sweep", "baseline seconds_per_iteration",
                 "baseline peak RSS"]
    if one:
        head += ["Java 1-thread CPU (median)", "numpy 1-worker CPU (median)", "Java / numpy (CPU)"]
        if base:
            head += ["baseline 1-thread CPU (median)"]
    spark = any("spark" in row for row in rows)
    if spark:
        head += ["Spark ours local[2] (epoch)", "Spark MLlib local[2] (epoch)", "MLlib / ours"]
    cli = any("cli" in row for row in rows)
    clibase = any("clibase" in row for row in rows)
    if cli:
        head += ["train --input: read", "warm epoch (median)", "peak RSS (x CSR + factors)"]
    if clibase:
        head += ["baseline train --input: read", "warm epoch (median)", "peak RSS (x CSR + factors)"]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for row in rows:
        j, n = row["java"], row["numpy"]
        jw, nw = statistics.median(j["warm"]), statistics.median(n["warm"])
        loads = [j["load"], n["load"]] + ([row["base"]["load"]] if "base" in row else [])
        cells = ["%s d=%d" % (row["shape"], row["d"]), str(row["round"]), " / ".join("%.1f" % x for x in loads),
                 "%s ms" % fmt_ms(j["first"]), "%s ms" % fmt_ms(jw), "%s ms" % fmt_ms(j["final"]), "%.3f s" % j["spi"],
                 "%s ms" % fmt_ms(nw), "%.3f" % (jw / nw), "%.0f MB (%.2fx)" % (j["rss"], j["ratio2"])]
        if base:
            b = row["base"]
            cells += ["%s ms" % fmt_ms(b["first"]), "%s ms" % fmt_ms(statistics.median(b["warm"])), "%s ms" % fmt_ms(b["final"]),
                      "%.3f s" % b["spi"], "%.0f MB (%.2fx)" % (b["rss"], b["ratio2"])]
        if one:
            j1, n1 = row["java1"], row["numpy1"]
            n1m = statistics.median(n1["cpu"])
            cells += ["%s ms" % fmt_ms(j1["median"]), "%s ms" % fmt_ms(n1m), "%.3f" % (j1["median"] / n1m)]
            if base:
                cells += ["%s ms" % fmt_ms(row["base1"]["median"])]
        if spark:
            sp = row.get("spark")
            cells += ["?"] * 3 if sp is None else ["%s ms" % fmt_ms(sp["ours"][0]), "%s ms" % fmt_ms(sp["mllib"][0]),
                                                   "%.1f" % (sp["mllib"][0] / sp["ours"][0])]
        for key, wanted in (("cli", cli), ("clibase", clibase)):
            if wanted:
                c = row.get(key)
                cells += ["?"] * 3 if c is None else ["%.1f s" % c["read"], "%s ms" % fmt_ms(statistics.median(c["warm"])),
                                                      "%.0f MB (%.2fx)" % (c["rss"], c["ratio1"])]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
