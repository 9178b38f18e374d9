//! §3.5 A model's named parameters (具名参数): every tensor, its dotted name and its shape.
//!
//! PyTorch: `model.named_parameters()` (trainable tensors) and `model.state_dict()` (those
//! plus buffers such as BatchNorm's running statistics). dfdx 0.13 has no such list; it has
//! a visitor instead: a model implements `TensorCollection`, whose `iter_tensors` walks
//! every field, and a `TensorVisitor` decides what to do at each tensor. This file is the
//! smallest useful visitor, and the pattern that gradient clipping, AdamW's decay groups
//! and the checkpoint all follow: walk the model, look at each tensor with its full name.
//!
//! The names are the ones dfdx's `save_safetensors` writes: the field names joined by dots,
//! e.g. `0.weight` for the first module of a tuple, or `transformer.h.0.attn.c_attn.weight`
//! for the GPT of §3.2, which names its fields after Hugging Face's GPT-2.

use crate::Dev;
use dfdx::nn::tensor_collection::{
    RecursiveWalker, TensorCollection, TensorOptions, TensorViewer, TensorVisitor, ViewTensorMut,
    ViewTensorName, ViewTensorRef,
};
use dfdx::shapes::{HasShape, Shape};
use dfdx::tensor::{CpuError, Gradients, Tensor};

/// One tensor of a model: where it is, how big, whether the optimizer updates it, and a
/// copy of its values (and gradient), e.g. to compare with another framework's.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedParam {
    /// Dotted path, e.g. `2.weight`, or `transformer.h.0.attn.c_attn.weight` for a model
    /// that names its fields after Hugging Face's GPT-2.
    pub name: String,
    /// Concrete shape, e.g. `[7, 6]` for a `Linear<6, 7>` weight (out, in).
    pub shape: Vec<usize>,
    /// False for buffers such as running statistics (dfdx's `do_gradient_update`).
    pub trainable: bool,
    /// The values, row-major.
    pub value: Vec<f32>,
    /// d loss / d tensor, when the list was made by [`named_params_and_grads`].
    pub grad: Option<Vec<f32>>,
}

impl NamedParam {
    /// Number of scalars in the tensor.
    pub fn numel(&self) -> usize {
        self.shape.iter().product()
    }
}

/// The visitor: at each tensor, record it (and its gradient, if given), change nothing.
struct Lister<'g> {
    params: Vec<NamedParam>,
    grads: Option<&'g Gradients<f32, Dev>>,
}

impl TensorVisitor<f32, Dev> for Lister<'_> {
    // Each tensor is seen by reference together with its full dotted name.
    type Viewer = (ViewTensorRef, ViewTensorName);
    type Err = std::convert::Infallible;
    type E2 = f32;
    type D2 = Dev;

    fn visit<S: Shape>(
        &mut self,
        opts: TensorOptions<S, f32, Dev>,
        (t, name): <Self::Viewer as TensorViewer>::View<'_, Tensor<S, f32, Dev>>,
    ) -> Result<Option<Tensor<S, f32, Dev>>, Self::Err> {
        let shape = t.shape().concrete().into_iter().collect();
        let grad = self.grads.map(|g| g.get(t).as_vec());
        let trainable = opts.do_gradient_update;
        self.params.push(NamedParam { name, shape, trainable, value: t.as_vec(), grad });
        // `None`: this visitor builds no new model, it only looks.
        Ok(None)
    }
}

fn list<M: TensorCollection<f32, Dev>>(
    model: &M,
    grads: Option<&Gradients<f32, Dev>>,
) -> Vec<NamedParam> {
    let mut lister = Lister { params: Vec::new(), grads };
    let walk = M::iter_tensors(&mut RecursiveWalker { m: (model, String::new()), f: &mut lister });
    match walk {
        Ok(_) => lister.params,
        Err(never) => match never {},
    }
}

/// Every tensor of `model`, in the order `TensorCollection::iter_tensors` visits them
/// (the order of the fields in the model's `iter_tensors`, depth first).
///
/// Subtle: that order is fixed by the model's code, not by the tensors' names, so it is the
/// same in every run; AdamW keeps its state in this order and checks the names each step.
pub fn named_params<M: TensorCollection<f32, Dev>>(model: &M) -> Vec<NamedParam> {
    list(model, None)
}

