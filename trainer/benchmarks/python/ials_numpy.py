#!/usr/bin/env python3
"""numpy/OpenBLAS reference of the implicit-ALS epoch that EpochTimer times (issue 4: "no slower than numpy/OpenBLAS").

Same objective and solver as dev.mfrecs.factorization.ImplicitAls / ImplicitRowSolver with lambda 0.1 and linear
confidence c = 1 + 10 r (Hu, Koren, Volinsky): every row solves

    (YtY + sum_j (c_j - 1) y_j y_j^T + lambda I) x = sum_j c_j y_j

against the fixed side Y, users then items (one epoch = both half-sweeps, warm-started). Entries <= 0 are unobserved; a
row without observed entries becomes the zero vector.

  CG        conjugate gradient warm-started from the current row, A v computed implicitly as
            (YtY + lambda I) v + sum_j (c_j - 1)(y_j . v) y_j, STEPS steps after the initial residual b - A x (which is
            one more pass over the row's vectors); a row stops when r.r <= 1e-20 or p.Ap <= 0, as in Java.
  CHOLESKY  exact solve of the assembled d x d system of each row.

Written to be a strong reference, not a strawman: everything is float32 and batched over blocks of rows so the Python
interpreter runs a few dozen array operations per block, never per row. CG (default --layout padded): rows sorted by
length and cut into blocks of B rows zero-padded to the block's longest row L (B * L * d <= --block-floats; padding has
confidence 0, so it adds nothing); the block's fixed-side vectors are gathered once into a (B, L, d) array;
(YtY + lambda I) v is one GEMM for the whole block; the per-entry dots y_j . v and the scatter sum_j t_j y_j are einsums
over the gathered vectors ('bld,bd->bl', 'bl,bld->bd'); b - A x fuses b into that scatter, so it is one pass as in
Java. (--layout csr keeps rows in order, packs (nnz_block, d) vectors and scatters by scipy's CSR x dense product or
np.add.reduceat: measured 7.0 s against 5.2 s of CPU for the ml20m epoch at d = 128.) CHOLESKY:
the same padded blocks, A assembled with one batched GEMM (np.matmul of (B, d, L) x (B, L, d)) and solved by
np.linalg.solve (batched LAPACK gesv: LU, yet faster than np.linalg.cholesky, which alone costs more than the whole
gesv here at d = 128, and numpy has no batched triangular solve; --exact cholesky keeps that variant).

Input: the directory DumpData writes (indptr.i32, indices.i32, data.f32, header.json, optionally
users_init_dD.f32/items_init_dD.f32 = the seeded start Java uses, taken when present unless --init random).

    java -cp trainer/benchmarks/target/mfrecs-benchmarks.jar dev.mfrecs.benchmarks.DumpData ml20m /tmp/ml20m 128
    python3 trainer/benchmarks/python/ials_numpy.py /tmp/ml20m --factors 128 --solver CG --threads 1 --epochs 3

Prints, per timed epoch (after --warmup untimed epochs, like EpochTimer), wall time and process CPU time
(time.process_time: all threads of the process, plus the forked workers' CPU with --workers 2), then min/median
and the objective (the same expansion through the Gram matrix as ImplicitAls.loss, in float64).
"""

