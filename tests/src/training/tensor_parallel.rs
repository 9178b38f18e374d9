//! Graded suites for §4.3's column- and row-parallel linear layers, run on the simulated
//! cluster (`solutions::training::cluster`): each rank's values against the unsplit layer
//! computed here in f64, and the gradient of the rank's input against its closed form.

use crate::gradient::{grad_of, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::architectures::gpt::Conv1D;
use solutions::architectures::params::Dyn;
use solutions::training::cluster::{run, ClusterError, Comm, CommError};
use solutions::Dev;
use std::time::Duration;

/// Tokens × features.
type Rows<T> = Tensor<(usize, usize), f32, Dev, T>;

/// A seeded layer (in, out) and input (n, in), row-major, with a bias of order one.
struct Case {
    ranks: usize,
    n: usize,
    d_in: usize,
    d_out: usize,
    x: Vec<f32>,
    w: Vec<f32>,
    b: Vec<f32>,
    /// The weights of the scalar L = Σ y ⊙ R whose gradient is checked.
    r: Vec<f32>,
}

impl Case {
    fn new(ranks: usize, n: usize, d_in: usize, d_out: usize, seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut v =
            |len: usize| -> Vec<f32> { (0..len).map(|_| rng.gen_range(-1.0..1.0)).collect() };
        let (x, w, b, r) = (v(n * d_in), v(d_in * d_out), v(d_out), v(n * d_out));
        Self { ranks, n, d_in, d_out, x, w, b, r }
    }
    /// The worked examples of the task.
    fn worked(column: bool) -> Self {
        let mut c = if column { Self::new(2, 1, 2, 4, 0) } else { Self::new(2, 1, 4, 1, 0) };
        if column {
            (c.x, c.w, c.b) =
                (vec![1.0, 2.0], (1..=8).map(|v| v as f32).collect(), vec![0.5, 0.0, 0.0, -1.0]);
        } else {
            (c.x, c.w, c.b) = (vec![1.0, 2.0, 3.0, 4.0], vec![1.0, 2.0, 3.0, 4.0], vec![10.0]);
        }
        c
    }
    fn name(&self) -> String {
        format!(
            "{} ranks, x ({}, {}), W ({}, {})",
            self.ranks, self.n, self.d_in, self.d_in, self.d_out
        )
    }
    fn layer(&self, dev: &Dev) -> Conv1D {
        Conv1D {
            weight: dev.tensor_from_vec(self.w.clone(), (Dyn(self.d_in), Dyn(self.d_out))),
            bias: dev.tensor_from_vec(self.b.clone(), (Dyn(self.d_out),)),
        }
    }
    /// Σ_k x[i, k] W[k, j] over the input features `ks`, plus `bias` times b[j], for the
    /// output features `js`: (n, |js|) in f64.
    fn product(
        &self,
        ks: std::ops::Range<usize>,
        js: std::ops::Range<usize>,
        bias: f64,
    ) -> Vec<f64> {
        let mut out = vec![];
        for i in 0..self.n {
            for j in js.clone() {
                let dot: f64 = ks
                    .clone()
                    .map(|k| self.x[i * self.d_in + k] as f64 * self.w[k * self.d_out + j] as f64)
                    .sum();
                out.push(dot + bias * self.b[j] as f64);
            }
        }
        out
    }
}

/// Rank r's block of `len` features.
fn block(len: usize, ranks: usize, r: usize) -> std::ops::Range<usize> {
    r * len / ranks..(r + 1) * len / ranks
}

fn close(got: &[f32], want: &[f64]) -> bool {
    got.len() == want.len()
        && got.iter().zip(want).all(|(g, w)| (*g as f64 - w).abs() <= 1e-4 * w.abs().max(1.0))
}

/// The first index where `got` and `want` differ, for the message.
fn first_off(got: &[f32], want: &[f64]) -> String {
    if got.len() != want.len() {
        return format!("{} values where {} were expected", got.len(), want.len());
    }
    let i = (0..want.len()).find(|&i| !close(&got[i..=i], &want[i..=i])).unwrap_or(0);
    format!("{} at index {i}, expected {:.5} (to 1e-4 relative)", got[i], want[i])
}

/// Runs `worker` on the case's ranks with a short bound, turning a learner's panic back into
/// a panic (so that the grader tells `todo!()` from a crash) and a timeout into a message.
fn on_cluster<R: Send>(
    case: &Case,
    what: &str,
    worker: impl Fn(&mut Comm) -> Result<R, CommError> + Sync,
) -> Result<Vec<R>, Failure> {
    let out = run(case.ranks, Duration::from_secs(3), worker).map_err(|e| {
        if let ClusterError::Panicked { rank, message } = &e {
            panic!("on rank {rank} of {}: {message}", case.ranks);
        }
        Failure::new(format!(
            "{what} with {} did not finish: {e}. Every rank must take part in the all-reduce.",
            case.name()
        ))
    })?;
    Ok(out.into_iter().map(|(r, _)| r).collect())
}

/// The gradient of L = Σ y ⊙ R with respect to the rank's input, and y, from one call.
fn values_and_input_grad(y: Rows<Tr>, x: &Rows<NoneTape>, r: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let (values, shape) = (y.as_vec(), *y.shape());
    let rt = x.device().tensor_from_vec(r.to_vec(), shape);
    let mut grads = (y * rt).sum::<Rank0, _>().backward();
    (values, grad_of(&mut grads, x))
}

/// Grades `column_parallel(comm, x, layer)`: rank r's (n, out/N) block of x·W + b.
pub fn check_column_parallel<F>(f: F) -> Check
where
    F: Fn(&Comm, Rows<Tr>, &Conv1D) -> Rows<Tr> + Sync,
{
    let cases = [
        Case::worked(true),
        Case::new(1, 3, 5, 6, 1),
        Case::new(2, 4, 6, 8, 2),
        Case::new(4, 3, 5, 8, 3),
    ];
    for case in cases {
        let out = on_cluster(&case, "column_parallel", |c| {
            let dev = Dev::default();
            let x = dev.tensor_from_vec(case.x.clone(), (case.n, case.d_in));
            let r = block(case.d_out, case.ranks, c.rank());
            let weights: Vec<f32> =
                (0..case.n).flat_map(|i| case.r[i * case.d_out..][r.clone()].to_vec()).collect();
            let y = f(c, x.leaky_trace(), &case.layer(&dev));
            Ok(if y.shape().1 == r.len() {
                values_and_input_grad(y, &x, &weights)
            } else {
                (y.as_vec(), vec![])
            })
        })?;
        for (rank, (got, dx)) in out.iter().enumerate() {
            let cols = block(case.d_out, case.ranks, rank);
            let want = case.product(0..case.d_in, cols.clone(), 1.0);
            if close(got, &want) {
                // dL/dx[i, k] = Σ_{j in cols} R[i, j] W[k, j]: this rank's share only.
                let want_dx: Vec<f64> = (0..case.n * case.d_in)
                    .map(|ik| {
                        let (i, k) = (ik / case.d_in, ik % case.d_in);
                        cols.clone()
                            .map(|j| {
                                case.r[i * case.d_out + j] as f64
                                    * case.w[k * case.d_out + j] as f64
                            })
                            .sum()
                    })
                    .collect();
                if !close(dx, &want_dx) {
                    return Err(Failure::new(format!(
                        "column_parallel with {}, rank {rank}: the values are right but the gradient \
                         of x is {}: keep x's tape through the matmul (no as_vec / tensor_from_vec).",
                        case.name(),
                        first_off(dx, &want_dx)
                    )));
                }
                continue;
            }
            let cause = if case.ranks > 1 && got.len() == case.n * case.d_out {
                "you returned (n, out), a partial sum over this rank's rows of W: that is the row \
                 split. Split W on its second axis (the outputs): rank r keeps columns \
                 r·out/N .. (r+1)·out/N and the whole input"
                    .to_string()
            } else if case.ranks > 1
                && close(got, &case.product(0..case.d_in, block(case.d_out, case.ranks, 0), 1.0))
            {
                "every rank returned rank 0's block: use comm.rank() to pick this rank's columns"
                    .into()
            } else if close(got, &case.product(0..case.d_in, cols.clone(), 0.0)) {
                "the bias is missing: add b[cols] to this rank's columns".into()
            } else {
                format!("rank r must return columns {cols:?} of x·W + b")
            };
            return Err(Failure::new(format!(
                "column_parallel with {}, rank {rank}: {}: {cause}.",
                case.name(),
                first_off(got, &want)
            )));
        }
    }
    Ok(())
}

/// Grades `row_parallel(comm, x_r, layer)`: x·W + b on every rank from x's column block.
pub fn check_row_parallel<F>(f: F) -> Check
where
    F: Fn(&mut Comm, Rows<Tr>, &Conv1D) -> Result<Rows<Tr>, CommError> + Sync,
{
    let cases = [
        Case::worked(false),
        Case::new(1, 3, 6, 5, 4),
        Case::new(2, 3, 6, 5, 5),
        Case::new(4, 2, 8, 3, 6),
    ];
    for case in cases {
        let out = on_cluster(&case, "row_parallel", |c| {
            let dev = Dev::default();
            let rows = block(case.d_in, case.ranks, c.rank());
            let x_r: Vec<f32> =
                (0..case.n).flat_map(|i| case.x[i * case.d_in..][rows.clone()].to_vec()).collect();
            let x_r = dev.tensor_from_vec(x_r, (case.n, rows.len()));
            let y = f(c, x_r.leaky_trace(), &case.layer(&dev))?;
            Ok(if y.shape().1 == case.d_out {
                values_and_input_grad(y, &x_r, &case.r)
            } else {
                (y.as_vec(), vec![])
            })
        })?;
        let want = case.product(0..case.d_in, 0..case.d_out, 1.0);
        for (rank, (got, dx)) in out.iter().enumerate() {
            let rows = block(case.d_in, case.ranks, rank);
            if close(got, &want) {
                // dL/dx_r[i, k] = Σ_j R[i, j] W[rows.start + k, j]: g's backward is the identity.
                let want_dx: Vec<f64> = (0..case.n * rows.len())
                    .map(|ik| {
                        let (i, k) = (ik / rows.len(), rows.start + ik % rows.len());
                        (0..case.d_out)
                            .map(|j| {
                                case.r[i * case.d_out + j] as f64
                                    * case.w[k * case.d_out + j] as f64
                            })
                            .sum()
                    })
                    .collect();
                if !close(dx, &want_dx) {
                    return Err(Failure::new(format!(
                        "row_parallel with {}, rank {rank}: the values are right but the gradient of \
                         x_r is {}: the all-reduced numbers must stay on the tape (the gradient of \
                         the sum passes to this rank's partial product unchanged).",
                        case.name(),
                        first_off(dx, &want_dx)
                    )));
                }
                continue;
            }
            let cause = if case.ranks > 1
                && close(got, &case.product(rows.clone(), 0..case.d_out, 1.0))
            {
                "you returned this rank's partial product x_r·W[rows] + b, without the all-reduce: \
                 sum the ranks' partial products (operator g) before adding the bias"
                    .to_string()
            } else if case.ranks > 1
                && close(got, &case.product(0..case.d_in, 0..case.d_out, case.ranks as f64))
            {
                format!(
                    "the bias was counted {} times: it was added on every rank before the \
                     all-reduce summed them. Add it once, after the all-reduce",
                    case.ranks
                )
            } else if close(got, &case.product(0..case.d_in, 0..case.d_out, 0.0)) {
                "the bias is missing: add b after the all-reduce".into()
            } else {
                format!("rank r multiplies x_r by rows {rows:?} of W, and the ranks' products are summed")
            };
            return Err(Failure::new(format!(
                "row_parallel with {}, rank {rank}: {}: {cause}.",
                case.name(),
                first_off(got, &want)
            )));
        }
    }
    Ok(())
}
