"""File names in HF-style titles ("Upload tokenizer.json", "Update config.json"): the label a
file operation implies, and the words of a file name for the keyword rules."""

from __future__ import annotations

import re

from core.labeling.rules import terms
from core.labeling.rules.terms import rx

FILE_OP = rx(
    r"^(?P<verb>upload|update|updated|create|created|add|added|adding|delete|deleted|remove|"
    r"removed|rename|renamed|fix|fixed|modify|modified|change|changed|edit|replace)\s+"
    r"(?:the\s+|a\s+|new\s+)?(?P<file>[^\s`'\"]+\.[a-z0-9]{1,12})\b"
)
FILENAME = re.compile(r"[\w./\-]*\.(?:[a-z][a-z0-9]{0,11})\b", re.IGNORECASE)

_SEPARATORS = re.compile(r"[._\-]+")

CODE = "CODE"  # a source file whose name says nothing more: the title's words decide
WEIGHTS = re.compile(r"\.(bin|h5|pt|pth|ckpt|msgpack)$")

# (label, pattern over the lower-cased file name); first match wins.
FILE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, rx(p))
    for label, p in (
        (
            "DEPENDENCY",
            r"(^|/)(requirements[\w-]*\.txt|environment\.ya?ml|pyproject\.toml|"
            r"setup\.(py|cfg)|pipfile|poetry\.lock)$",
        ),
        (terms.ID, r"(^|/)merges\.txt$"),
        (
            terms.PRE,
            r"token|vocab|spiece|sentencepiece|\.bpe\.|bpe\.model|chat_template|"
            r"preprocessor_config|feature_extractor|processor_config|normaliz|preprocess",
        ),
        (terms.PM, r"(^|/)(security|code_of_conduct)\.md$"),
        (terms.ED, r"(^|/)readme|\.md$|\.rst$|model_?card|\.(png|jpe?g|gif|svg|webp|html?)$"),
        (terms.PM, r"(^|/)(license|licence|notice|citation\.cff|\.gitkeep|\.zenodo\.json|authors)"),
        (
            terms.SH,
            r"(^|/)\.git(attributes|ignore|modules)$|(^|/)\.github/|dockerfile|"
            r"\.pre-commit|\.editorconfig|(^|/)makefile$",
        ),
        (
            terms.TI,
            r"trainer_state|training_args|optimizer\.|scheduler\.|rng_state|tfevents|"
            r"(^|/)checkpoint-|(^|[/_\-.])(pre)?train|finetun|fine_tun|(^|/|_)(dpo|sft|ppo|rlhf|lora|qlora)[_.\-]|"
            r"(^|/)(ds|deepspeed|accelerate|fsdp|zero[123]?)[_\-]?\w*\.(json|ya?ml)$",
        ),
        (
            terms.VI,
            r"eval|bench|results\.json|model_index|leaderboard|metric|(^|/)tests?[_/]|"
            + terms.BENCHMARKS,
        ),
        (terms.SH, r"docker"),
        (terms.PP, r"profil"),
        (
            terms.TI,
            r"\.ipynb$|(^|/)(run|launch|start|submit|slurm)[\w-]*\.sh$|[_-](slurm|k8s)[\w-]*\.sh$",
        ),
        (
            terms.OUT,
            r"\.(safetensors|onnx|gguf|ggml|tflite|mlmodel|mlpackage|engine|ts|jit)$|"
            r"_jit\.|quantiz|\.(int8|fp16|q\d_\w+)\.",
        ),
        (terms.PT, r"config[\w-]*\.(json|ya?ml)$|hparams?|hyperparam|params\.(json|ya?ml)$"),
        (terms.SH, r"\.ya?ml$"),  # other YAML on a repository is mostly CI/CD workflows
        (terms.IN, r"\.(csv|tsv|jsonl|parquet|arrow)$|(^|/)data/|dataset"),
        (terms.MS, r"\.(bin|h5|pt|pth|ckpt|msgpack|pb|pkl|model|npz|keras)$|modeling|weights"),
        # Other source files: their words decide ("Update bot.py for multi-gpu"), else code.
        (CODE, r"\.py$"),
    )
)


def file_rule(subject: str) -> str | None:
    """The label implied by an HF-style file operation title, e.g. "Upload vocab.txt"."""
    m = FILE_OP.match(subject) if "." in subject else None  # a file name needs a dot
    if not m:
        return None
    verb, name = m.group("verb").lower(), m.group("file").lower()
    for label, pattern in FILE_RULES:
        if pattern.search(name):
            if label == "DEPENDENCY":
                if verb.startswith(("delete", "remove")):
                    return terms.REM
                if verb.startswith(("add", "creat", "upload")):
                    return terms.ADD
                return terms.UPD
            if label == terms.MS and verb.startswith(("delete", "remove")) and WEIGHTS.search(name):
                # Deleting a weight file (another serialisation replaces it) changes how the
                # model is stored, as new formats do.
                return terms.OUT
            return label
    return None


def with_file_words(text: str) -> str:
    """Append the words of file names ("finetune_llama3.py" -> "finetune llama3 py")."""
    names = FILENAME.findall(text) if "." in text else None
    if not names:
        return text
    # Only a path's last part: directory names ("efficient_attentions/") are not the change.
    words = " ".join(_SEPARATORS.sub(" ", n.rsplit("/", 1)[-1]) for n in names)
    return f"{text} {words}"
