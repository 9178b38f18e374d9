"""Reference values for §6.5 knowledge distillation, from PyTorch.

Writes data/reference/distillation.json: seeded student and teacher logits (N rows of V
classes, row-major), and for each temperature T the soft-target loss as Hinton et al. 2015
define it and as DistilBERT's distiller computes it,

    F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1), reduction="batchmean") * T * T

together with its gradient with respect to the student's logits (autograd, float32).

Cases: random logits at T = 1, 2, 4 and 10; and "wide": a teacher row spread over 400
logits, so that at T = 1 some of its probabilities underflow float32 to exactly 0 (kl_div
counts 0 * log 0 as 0; a loss that takes ln of the softmax would give NaN there).

Run from the repository root:  python3 scripts/reference/distillation.py   (needs torch)
"""
import json
import pathlib

import torch
import torch.nn.functional as F

torch.manual_seed(0)
N, V = 6, 11


def case(name, student, teacher, temperature):
    s = student.clone().requires_grad_(True)
    loss = F.kl_div(
        F.log_softmax(s / temperature, dim=-1),
        F.softmax(teacher / temperature, dim=-1),
        reduction="batchmean",
    ) * temperature * temperature
    loss.backward()
    return {
        "name": name,
        "N": student.shape[0],
        "V": student.shape[1],
        "temperature": temperature,
        "student": student.flatten().tolist(),
        "teacher": teacher.flatten().tolist(),
        "loss": loss.item(),
        "grad": s.grad.flatten().tolist(),
    }


student = torch.randn(N, V) * 2.0
teacher = torch.randn(N, V) * 3.0
cases = [case(f"random, T = {t:g}", student, teacher, float(t)) for t in (1, 2, 4, 10)]

wide_teacher = torch.randn(3, V) * 2.0
wide_teacher[1] = torch.linspace(-200.0, 200.0, V)  # e^-400 underflows float32 to 0
wide_student = torch.randn(3, V)
for t in (1.0, 4.0):
    cases.append(case(f"wide teacher row, T = {t:g}", wide_student, wide_teacher, t))

ref = {
    "provenance": f"scripts/reference/distillation.py, torch {torch.__version__}, seed 0",
    "tolerance": 1e-5,
    "cases": cases,
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/distillation.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}")
for c in cases:
    print(f"{c['name']}: loss {c['loss']:.6f}")
