#!/usr/bin/env bash
# Runs the Java EpochTimer and the numpy reference (ials_numpy.py) on the same DumpData matrix, alternately, one point at a
# time, printing the load average before each run. Usage (from the repository root, after building the benchmarks jar):
#   trainer/benchmarks/python/compare.sh DATA_DIR "ml20m 128 CG" "ml20m 64 CG" ...
# Each point is "SHAPE FACTORS SOLVER [EPOCHS]" (default 3 timed epochs after one warm-up) and runs: Java 1 thread, numpy 1
# thread, Java 2 threads, numpy 2 forked workers. JAVA (default $JAVA_HOME/bin/java) and PYTHON (default python3) override
# the interpreters; NUMPY_ONLY=1 or JAVA_ONLY=1 restrict the runs.
set -euo pipefail
data=$1
shift
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
python=${PYTHON:-python3}
jar=trainer/benchmarks/target/mfrecs-benchmarks.jar
here=$(dirname "$0")
run() {
    echo "# load $(cut -d' ' -f1-3 /proc/loadavg): $*"
    "$@" 2>&1 | grep -E 'wall ms|loss' | grep -v '^ml[0-9a-z]*: [0-9]' || true
}
for point in "$@"; do
    read -r shape d solver epochs <<<"$point"
    epochs=${epochs:-3}
    dir=$data/$shape
    if [[ ! -f $dir/users_init_d$d.f32 ]]; then
        "$java" -Xmx8g -cp "$jar" dev.mfrecs.benchmarks.DumpData "$shape" "$dir" "$d" >/dev/null
    fi
    for threads in 1 2; do
        if [[ -z ${NUMPY_ONLY:-} ]]; then
            run "$java" -Xmx8g --add-modules=jdk.incubator.vector -cp "$jar" dev.mfrecs.benchmarks.EpochTimer \
                "$shape" "$d" "$solver" "$threads" "$epochs"
        fi
        if [[ -z ${JAVA_ONLY:-} ]]; then
            run "$python" "$here/ials_numpy.py" "$dir" --factors "$d" --solver "$solver" --workers "$threads" --epochs "$epochs"
        fi
    done
done
