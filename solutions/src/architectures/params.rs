//! Parameters whose sizes are chosen at run time, for dfdx 0.13's `TensorCollection`.
//!
//! dfdx 0.13 builds its modules from const generics (`Linear<768, 3072>`), but a course
//! model must take its vocabulary from the tokenizer it is trained with, at run time. Its
//! machinery (optimizers, `alloc_grads`, `save_safetensors`/`load_safetensors`,
//! `num_trainable_params`) walks a model through the [`TensorCollection`] trait, which has
//! two compile-time assumptions that this file works around, in the open:
//!
//! 1. A field's `TensorOptions` can only be made for a `ConstShape`. [`Dyn`] is a dimension
//!    whose size lives in the value; it claims to be a `ConstDim` so that `(Dyn, Dyn)` is
//!    accepted. The claim is only used by dfdx's `BuildModule` (which we never call: models
//!    are built by their `new`), never by the visitors above.
//! 2. `iter_tensors` is a static function: it lists the fields without seeing the model,
//!    so it cannot know how many blocks there are. [`Stack`] lists them lazily, with the
//!    count that the model's first field recorded when the visitor looked at it.
//!
//! PyTorch needs none of this: an `nn.Module` registers its parameters at run time.

use crate::Dev;
use dfdx::nn::tensor_collection::{ModuleFields, ModuleVisitor, TensorCollection, TensorOptions};
use dfdx::prelude::*;
use std::cell::Cell;

/// A dimension whose size is known only at run time, usable in parameter shapes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dyn(pub usize);

impl Dim for Dyn {
    fn size(&self) -> usize {
        self.0
    }
    fn from_size(size: usize) -> Option<Self> {
        Some(Dyn(size))
    }
}

// Subtle: this `SIZE` is a placeholder, not the size. dfdx reads `ConstDim::SIZE` only for
// compile-time reshapes and `BuildModule`, neither of which touches these parameters.
impl ConstDim for Dyn {
    const SIZE: usize = 0;
}

/// A learned vector (a bias, a norm's gain), stored like PyTorch's 1-D parameters.
pub type Vector = Tensor<(Dyn,), f32, Dev>;
/// A learned matrix (a projection, an embedding table), stored like PyTorch's 2-D ones.
pub type Matrix = Tensor<(Dyn, Dyn), f32, Dev>;

/// A (rows, cols) matrix drawn from N(0, std²) with the device's seeded RNG.
pub fn normal(dev: &Dev, rows: usize, cols: usize, std: f32) -> Matrix {
    dev.sample_normal_like(&(Dyn(rows), Dyn(cols))) * std
}

/// A vector of `n` copies of `value` (zeros for biases, ones for norm gains).
pub fn filled(dev: &Dev, n: usize, value: f32) -> Vector {
    dev.ones_like(&(Dyn(n),)) * value
}

/// The matrix as an ordinary (usize, usize) tensor on tape `T`, for the ops.
///
/// Subtle: a contiguous reshape keeps the tensor's id, so the gradients computed for the
/// view land on the parameter itself; no data is copied.
pub fn mat<T: Tape<f32, Dev>>(w: &Matrix) -> Tensor<(usize, usize), f32, Dev, T> {
    let (rows, cols) = *w.shape();
    w.retaped::<T>().reshape_like(&(rows.0, cols.0))
}

/// The vector as an ordinary (usize,) tensor on tape `T` (same id, no copy).
pub fn vector<T: Tape<f32, Dev>>(v: &Vector) -> Tensor<(usize,), f32, Dev, T> {
    let (n,) = *v.shape();
    v.retaped::<T>().reshape_like(&(n.0,))
}

/// What `reset_params` does to a parameter: nothing. A model is initialised once, by its
/// `new`, because GPT-2's initialisation depends on the depth (the residual projections'
/// 1/√(2·layers)), which a per-tensor reset function cannot see. Build a new model instead.
pub fn keep<S: ConstShape>() -> TensorOptions<S, f32, Dev> {
    TensorOptions::reset_with(|_| Ok(()))
}

/// The message for the visitors that build a model from nothing.
pub const BUILD_UNSUPPORTED: &str = "runtime-sized models are built with their `new(dev, \
     config)`, not with dfdx's build_module, to_device or to_dtype";

/// The fields `prefix.0`, `prefix.1`, … of a list of sub-modules whose length is only known
/// at run time, e.g. `transformer.h.0`, `transformer.h.1` for GPT-2's blocks.
///
/// `len` must have been set (by the model's first field) before this field is visited.
pub struct Stack<'c, Mod, Item> {
    pub prefix: &'static str,
    pub len: &'c Cell<usize>,
    pub get: fn(&Mod) -> &[Item],
    pub get_mut: fn(&mut Mod) -> &mut [Item],
}

impl<Mod, Item> ModuleFields<Mod, f32, Dev> for Stack<'_, Mod, Item>
where
    Mod: TensorCollection<f32, Dev>,
    Item: TensorCollection<f32, Dev>,
{
    type Options<E2: Dtype, D2: Device<E2>> = Vec<Option<Item::To<E2, D2>>>;
    type Output<E2: Dtype, D2: Device<E2>> = Vec<Item::To<E2, D2>>;

    fn visit_fields<V: ModuleVisitor<Mod, f32, Dev>>(
        self,
        visitor: &mut V,
    ) -> Result<Self::Options<V::E2, V::D2>, V::Err> {
        let (get, get_mut) = (self.get, self.get_mut);
        let names: Vec<String> =
            (0..self.len.get()).map(|i| format!("{}.{i}", self.prefix)).collect();
        let mut out = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            out.push(visitor.visit_module(
                name,
                move |m| &get(m)[i],
                move |m| &mut get_mut(m)[i],
            )?);
        }
        Ok(out)
    }

    fn handle_options<E2: Dtype, D2: Device<E2>>(
        options: Self::Options<E2, D2>,
    ) -> Option<Self::Output<E2, D2>> {
        options.into_iter().collect()
    }
}