/// [`named_params`] with each tensor's gradient from `grads` (dfdx's `Gradients::get`,
/// which panics for a tensor that has none: allocate them with `model.alloc_grads()`).
pub fn named_params_and_grads<M: TensorCollection<f32, Dev>>(
    model: &M,
    grads: &Gradients<f32, Dev>,
) -> Vec<NamedParam> {
    list(model, Some(grads))
}

/// The visitor behind [`for_each_grad`]: hands each trainable tensor's gradient to `f`.
struct GradWalk<'a, F> {
    grads: &'a mut Gradients<f32, Dev>,
    f: F,
}

impl<F: FnMut(&str, &mut [f32])> TensorVisitor<f32, Dev> for GradWalk<'_, F> {
    type Viewer = (ViewTensorRef, ViewTensorName);
    type Err = CpuError;
    type E2 = f32;
    type D2 = Dev;

    fn visit<S: Shape>(
        &mut self,
        opts: TensorOptions<S, f32, Dev>,
        (t, name): <Self::Viewer as TensorViewer>::View<'_, Tensor<S, f32, Dev>>,
    ) -> Result<Option<Tensor<S, f32, Dev>>, Self::Err> {
        if opts.do_gradient_update {
            // Subtle: a tensor the loss did not reach has no gradient yet; this allocates a
            // zero one, which is what "no gradient" means to a norm or to Adam. Gradients
            // made by dfdx's `model.alloc_grads()` already hold every parameter.
            let grad: &mut [f32] = self.grads.get_or_alloc_mut(t)?;
            (self.f)(&name, grad);
        }
        Ok(None)
    }
}

/// Calls `f(name, gradient)` for each trainable tensor of `model`, in visiting order, with
/// the gradient as a flat mutable slice (row-major, like the tensor).
pub fn for_each_grad<M: TensorCollection<f32, Dev>>(
    model: &M,
    grads: &mut Gradients<f32, Dev>,
    f: impl FnMut(&str, &mut [f32]),
) -> Result<(), CpuError> {
    let mut walk = GradWalk { grads, f };
    M::iter_tensors(&mut RecursiveWalker { m: (model, String::new()), f: &mut walk })?;
    Ok(())
}

/// The visitor behind [`for_each_param_and_grad`].
struct ParamWalk<'a, F> {
    grads: &'a mut Gradients<f32, Dev>,
    f: F,
    /// One buffer for every tensor's values, reused: a fresh 3 MB `Vec` per step would
    /// cost page faults on every update of a GPT-sized model.
    scratch: Vec<f32>,
}

impl<F: FnMut(&str, &mut [f32], &[f32])> TensorVisitor<f32, Dev> for ParamWalk<'_, F> {
    type Viewer = (ViewTensorMut, ViewTensorName);
    type Err = CpuError;
    type E2 = f32;
    type D2 = Dev;

    fn visit<S: Shape>(
        &mut self,
        opts: TensorOptions<S, f32, Dev>,
        (t, name): <Self::Viewer as TensorViewer>::View<'_, Tensor<S, f32, Dev>>,
    ) -> Result<Option<Tensor<S, f32, Dev>>, Self::Err> {
        if opts.do_gradient_update {
            let grad: &[f32] = self.grads.get_or_alloc_mut(&*t)?;
            // dfdx 0.13 lends no `&mut [f32]` of a tensor's data, so the values are copied
            // out and back (two memcpys). `copy_from` keeps the tensor's id, which the
            // gradients are keyed by; building a new tensor would orphan them. Subtle:
            // `copy_into` copies the *physical* buffer, which for a parameter (contiguous,
            // never broadcast) is its `numel` values; `as_vec` would walk logical indices.
            self.scratch.resize(grad.len(), 0.0);
            t.copy_into(&mut self.scratch);
            (self.f)(&name, &mut self.scratch, grad);
            t.copy_from(&self.scratch);
        }
        Ok(None)
    }
}

/// Calls `f(name, parameter, gradient)` for each trainable tensor of `model`, in visiting
/// order; what `f` writes into `parameter` is stored back into the model.
pub fn for_each_param_and_grad<M: TensorCollection<f32, Dev>>(
    model: &mut M,
    grads: &mut Gradients<f32, Dev>,
    f: impl FnMut(&str, &mut [f32], &[f32]),
) -> Result<(), CpuError> {
    let mut walk = ParamWalk { grads, f, scratch: Vec::new() };
    M::iter_tensors(&mut RecursiveWalker { m: (model, String::new()), f: &mut walk })?;
    Ok(())
}

#[cfg(test)]
mod tests;
