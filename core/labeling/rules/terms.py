"""Names and word lists the rules share: the change types' short names, libraries, tools and
evaluation suites."""

from __future__ import annotations

import re

ED, ID = "External Documentation", "Internal Documentation"
MS, TI, PRE = "Model Structure", "Training Infrastructure", "Preprocessing"
PT, PP, SH = "Parameter Tuning", "Pipeline Performance", "Sharing"
VI, IN, OUT, PM = "Validation Infrastructure", "Input Data", "Output Data", "Project Metadata"
ADD, REM, UPD = "Add Dependency", "Remove Dependency", "Update Dependency"

# Libraries whose addition, removal or version change is a dependency change.
LIBS = (
    r"transformers|torch|pytorch|tensorflow|tf|keras|flax|jax|numpy|scipy|pandas|accelerate|"
    r"peft|bitsandbytes|timm|einops|xformers|flash[-_ ]?attn|vllm|pillow|gensim|spacy|"
    r"onnxruntime|protobuf|tokenizers|sentence[-_ ]transformers|triton|scikit[-_ ]learn|"
    r"sklearn|nltk|jieba|fairseq|apex|deepspeed|huggingface[-_ ]hub|openai|langchain|"
    r"gradio|streamlit|fastapi|pydantic|tiktoken|cython|opencv|librosa|torchvision|"
    r"torchaudio|requests|matplotlib|tqdm|wandb|mlflow|ray|onnx|onnx[-_ ]?runtime|llama[-_ ]cpp|"
    r"flair|stanza|allennlp|optimum|diffusers|trl|alpaca[_-]farm|tensorrt"
)
# A library named as such: not "torch.compile", not "add tf weights" / "onnx model".
LIB = (
    rf"\b(?:{LIBS})(?![\w.])"
    r"(?!\s+((and|&|/)\s+\w+\s+)?(weights?|models?|files?|checkpoints?|script|variant|format|"
    r"conversion|export|trainers?|notebooks?|examples?|demos?|tutorials?|implementation))"
)
# Developer tools whose version is pinned like a library's ("Update pre-commit version").
TOOLS = (
    r"python|pip|setuptools|poetry|conda|node|npm|yarn|pre-commit|black|ruff|flake8|isort|"
    r"mypy|pytest|cuda|cudnn|nccl|cmake|gcc|rust|go"
)


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Evaluation suites whose names stand for an evaluation (file names like "vmlu_run.py" too).
BENCHMARKS = (
    r"mmlu|cmmlu|vmlu|kmmlu|gsm8k|humaneval|mbpp|c-?eval|agieval|hellaswag|truthfulqa|"
    r"winogrande|big-?bench|\bbbh\b|mt-?bench|alpaca-?eval|arena-?hard|lm-?eval|mteb|beir|"
    r"lambada|\bpiqa\b|boolq|openbookqa|squad|math500|triviaqa|longbench|livecodebench|"
    r"\b(super)?glue\b(?! code)|\bklue"
)