import argparse
import json
import os
import sys
import time


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", help="directory written by dev.mfrecs.benchmarks.DumpData")
    ap.add_argument("--factors", "-d", type=int, default=128)
    ap.add_argument("--solver", choices=["CG", "CHOLESKY"], default="CG")
    ap.add_argument("--threads", type=int, default=1, help="OpenBLAS threads (set before numpy is imported)")
    ap.add_argument("--workers", type=int, default=1,
                    help="forked processes solving row blocks concurrently (shared-memory factors); 1 = in process")
    ap.add_argument("--epochs", type=int, default=3, help="timed epochs")
    ap.add_argument("--warmup", type=int, default=1, help="untimed epochs first (EpochTimer does 1)")
    ap.add_argument("--steps", type=int, default=3, help="CG steps")
    ap.add_argument("--reg", type=float, default=0.1, help="lambda")
    ap.add_argument("--alpha", type=float, default=10.0, help="linear confidence c = 1 + alpha r")
    ap.add_argument("--layout", choices=["padded", "csr"], default="padded",
                    help="CG: blocks of rows sorted by length, zero-padded (default), or consecutive rows in CSR order")
    ap.add_argument("--block-floats", type=int, default=1 << 20,
                    help="CG: at most this many floats of (padded) vectors per block "
                         "(B * L * d, or nnz_block * d for csr)")
    ap.add_argument("--chol-floats", type=int, default=1 << 22,
                    help="CHOLESKY: at most this many floats of padded vectors per block (B * L * d)")
    ap.add_argument("--scatter", choices=["sparse", "reduceat"], default="sparse",
                    help="CG with --layout csr: scatter sum_j t_j y_j by scipy's CSR product (default, if scipy is "
                         "installed) or np.add.reduceat")
    ap.add_argument("--exact", choices=["solve", "cholesky"], default="solve",
                    help="CHOLESKY: np.linalg.solve (batched LAPACK gesv, the faster here) or "
                         "np.linalg.cholesky + solves")
    ap.add_argument("--init", choices=["java", "random"], default="java",
                    help="start from DumpData's users_init_dD/items_init_dD files when present, else seeded Gaussian")
    ap.add_argument("--loss", choices=["each", "last", "none"], default="last",
                    help="when to print the objective (untimed)")
    ap.add_argument("--check", type=int, default=0,
                    help="compare N rows of each half-sweep of the first epoch against a float64 dense solve")
    return ap.parse_args(argv)


ARGS = parse_args(sys.argv[1:])
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402  (after the thread count is set)

try:
    import scipy.sparse as sparse  # noqa: E402
except ImportError:  # pure numpy fallback
    sparse = None


