//! Graded suite for §1.5: ALiBi's slopes and its causal linear bias.
//!
//! The slopes are recomputed here in f64 from the paper's rule (its `get_slopes`), the bias
//! by a loop over (head, query, key). Wrong slopes are matched against the two common
//! shortcuts (1/2, 1/4, … for every head count; 2^(−8/n) also when n is not a power of
//! two); a wrong bias is checked for the causal −∞, the sign, and the slope of each head.

use crate::compare::{all_close, check_shape, Tol};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::Dev;

type T3 = Tensor<(usize, usize, usize), f32, Dev>;

/// 2^(−8k/n) for k = 1..=n.
fn geometric(n: usize) -> Vec<f64> {
    (1..=n).map(|k| 2f64.powf(-8.0 * k as f64 / n as f64)).collect()
}

/// The paper's slopes for n heads.
fn reference_slopes(n: usize) -> Vec<f64> {
    if n.is_power_of_two() {
        return geometric(n);
    }
    let c = (1..).map(|e| 1usize << e).take_while(|&p| p < n).last().unwrap_or(1);
    let mut s = geometric(c);
    s.extend(geometric(2 * c).into_iter().step_by(2).take(n - c));
    s
}

fn matches(got: &[f32], want: &[f64]) -> bool {
    all_close(got, want, Tol { abs: 0.0, rel: 1e-6 })
}

/// Grades `alibi_slopes(heads)`.
pub fn check_alibi_slopes<F>(f: F) -> Check
where
    F: Fn(usize) -> Vec<f32>,
{
    for n in [8, 4, 16, 1, 6, 12, 3] {
        let got = f(n);
        let want = reference_slopes(n);
        if matches(&got, &want) {
            continue;
        }
        let fmt = |v: &[f64]| v.iter().map(|x| format!("{x:.6}")).collect::<Vec<_>>().join(", ");
        let halves: Vec<f64> = (1..=n).map(|k| 0.5f64.powi(k as i32)).collect();
        let mut sorted = want.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        let cause = if got.len() != n {
            format!("there should be one slope per head, {n}, not {}", got.len())
        } else if matches(&got, &halves) {
            format!(
                "1/2, 1/4, 1/8, … is right only for 8 heads. The slopes depend on the head \
                 count: they start at 2^(−8/n) = {:.6} and keep that ratio, ending at 2^(−8)",
                want[0]
            )
        } else if matches(&got, &geometric(n)) {
            let c = 1usize << n.ilog2();
            format!(
                "{n} is not a power of two, and the paper does not use 2^(−8/{n}) then. It \
                 takes the {c} slopes of {c} heads, then every other slope of {} heads (entries \
                 0, 2, 4, …), the first {} of them",
                2 * c,
                n - c
            )
        } else if matches(&got, &sorted) {
            "the right slopes in the wrong order: the paper lists the power-of-two slopes \
             first, then the ones taken from the next power of two (head h uses slope h)"
                .to_string()
        } else {
            "the slopes start at 2^(−8/n) and form a geometric sequence with that ratio".to_string()
        };
        let shown: Vec<f64> = got.iter().map(|&x| x as f64).collect();
        return Err(Failure::new(format!(
            "alibi_slopes({n}) is [{}], expected [{}]: {cause}.",
            fmt(&shown),
            fmt(&want)
        )));
    }
    Ok(())
}

/// Grades `alibi_bias(dev, heads, seq)`.
pub fn check_alibi_bias<F>(f: F) -> Check
where
    F: Fn(&Dev, usize, usize) -> T3,
{
    let dev = Dev::default();
    for (heads, seq) in [(2, 3), (4, 5), (6, 4)] {
        let label = format!("alibi_bias(dev, {heads}, {seq})");
        let got = f(&dev, heads, seq);
        let (a, b, c) = *got.shape();
        check_shape(&label, &[a, b, c], &[heads, seq, seq])?;
        let g = got.as_vec();
        let slopes = reference_slopes(heads);
        let tol = Tol { abs: 1e-6, rel: 1e-5 };
        for h in 0..heads {
            for i in 0..seq {
                for j in 0..seq {
                    let v = g[(h * seq + i) * seq + j];
                    let at = format!("{label}[{h}, {i}, {j}] (head {h}, query {i}, key {j})");
                    if j > i {
                        if v != f32::NEG_INFINITY {
                            let cause = if tol.allows(v as f64, -slopes[h] * (j - i) as f64) {
                                "you penalised future keys by distance, −m·|i − j|. ALiBi is \
                                 causal: a key after the query is forbidden, not penalised"
                            } else {
                                "a key after the query must be masked with −∞ (f32::NEG_INFINITY), \
                                 so that the softmax gives it weight exactly 0"
                            };
                            return Err(Failure::new(format!(
                                "{at} is {v}, expected −∞: {cause}."
                            )));
                        }
                        continue;
                    }
                    let want = -slopes[h] * (i - j) as f64;
                    if tol.allows(v as f64, want) {
                        continue;
                    }
                    let cause = if tol.allows(v as f64, -want) {
                        "the sign is flipped: the bias is a penalty, −m·(i − j), so that far keys \
                         lose score"
                            .to_string()
                    } else if i > j && v < 0.0 {
                        let m = -(v as f64) / (i - j) as f64;
                        format!(
                            "head {h}'s slope comes out as {m:.6}, but the paper gives {:.6}: \
                             check alibi_slopes({heads}) first",
                            slopes[h]
                        )
                    } else {
                        "the bias is −m_h·(i − j): zero on the diagonal, growing with distance"
                            .to_string()
                    };
                    return Err(Failure::new(format!(
                        "{at} is {v:.6}, expected {want:.6} (tolerance {tol}): {cause}."
                    )));
                }
            }
        }
    }
    Ok(())
}