class Side:
    """The rows being solved (CSR against the fixed side), with cached confidences and CG/Cholesky block layouts."""

    def __init__(self, indptr, indices, values, n_fixed, alpha):
        keep = values > 0
        if not keep.all():  # stored entries <= 0 are unobserved
            row = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))[keep]
            indices, values = indices[keep], values[keep]
            indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=len(indptr) - 1))])
        self.indptr = indptr.astype(np.int64)
        self.indices = indices.astype(np.intp)
        self.conf = (np.float32(1) + np.float32(alpha) * values).astype(np.float32)
        self.weight = (self.conf - np.float32(1)).astype(np.float32)
        self.rows = len(indptr) - 1
        self.n_fixed = n_fixed
        self.counts = np.diff(self.indptr)
        self.empty = self.counts == 0

    def transpose(self, alpha):
        """The fixed side's CSR (items x users), columns sorted."""
        row = np.repeat(np.arange(self.rows, dtype=np.int32), self.counts)
        order = np.argsort(self.indices, kind="stable")
        counts = np.bincount(self.indices, minlength=self.n_fixed)
        indptr = np.concatenate([[0], np.cumsum(counts)])
        t = Side.__new__(Side)
        t.indptr = indptr.astype(np.int64)
        t.indices = row[order].astype(np.intp)
        t.conf = self.conf[order]
        t.weight = self.weight[order]
        t.rows = self.n_fixed
        t.n_fixed = self.rows
        t.counts = counts
        t.empty = counts == 0
        return t

    def cg_blocks(self, d, floats):
        """Consecutive row ranges with about floats / d entries each (at least one row), for --layout csr."""
        target = max(1, floats // d)
        out = []
        r0 = 0
        while r0 < self.rows:
            r1 = int(np.searchsorted(self.indptr, self.indptr[r0] + target, side="right")) - 1
            r1 = min(self.rows, max(r1, r0 + 1))
            out.append((r0, r1))
            r0 = r1
        return out

    def padded_blocks(self, d, floats):
        """
        Rows with entries sorted by length and cut into blocks whose zero-padded (B, L, d) vectors stay under floats
        (a longer row gets a block of its own). Per block: the row numbers, the (B, L) fixed-side rows of the entries
        (padding points at row 0) and the (B, L) weights c - 1 and confidences c (0 in the padding, so padded slots add
        nothing). Built once, outside the timed epochs, like the CSR and its transpose on the Java side.
        """
        order = np.argsort(self.counts, kind="stable")
        order = order[self.counts[order] > 0]
        out = []
        i = 0
        n = len(order)
        while i < n:
            j = i + 1
            # greedy: the longest row of a sorted block is its last one
            while j < n and (j + 1 - i) * self.counts[order[j]] * d <= floats:
                j += 1
            rows = order[i:j]
            counts = self.counts[rows]
            offs = np.arange(int(counts.max()))
            valid = offs[None, :] < counts[:, None]
            pos = np.where(valid, self.indptr[rows][:, None] + offs[None, :], 0)
            idx = np.where(valid, self.indices[pos], 0)
            w = np.where(valid, self.weight[pos], np.float32(0)).astype(np.float32)
            c = np.where(valid, self.conf[pos], np.float32(0)).astype(np.float32)
            out.append((rows, idx, w, c))
            i = j
        return out


def gram(y):
    """YtY in float32 (numpy recognises Y.T @ Y and calls BLAS syrk)."""
    return y.T @ y


def cg(x, gl, conf, weight, steps, entry_dots, scatter):
    """
    CG on the (B, d) rows x in place, warm-started from x; entry_dots(v) gives y_j . v per entry, scatter(t) gives
    sum_j t_j y_j per row; conf and weight (c and c - 1) are laid out like entry_dots' result.
    """
    b = x.shape[0]
    # r = b - A x = sum_j (c_j - w_j (y_j . x)) y_j - (YtY + lambda I) x: one pass over the vectors, as in Java
    r = scatter(conf - weight * entry_dots(x))
    r -= x @ gl
    p = r.copy()
    rs = np.einsum("ij,ij->i", r, r)
    active = rs > 1e-20
    zero = np.zeros(b, np.float32)
    for _ in range(steps):
        if not active.any():
            break
        ap_ = p @ gl
        ap_ += scatter(weight * entry_dots(p))
        pap = np.einsum("ij,ij->i", p, ap_)
        active &= pap > 0
        a = np.divide(rs, pap, out=zero.copy(), where=active)
        x += a[:, None] * p
        r -= a[:, None] * ap_
        rs_new = np.einsum("ij,ij->i", r, r)
        beta = np.divide(rs_new, rs, out=zero.copy(), where=active)
        p *= beta[:, None]
        p += r
        rs = rs_new
        active &= rs > 1e-20


def cg_padded_block(fixed, gl, solved, block, steps):
    """CG over one padded block (rows of similar length): gathers the (B, L, d) vectors once; dots, scatter by einsum."""
    rows, idx, w, c = block
    ypad = np.take(fixed, idx, axis=0)  # (B, L, d)
    x = np.take(solved, rows, axis=0)
    cg(x, gl, c, w, steps, lambda v: np.einsum("bld,bd->bl", ypad, v), lambda t: np.einsum("bl,bld->bd", t, ypad))
    solved[rows] = x


def cg_csr_block(side, fixed, gl, solved, r0, r1, steps, scatter):
    """CG over rows [r0, r1): packed (nnz_block, d) vectors, dots against repeated rows, scatter by CSR product."""
    p0, p1 = side.indptr[r0], side.indptr[r1]
    counts = side.counts[r0:r1]
    yb = np.take(fixed, side.indices[p0:p1], axis=0)  # packed (nnz_block, d)
    b = r1 - r0
    if scatter == "sparse":
        local = (side.indptr[r0:r1 + 1] - p0).astype(np.int32)
        s = sparse.csr_matrix((np.empty(p1 - p0, np.float32), np.arange(p1 - p0, dtype=np.int32), local),
                              shape=(b, p1 - p0))

        def spmm(t):
            s.data = t
            return s @ yb
    else:
        nonempty = counts > 0
        starts_ne = (side.indptr[r0:r1] - p0)[nonempty]

        def spmm(t):
            out = np.zeros((b, yb.shape[1]), np.float32)
            if len(starts_ne):
                out[nonempty] = np.add.reduceat(t[:, None] * yb, starts_ne, axis=0)
            return out

    x = solved[r0:r1].copy()
    cg(x, gl, side.conf[p0:p1], side.weight[p0:p1], steps,
       lambda v: np.einsum("ij,ij->i", yb, np.repeat(v, counts, axis=0)), spmm)
    x[counts == 0] = 0
    solved[r0:r1] = x


def chol_block(fixed, gl, solved, block, exact):
    """Exact solves of one padded block: batched assembly by matmul, batched factor and solve."""
    rows, idx, w, c = block
    ypad = np.take(fixed, idx, axis=0)  # (B, L, d)
    a = np.matmul((ypad * w[:, :, None]).transpose(0, 2, 1), ypad)  # (B, d, d) = sum_j w_j y_j y_j^T
    a += gl
    rhs = np.matmul(c[:, None, :], ypad).transpose(0, 2, 1)  # (B, d, 1) = sum_j c_j y_j
    if exact == "solve":
        x = np.linalg.solve(a, rhs)[:, :, 0]
    else:
        low = np.linalg.cholesky(a)
        # L z = b, L^T x = z: numpy has no batched triangular solve, so the batched general solver runs on the factors
        x = np.linalg.solve(low.transpose(0, 2, 1), np.linalg.solve(low, rhs))[:, :, 0]
    solved[rows] = x


def block_tasks(side, fixed, gl, solved, args):
    """One callable per block of the half-sweep."""
    if args.solver == "CHOLESKY":
        return [lambda blk=blk: chol_block(fixed, gl, solved, blk, args.exact) for blk in side.layout]
    if args.layout == "padded":
        return [lambda blk=blk: cg_padded_block(fixed, gl, solved, blk, args.steps) for blk in side.layout]
    return [lambda r0=r0, r1=r1: cg_csr_block(side, fixed, gl, solved, r0, r1, args.steps, args.scatter)
            for r0, r1 in side.layout]


def half_sweep(side, fixed, solved, args, workers, which):
    """Re-solves every row of side in solved against fixed; in this process, or in the forked workers."""
    d = fixed.shape[1]
    gl = gram(fixed)
    gl[np.diag_indices(d)] += np.float32(args.reg)
    if workers is None:
        for t in block_tasks(side, fixed, gl, solved, args):
            t()
    else:
        workers.run(which, gl)
    solved[side.empty] = 0


def shared_array(shape):
    """A float32 array in anonymous shared memory, so forked workers write the factors the parent reads."""
    import mmap
    n = int(np.prod(shape))
    return np.frombuffer(mmap.mmap(-1, max(4, 4 * n)), dtype=np.float32, count=n).reshape(shape)


class Workers:
    """
    --workers N > 1: N forked processes solving blocks of a half-sweep, taken dynamically from a shared counter, on the
    factors in shared memory (Python threads would serialise on the GIL). CPU time is the parent's plus the workers'.
    """

    def __init__(self, n, halves, gl, args):
        import multiprocessing as mp
        self.counter = mp.Value("l", 0)
        self.gl = gl
        self.conns, self.pids = [], []
        for _ in range(n):
            parent, child = mp.Pipe()
            pid = os.fork()
            if pid == 0:  # worker
                parent.close()
                code = 0
                try:
                    while True:
                        which = child.recv()
                        if which is None:
                            break
                        side, fixed, solved = halves[which]
                        tasks = block_tasks(side, fixed, self.gl, solved, args)
                        while True:
                            with self.counter.get_lock():
                                k = self.counter.value
                                self.counter.value = k + 1
                            if k >= len(tasks):
                                break
                            tasks[k]()
                        child.send(True)
                except BaseException:
                    import traceback
                    traceback.print_exc()
                    code = 1
                os._exit(code)
            child.close()
            self.conns.append(parent)
            self.pids.append(pid)

    def run(self, which, gl):
        self.gl[:] = gl
        self.counter.value = 0
        for c in self.conns:
            c.send(which)
        for c in self.conns:
            c.recv()

    def cpu_seconds(self):
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.pids:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return total

    def close(self):
        for c in self.conns:
            c.send(None)
        for pid in self.pids:
            os.waitpid(pid, 0)


def loss(ui, x, y, reg):
    """
    ImplicitAls.loss (Rendle NONE) in float64:
    sum_u x_u YtY x_u + sum_obs (c (1 - s)^2 - s^2) + lambda (|X|^2 + |Y|^2).
    """
    y64 = y.astype(np.float64)
    g = y64.T @ y64
    total = 0.0
    step = 4096
    for u0 in range(0, ui.rows, step):
        u1 = min(ui.rows, u0 + step)
        xb = x[u0:u1].astype(np.float64)
        total += np.einsum("ij,ij->", xb @ g, xb)
        p0, p1 = ui.indptr[u0], ui.indptr[u1]
        xr = np.repeat(xb, ui.counts[u0:u1], axis=0)
        s = np.einsum("ij,ij->i", xr, y64[ui.indices[p0:p1]])
        c = ui.conf[p0:p1].astype(np.float64)
        total += np.sum(c * (1 - s) ** 2 - s * s)
    total += reg * (np.sum(x.astype(np.float64) ** 2) + np.sum(y64 ** 2))
    return total


def check_rows(side, fixed, solved_before, solved_after, args, n, rng):
    """
    Max relative error of n random rows against a float64 dense computation: the exact solve for CHOLESKY, for CG the
    same steps of CG from the same start in float64 on the assembled matrix.
    """
    d = fixed.shape[1]
    g = fixed.astype(np.float64).T @ fixed.astype(np.float64) + args.reg * np.eye(d)
    worst = 0.0
    for u in rng.choice(np.flatnonzero(~side.empty), size=n, replace=False):
        p0, p1 = side.indptr[u], side.indptr[u + 1]
        yu = fixed[side.indices[p0:p1]].astype(np.float64)
        w = side.weight[p0:p1].astype(np.float64)
        a = g + (yu * w[:, None]).T @ yu
        b = side.conf[p0:p1].astype(np.float64) @ yu
        if args.solver == "CHOLESKY":
            want = np.linalg.solve(a, b)
        else:
            x = solved_before[u].astype(np.float64)
            r = b - a @ x
            p = r.copy()
            rs = r @ r
            for _ in range(args.steps):
                if rs <= 1e-20:
                    break
                ap_ = a @ p
                pap = p @ ap_
                if not pap > 0:
                    break
                al = rs / pap
                x = x + al * p
                r = r - al * ap_
                rs_new = r @ r
                p = r + rs_new / rs * p
                rs = rs_new
            want = x
        err = np.linalg.norm(solved_after[u] - want) / max(np.linalg.norm(want), 1e-30)
        worst = max(worst, err)
    return worst


def main(args):
    with open(os.path.join(args.data, "header.json")) as f:
        header = json.load(f)
    rows, cols, nnz = header["rows"], header["cols"], header["nnz"]
    indptr = np.fromfile(os.path.join(args.data, "indptr.i32"), dtype="<i4")
    indices = np.fromfile(os.path.join(args.data, "indices.i32"), dtype="<i4")
    values = np.fromfile(os.path.join(args.data, "data.f32"), dtype="<f4")
    assert len(indptr) == rows + 1 and len(indices) == nnz and len(values) == nnz and indptr[-1] == nnz
    if args.scatter == "sparse" and sparse is None:
        args.scatter = "reduceat"
    d = args.factors
    ui = Side(indptr, indices, values, cols, args.alpha)
    iu = ui.transpose(args.alpha)
    t0 = time.process_time()
    for side in (ui, iu):
        if args.solver == "CG" and args.layout == "csr":
            side.layout = side.cg_blocks(d, args.block_floats)
        else:
            side.layout = side.padded_blocks(d, args.block_floats if args.solver == "CG" else args.chol_floats)
    setup = time.process_time() - t0
    uf = os.path.join(args.data, "users_init_d%d.f32" % d)
    itf = os.path.join(args.data, "items_init_d%d.f32" % d)
    if args.init == "java" and os.path.exists(uf) and os.path.exists(itf):
        x = np.fromfile(uf, dtype="<f4").reshape(rows, d).copy()
        y = np.fromfile(itf, dtype="<f4").reshape(cols, d).copy()
        init = "java (DumpData, seed 42)"
    else:
        rng = np.random.default_rng(42)
        x = (rng.standard_normal((rows, d)) * 0.01).astype(np.float32)
        y = (rng.standard_normal((cols, d)) * 0.01).astype(np.float32)
        x[ui.empty] = 0
        y[iu.empty] = 0
        init = "numpy Gaussian 0.01, seed 42"
    cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    if args.solver == "CHOLESKY":
        variant = "exact=%s" % args.exact
    else:
        scatter = " scatter=" + args.scatter if args.layout == "csr" else ""
        variant = "steps=%d layout=%s%s" % (args.steps, args.layout, scatter)
    print("%s: %d x %d, nnz %d, d=%d %s threads=%d workers=%d %s blocks=%d+%d (setup %.1f s cpu) init=%s; "
          "numpy %s, %s %s"
          % (header["shape"], rows, cols, nnz, d, args.solver, args.threads, args.workers, variant, len(ui.layout),
             len(iu.layout), setup, init, np.__version__, cfg.get("name"), cfg.get("version")), flush=True)
    workers = None
    if args.workers > 1:
        xs, ys = shared_array(x.shape), shared_array(y.shape)
        xs[:], ys[:] = x, y
        x, y = xs, ys
        workers = Workers(args.workers, [(ui, y, x), (iu, x, y)], shared_array((d, d)), args)

    def cpu_now():
        return time.process_time() + (workers.cpu_seconds() if workers else 0.0)

    rng = np.random.default_rng(7)
    walls, cpus = [], []
    for e in range(args.warmup + args.epochs):
        timed = e >= args.warmup
        if args.check and e == 0:
            x0 = x.copy()
        w0, c0 = time.perf_counter(), cpu_now()
        half_sweep(ui, y, x, args, workers, 0)
        if args.check and e == 0:
            err = check_rows(ui, y, x0, x, args, args.check, rng)
            print("check users: max rel. error vs float64 dense, %d rows: %.2e" % (args.check, err))
            y0 = y.copy()
            w0, c0 = time.perf_counter(), cpu_now()
        half_sweep(iu, x, y, args, workers, 1)
        wall, cpu = time.perf_counter() - w0, cpu_now() - c0
        if args.check and e == 0:
            err = check_rows(iu, x, y0, y, args, args.check, rng)
            print("check items: max rel. error vs float64 dense, %d rows: %.2e" % (args.check, err))
        if timed:
            walls.append(wall * 1e3)
            cpus.append(cpu * 1e3)
        extra = ""
        if args.loss == "each" or (args.loss == "last" and e == args.warmup + args.epochs - 1):
            extra = "  loss %.6e" % loss(ui, x, y, args.reg)
        print("epoch %d%s: wall %.0f ms, process cpu %.0f ms, load avg %.2f%s"
              % (e + 1, "" if timed else " (warm-up)", wall * 1e3, cpu * 1e3, os.getloadavg()[0], extra), flush=True)
    if walls:
        walls.sort()
        cpus.sort()
        print("%s d=%d %s threads=%d workers=%d nnz=%d: wall ms min %.0f median %.0f; "
              "process cpu ms min %.0f median %.0f"
              % (header["shape"], d, args.solver, args.threads, args.workers, nnz, walls[0], walls[len(walls) // 2],
                 cpus[0], cpus[len(cpus) // 2]))
    if workers:
        workers.close()


if __name__ == "__main__":
    main(ARGS)
