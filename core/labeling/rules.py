"""The offline change-type labeler: ordered, principled rules over the commit text.

How a text is read (why each step exists):
1. The subject is the first line (GitHub's convention; on HF the commit title). Merge
   commits are replaced by what they merge: a pull request's headline (its first body
   line; later bullet points must not outvote it) backed by its branch name. "Merge branch
   X into Y" is Sharing (it synchronises collaborators' work) unless it carries a merge
   request title that says what it brings.
2. File names are kept (inline code is unwrapped, not removed) because HF default titles
   name the file they touch: "Upload tokenizer.json", "Update config.json",
   "Create README.md". A file name decides the label when the title is such a file
   operation (see `FILE_RULES`: training launchers and DeepSpeed/accelerate configs are
   Training Infrastructure, evaluation and benchmark scripts Validation Infrastructure,
   .zenodo.json/CITATION.cff/LICENSE Project Metadata); otherwise the words of its last
   path part ("finetune_llama3.py" -> "finetune llama3 py") join the text. Directory names
   never do ("postnorm_efficient_attentions/" says nothing about the change).
3. Ordered keyword rules (`RULES`) follow the paper's definitions (Section 4.1.1.1), the
   Appendix A examples and the topics of its Table 2: the first rule that matches the
   subject wins; if none does, the body is tried. Phrase rules come before word rules, so
   the object of a change decides, not a word inside it: "upgrade to onnx-runtime 1.11"
   is a dependency update before "onnx" can mean an export; "performance" with tasks or
   scores is evaluation, with speed or memory pipeline performance; "fine-tuned ... model"
   and "version N of the model" are a model, not training.
4. If nothing matches, misspelt key words are corrected once ("Tesnsorboard", "tokenzier")
   and the rules retried; else Model Structure (the paper's most common GitHub type, and
   what plain "fix bug", "add model", "Upload 4 files" mean on a model repository).
   Between CJK and Latin letters a word boundary is inserted ("修改了量化readme").

Conventions chosen where the paper is silent, so labels stay consistent:
- New serialisations of a trained model (safetensors/ONNX/GGUF/TorchScript variants,
  quantised files) are Output Data; the original weights (pytorch_model.bin, "add tf
  weights", "Add model 1.3.1") are Model Structure (Appendix A).
- merges.txt is Internal Documentation (Appendix A); other tokenizer files Preprocessing.
- requirements.txt: created → Add, deleted → Remove, updated → Update Dependency (Appendix A).
- .gitignore, .gitattributes and .gitmodules are all Sharing (git configuration).
- Notebooks are Training Infrastructure unless they are a demo, example or tutorial.
- Experiment logging (wandb, TensorBoard) and trainer libraries are Training
  Infrastructure even when the commit adds them.
- rules-4 (checked on fresh samples of real GitHub messages): a headline that is a bug fix
  stays Model Structure whatever its explanation mentions; a library's or tool's version is
  a dependency update wherever it is pinned ("fix peft version in dockerfiles"); a library
  named as the tool of an example ("Add PyTorch trainer notebook") is not a new dependency;
  a plain source file name ("Update bot.py for multi-gpu") lets the title's words decide;
  deleting a weight file is Output Data (another serialisation replaces it); a pull request
  that only brings a long-lived branch over (dev, main) is Sharing; setting an UPPER_CASE
  constant is Parameter Tuning; saving the best/last model is checkpointing (Training
  Infrastructure); a short text naming a model ("update t5") is not content-free.

Speed: regexes are compiled once, gated by literals they need, and results are memoised
per unique (text, platform).
"""

from __future__ import annotations

import re
import re._constants as _const
import re._parser as _parser
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from core.labeling.text import clean_text

NAME = "rules"
VERSION = "rules-4"

ED, ID = "External Documentation", "Internal Documentation"
MS, TI, PRE = "Model Structure", "Training Infrastructure", "Preprocessing"
PT, PP, SH = "Parameter Tuning", "Pipeline Performance", "Sharing"
VI, IN, OUT, PM = "Validation Infrastructure", "Input Data", "Output Data", "Project Metadata"
ADD, REM, UPD = "Add Dependency", "Remove Dependency", "Update Dependency"

_MAX_CHARS = 400  # the decisive words are at the start; long bodies only cost time
_MAX_BODY = 240  # a body backs up a subject without evidence; its first sentences suffice

# Libraries whose addition, removal or version change is a dependency change.
_LIBS = (
    r"transformers|torch|pytorch|tensorflow|tf|keras|flax|jax|numpy|scipy|pandas|accelerate|"
    r"peft|bitsandbytes|timm|einops|xformers|flash[-_ ]?attn|vllm|pillow|gensim|spacy|"
    r"onnxruntime|protobuf|tokenizers|sentence[-_ ]transformers|triton|scikit[-_ ]learn|"
    r"sklearn|nltk|jieba|fairseq|apex|deepspeed|huggingface[-_ ]hub|openai|langchain|"
    r"gradio|streamlit|fastapi|pydantic|tiktoken|cython|opencv|librosa|torchvision|"
    r"torchaudio|requests|matplotlib|tqdm|wandb|mlflow|ray|onnx|onnx[-_ ]?runtime|llama[-_ ]cpp|"
    r"flair|stanza|allennlp|optimum|diffusers|trl|alpaca[_-]farm|tensorrt"
)
# A library named as such: not "torch.compile", not "add tf weights" / "onnx model".
_LIB = (
    rf"\b(?:{_LIBS})(?![\w.])"
    r"(?!\s+((and|&|/)\s+\w+\s+)?(weights?|models?|files?|checkpoints?|script|variant|format|"
    r"conversion|export|trainers?|notebooks?|examples?|demos?|tutorials?|implementation))"
)
# Developer tools whose version is pinned like a library's ("Update pre-commit version").
_TOOLS = (
    r"python|pip|setuptools|poetry|conda|node|npm|yarn|pre-commit|black|ruff|flake8|isort|"
    r"mypy|pytest|cuda|cudnn|nccl|cmake|gcc|rust|go"
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Evaluation suites whose names stand for an evaluation (file names like "vmlu_run.py" too).
_BENCHMARKS = (
    r"mmlu|cmmlu|vmlu|kmmlu|gsm8k|humaneval|mbpp|c-?eval|agieval|hellaswag|truthfulqa|"
    r"winogrande|big-?bench|\bbbh\b|mt-?bench|alpaca-?eval|arena-?hard|lm-?eval|mteb|beir|"
    r"lambada|\bpiqa\b|boolq|openbookqa|squad|math500|triviaqa|longbench|livecodebench|"
    r"\b(super)?glue\b(?! code)|\bklue"
)

# --- file names in HF-style titles ("Upload tokenizer.json", "Update config.json") ---------

_FILE_OP = _rx(
    r"^(?P<verb>upload|update|updated|create|created|add|added|adding|delete|deleted|remove|"
    r"removed|rename|renamed|fix|fixed|modify|modified|change|changed|edit|replace)\s+"
    r"(?:the\s+|a\s+|new\s+)?(?P<file>[^\s`'\"]+\.[a-z0-9]{1,12})\b"
)
_FILENAME = re.compile(r"[\w./\-]*\.(?:[a-z][a-z0-9]{0,11})\b", re.IGNORECASE)

_CODE = "CODE"  # a source file whose name says nothing more: the title's words decide
_WEIGHTS = re.compile(r"\.(bin|h5|pt|pth|ckpt|msgpack)$")

# (label, pattern over the lower-cased file name); first match wins.
FILE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, _rx(p))
    for label, p in (
        (
            "DEPENDENCY",
            r"(^|/)(requirements[\w-]*\.txt|environment\.ya?ml|pyproject\.toml|"
            r"setup\.(py|cfg)|pipfile|poetry\.lock)$",
        ),
        (ID, r"(^|/)merges\.txt$"),
        (
            PRE,
            r"token|vocab|spiece|sentencepiece|\.bpe\.|bpe\.model|chat_template|"
            r"preprocessor_config|feature_extractor|processor_config|normaliz|preprocess",
        ),
        (PM, r"(^|/)(security|code_of_conduct)\.md$"),
        (ED, r"(^|/)readme|\.md$|\.rst$|model_?card|\.(png|jpe?g|gif|svg|webp|html?)$"),
        (PM, r"(^|/)(license|licence|notice|citation\.cff|\.gitkeep|\.zenodo\.json|authors)"),
        (
            SH,
            r"(^|/)\.git(attributes|ignore|modules)$|(^|/)\.github/|dockerfile|"
            r"\.pre-commit|\.editorconfig|(^|/)makefile$",
        ),
        (
            TI,
            r"trainer_state|training_args|optimizer\.|scheduler\.|rng_state|tfevents|"
            r"(^|/)checkpoint-|(^|[/_\-.])(pre)?train|finetun|fine_tun|(^|/|_)(dpo|sft|ppo|rlhf|lora|qlora)[_.\-]|"
            r"(^|/)(ds|deepspeed|accelerate|fsdp|zero[123]?)[_\-]?\w*\.(json|ya?ml)$",
        ),
        (
            VI,
            r"eval|bench|results\.json|model_index|leaderboard|metric|(^|/)tests?[_/]|"
            + _BENCHMARKS,
        ),
        (SH, r"docker"),
        (PP, r"profil"),
        (
            TI,
            r"\.ipynb$|(^|/)(run|launch|start|submit|slurm)[\w-]*\.sh$|[_-](slurm|k8s)[\w-]*\.sh$",
        ),
        (
            OUT,
            r"\.(safetensors|onnx|gguf|ggml|tflite|mlmodel|mlpackage|engine|ts|jit)$|"
            r"_jit\.|quantiz|\.(int8|fp16|q\d_\w+)\.",
        ),
        (PT, r"config[\w-]*\.(json|ya?ml)$|hparams?|hyperparam|params\.(json|ya?ml)$"),
        (SH, r"\.ya?ml$"),  # other YAML on a repository is mostly CI/CD workflows
        (IN, r"\.(csv|tsv|jsonl|parquet|arrow)$|(^|/)data/|dataset"),
        (MS, r"\.(bin|h5|pt|pth|ckpt|msgpack|pb|pkl|model|npz|keras)$|modeling|weights"),
        # Other source files: their words decide ("Update bot.py for multi-gpu"), else code.
        (_CODE, r"\.py$"),
    )
)

# --- ordered keyword rules over the subject ------------------------------------------------

_RULE_SPEC: tuple[tuple[str, str], ...] = (
    # A title that only sets hyperparameters ("total_timesteps=1000000", "lr=3e-4, bs=64").
    (PT, r"^[a-z_][\w.\-]*\s*=\s*[\w.+\-]+(\s*[,;]?\s*[a-z_][\w.\-]*\s*=\s*[\w.+\-]+)*\s*$"),
    # Appendix A: "fix eos_token and bos_token in config (#1)" is a model fix, not tuning.
    (
        MS,
        r"^(?:fix\w* (the )?(model )?config\b(?![_.\w])|fix\w* (\S+ ){1,6}(in|of) (the )?(model )?"
        r"config\b(?![_.\w])|(replace|swap|switch)\w* (the )?(\S+ ){0,2}models?\b(?![ _-]*card))",
    ),
    # A new version of a library ("upgrade to onnx-runtime 1.11", "update spacy pipeline to
    # 3.5.3", "update alpaca_farm package") before any format or tool word it names.
    (
        UPD,
        r"\b(upgrade|bump|pin|downgrade)\w* (to|for) (\S+ )?v?\d+(\.\d+)+|"
        r"\b(upgrade|update|bump|migrate|port)\w* (\S+ ){0,3}?(to|for|with) (the )?(latest )?"
        + _LIB
        + r"( \S+)? (v|version )?\d|\b(upgrade|update|bump|migrate|port)\w* (the )?"
        + _LIB
        + r" (\S+ ){0,2}(to|for) v?\d+(\.\d+)+|\b(upgrade|update|bump)\w* (the )?[\w\-]+ "
        r"(package|library|dependency)\b",
    ),
    # The version of a named library or tool, wherever it is pinned ("fix peft version in
    # dockerfiles", "update pre-commit version"), and lists of libraries ("update tensorrt,
    # onnxruntime and cuda"). A rule of its own so that its literal gate is "version".
    (
        UPD,
        r"\b(?:fix|pin|set|specify|change|update|upgrade|bump)\w* (?:the )?(?:"
        + _LIB
        + r"|\b(?:"
        + _TOOLS
        + r")) versions?\b|^(update|upgrade|bump)\w* (the )?"
        + _LIB
        + r"\s*(,|and\b|&)",
    ),
    # A dependency named as the object ("remove X quantizer dependency") before a format or
    # tool word inside the name can decide.
    (
        REM,
        r"\A(remove|drop|delete)\w* (\S+ ){0,3}(dependency|dependencies)\b|"
        r"\b(not|no longer) (a |an )?(hard )?(requirement|dependency|required)\b",
    ),
    (ADD, r"\A(add|introduce)\w* (\S+ ){0,3}(dependency|dependencies)\b"),
    # Repository layout and beginnings (Appendix A: "model initial commit").
    (
        PM,
        r"^(delete|remove|rm)\w* (\S+ ){0,2}(directory|dir|folder)\b|^(rename|move)\w* (\S+ ){0,2}(directory|dir|folder)\s*[.!]?$|"
        r"\b(initial|first|init) commit\b|"
        r"^(bump|increment)\w* (the )?(project |package )?version\b",
    ),
    # Paper: "faster data loading" is pipeline performance, not input data.
    (
        PP,
        r"\b(speed\w*|faster|accelerat\w*|optimi[sz]\w*)\b.*\bdata ?load\w*|"
        r"\bdata ?load\w* .*\b(speed\w*|faster|performance)\b",
    ),
    # Collaboration plumbing (paper: git hooks, shared configs, CI/CD workflows).
    (
        SH,
        r"^merge (remote-tracking )?branch\b|\bcopybara\b|sync(ed|ing)? (with|from) (the )?(github|upstream|"
        r"original|main repo)|\bfrom git://|\bgit hooks?\b|issue[_ ]templates?|pull request "
        r"templates?|\bworkflows?\b|github actions?|\bci\b|\bci/cd\b|travis|circleci|docker|"
        r"devcontainer|\.?gitignore|\.?gitattributes|pre-commit|codeowners|contributing|"
        r"tsconfig|typescript config|editorconfig|^build\(|^ci[:(]|^build:",
    ),
    # Serialised outputs of the model (new formats of the same trained model).
    (
        OUT,
        r"variant of this model|\b(onnx|gguf|ggml|torchscript|torch script|tflite|"
        r"core ?ml|openvino|tensorrt)\b(?![-_ ]?runtime|\s*v?\d)|\bsafetensors\b|\bquantiz\w*\b|export\w* (to|as)\b|"
        r"\bsav(e|es|ed|ing) (the )?(predictions|outputs?|results|embeddings)|"
        r"output (format|dir|directory|file|path)|\bwrite (predictions|results|outputs?)|"
        r"\bgenerates? (documents|outputs?|files)\b|"
        r"\bconvert\w* (\S+ ){0,4}(to|into) (fp16|fp32|bf16|int8|int4|half precision)\b",
    ),
    # Training-run tooling: experiment logging and trainer libraries (before "add <lib>").
    (
        TI,
        r"\b(wandb|tensorboard|tfevents|mlflow)\b(?!\s*[<>=~])|\bweights (&|and) biases\b|"
        r"\b(accelerate|deepspeed|fsdp|zero-?[123]) (config\w*|launch\w*|plugin|setup|stage)\b|"
        r"\bcomposer\b|\bpytorch[- ]lightning\b|\bteacher\b|\bstudent model\b|"
        # Checkpointing (the paper's example) is not a new model: "add save best model".
        r"\bsav(e|es|ed|ing) (the )?(best|last|latest|final|intermediate) (models?|checkpoints?|"
        r"weights)\b|\bdreambooth\b",
    ),
    # Dependencies (Appendix A: "allow flax", "delete flax", "transformers>=4.29").
    (
        UPD,
        r"^bump\b|\bbumps? \S+ from\b|dependabot|\b(upgrade|downgrade|pin)(s|ed|ning)? "
        r"(to |the )?(\S+ )?(version|dependenc)|\b(upgrade|downgrade|pin)\w* "
        + _LIB
        + r"|"
        + _LIB
        + r"\s*(>=|==|<=|~=|>|<)\s*v?\d|\b"
        + _LIB
        + r" (version|v\d)|"
        r"(framework|library|package|dependency) versions?\b|version of "
        + _LIB
        + r"|requirements?\.txt: ",
    ),
    (
        REM,
        r"\b(remove|removed|removing|drop|dropped|dropping|delete|deleted|deleting)\s+"
        r"(the\s+)?(dependency (on )?|support for |unused )?(" + _LIB + r")|"
        r"\b(remove|drop|delete)\w* (\S+ ){0,3}(dependency|dependencies|requirements?)\b",
    ),
    (
        ADD,
        r"\b(add|added|adding|allow|allowed|install|introduce)\w*\s+(" + _LIB + r")"
        r"|\bas (an )?(optional )?(dependency|requirement)\b|\bas optional\b|"
        r"^add\w* (new |missing )?(dependency|dependencies|requirements?)\b",
    ),
    (
        UPD,
        r"\bdependenc(y|ies)\b(?! pars)|\bdeps\b|\bunpin\w*|\brequirements?\b|\bsetup\.py\b|\bpip install\b|"
        r"\benvironment\.ya?ml\b|\bconda env|\bsecurity vulnerabilit\w*|\bcve-\d+",
    ),
    # A new or updated model (Appendix A: "add model 1.3.1", "add new sentencetransformer model").
    (
        MS,
        r"^(add|added|adding|upload|uploaded|uploading|update|updated|push|pushed|pushing|"
        r"release|released)\w* (?!.*\b(\d+k? ?steps?|epochs?)\b)(the |a |an |new |initial |first |"
        r"base |pretrained |pre-trained |fine-?tuned |trained |improved |latest |better |best )*"
        r"((?!tokeni|vocab|sentencepiece|spm|bpe)\S+ ){0,2}?models?\b"
        r"(?![ _-]*(card|index|metadata|id\b|links?|urls?))|"
        # A trained model itself ("Final fine-tuned RoBERTa NLI model", "second version of
        # the X model"), unless training progress (steps, epochs) is reported.
        r"^(\w+ ){0,2}(fine-?tuned|trained|pre-?trained|distilled) (?!.*\b(steps?|epochs?|iter\w*)\b)"
        r"(\S+ ){0,3}models?\b(?![ _-]*card)|\bversion of (the |this )?(\S+ ){0,2}models?\b",
    ),
    # Project beginnings and housekeeping (paper: versioning, licensing, initial commits).
    (
        PM,
        r"^(the )?(init|initial|first|inital)( commit| push| import| release| version| "
        r"upload| files?| model commit)?\s*([.;:,!(\-]|$|w/|with\b|of\b|for\b|and\b)|"
        r"^(feat: )?initial import|^(v|version |release )?v?\d+(\.\d+){1,3}([-.+]?(alpha|beta|rc|dev|"
        r"post|pre)\.?\d*)?\s*$|"
        r"^(bump|update|increment)\w* (the )?version\b|^version \d|^release v?\d+(\.\d+)*\s*$|"
        r"^(init|initiali[sz]e|create|set ?up)\w* (the |a |new )?(repo|repository|project)\b|"
        r"^(final|last) commit\b|^release\w* (?!.*\b(weights?|models?|checkpoints?)\b)(\S+ ){0,3}"
        r"v?\d+(\.\d+)+\b|^add\w* (the )?(\S+ ){0,2}(repo|repository)\s*$|"
        r"\b(org|organi[sz]ation|repo|repository|project) name\b|\bzenodo\b|citation\.cff|"
        r"\blicen[cs]e\b|\bmetadata\b|\bbase_model\b|\btags?\b|librarian[- ]bot|\blibrary_name\b|\bpipeline_tag\b|\bhas landed\b",
    ),
    # User-facing documentation, strong signals.
    (
        ED,
        r"\breadme\w*|\b(reamd|reame|readm|reamde|redme|raedme|readem)\b|\bdocs?\b|\bdocumentation\b|\btypos?\b|\bcitations?\b|\bcite\b|"
        r"\bmetric ?cards?\b|\busage (examples?|guide|instructions?|section|docs?|notes?)\b|"
        r"\b(add|update|fix|improve)\w* (the |code )?usage\b|\busage\b(?<=code usage)|^usage\b|"
        r"地址|链接|引用|示例|例子|介绍|ドキュメント|リンク|論文|论文|"
        r"\b(demo|example|tutorial|usage|supporting|inference|quickstart)\w* notebooks?\b|"
        r"\bnotebooks? (for|with|showing) (the |an? )?(demo|example|usage|inference)|"
        r"\bbibtex\b|\barxiv\b|\bpaper link\b|\blink to (the )?paper\b|\bbadges?\b|\blogo\b|"
        r"\bgrammar|\bspelling\b|changelog|\btutorial|\bfaq\b|\.md\b|"
        r"^docs?[:(]|\b(code )?snippets?\b|文档|说明|教程",
    ),
    # Data cleaning before training (paper: tokenizer fixes, normalisation).
    (
        PRE,
        r"tokeni[sz]\w*|\bvocab\w*|pre-?process\w*|normali[sz]\w*|\bshuffl\w*|augment\w*|"
        r"chat[_ ]template|prompt template|special[_ ]tokens?|\b(eos|bos|pad|unk)[_ ]?tokens?\b|"
        r"\b(eos|bos) (prefix|suffix|id|handling)\b|\b(add|append|prepend|fix)\w* (the )?(eos|bos)\b|"
        r"\bpadding\b|truncat\w*|sentencepiece|\bspiece\b|\bbpe\b|\bcollat\w*|\bdedup\w*|"
        r"\b(clean|filter|dedup\w*|format)\w* (the )?(training |input |raw )?(data|dataset|"
        r"corpus|text)|empty (responses|notes?|samples|lines)|\bdataset_creator|"
        r"\bend tokens?\b|\bdata (processing|cleaning|preparation)\b|\bmean and std\b|预处理|分词",
    ),
    # Data loading and new data (paper: new datasets, correct a path to datasets).
    (
        IN,
        r"\bdatasets?\b|\bdata\w*\b|\bdataloader|\bdata ?loader|\bload(ing)? (the )?data|"
        r"\bcorpus\b|\bcorpora\b|\bdata ?path|pre-?training data|\btest ?data\b|数据|データ",
    ),
    # Training logic (paper: checkpointing, distributed setup).
    (
        TI,
        r"training in progress|end of training|training (complete|completed|finished|done)|"
        r"\btrain(s|ing|er|ers)?\b|\btrain_|\bfine-?tun\w*|\bpre-?train\w*|\bcheckpoint\w*|\bepochs?\b|"
        r"\b\d+k? ?steps\b|\bsteps? \d+|\boptimi[sz]er\b|\blr[ _]?schedul\w*|\bdeepspeed\b|"
        r"\bfsdp\b|\bddp\b|\bdistributed\b|multi-?gpu|\binstruction[- ]tun\w*|\bema\b|\bloss\b|\bnotebook\w*|\bcolab\w*|"
        r"\bdistill\w*|\blora\b|\bqlora\b|\bsft\b|\brlhf\b|\bdpo\b|\biter_\d+|\bckpts?\b|"
        r"\bcheck ?points?\b|"
        r"训练|微调|ノートブック|学習",
    ),
    # A headline that is a bug fix (the paper's Model Structure example) keeps that label
    # when its explanation mentions validation, whitespace or settings; a fix of evaluation
    # or tests is still evaluation.
    (
        MS,
        r"^(\[\w+\] )?(bug ?fix(es|ed)?\b|fix(ed|es|ing)? (a |an |the |some |minor |small |few |"
        r"several |two |\d+ )*(bugs?|errors?|crash(es)?)\b)(?!.*\b(eval\w*|benchmark\w*|tests?|"
        r"metrics?|typos?|docs?|readme)\b)",
    ),
    # Evaluation (paper: new metrics, benchmark updates).
    (
        VI,
        r"\beval\w*|\bbenchmark\w*|\bmetrics?\b|\bleaderboard\b|\bmteb\b|\baccuracy\b|"
        r"\bperplexity\b|\bbleu\b|\brouge\b|\bf1\b|\bscores?\b|\bresults?\b|\btests?\b|"
        r"\btesting\b|\bunit ?tests?\b|^test[:(]|\bpytest\b|\bvalidat\w*|评测|评估|测试|評価|"
        r"\bperformance\b.*\b(tasks?|scores?|benchmarks?|results?|accuracy)\b|"
        r"\b(tasks?|scores?|benchmarks?) performance\b|"
        r"\breproduc\w* (\S+ ){0,3}?(v?\d+(\.\d+)?%?|results?|scores?|numbers?|paper)|"
        r"\bbaselines?\b|\bcoverage\b|\blb\b|^\W*tested\b|\b(" + _BENCHMARKS + r")",
    ),
    # Hard-coded hyperparameters (Appendix A: "update config for hf transformers").
    (
        PT,
        r"hyper-?param\w*|\bparams?\b|\bparameters?\b|learning rate|\blr\b|batch[_ ]size|"
        r"max_?(new_?)?tokens|max[_ ]?(seq(uence)?[_ ]?)?(length|len)\b|\btemperature\b|\btop_?[pk]\b|\bwarmup\b|"
        r"\bdropout\b|weight decay|\bseed\b|\bbeam\w*|\bconfig\w*\b|\bsettings?\b|"
        r"\bthreshold\w*|\bdefaults?\b|\btimeouts?\b|\bintervals?\b|\banneal\w*|"
        r"\b(gradient|grad|norm) clip\w*|\bclip(ping)? (the )?(grad\w*|norm)\b",
    ),
    # Run-time efficiency (Appendix A: "fix rows mixing").
    (
        PP,
        r"\bspeed\w*|\bfaster\b|\bfast\b|\bperformance\b|^perf[:(]|\bperf\b|\boptimi[sz]\w*|"
        r"\bmemory\b|\boom\b|out of memory|\bcach(e|ing|ed)\b|\bgc\b|garbage|\bcompil\w*|"
        r"\bkernels?\b|\bfused\b|\bcuda\b|\blatency\b|\bthroughput\b|\bparallel\w*|"
        r"\befficien\w*|\bthreads?\b|thread[- ]safe|\basync\w*|flash[-_ ]?attn|flash attention|"
        r"\bvectori[sz]\w*|rows mixing|\blazy\b|\bprofil\w*|\bslow\w*|\bbottleneck|\bmem\b|"
        r"\bprefetch\w*",
    ),
    # Developer-facing explanation and tidying (paper: code comments, merges.txt).
    (
        ID,
        r"(?<!review )\bcomments?\b(?! (on|from) (the )?(\w+ )?(pr|pull|review))|\bcommented\b|\bdocstrings?\b|\btype hints?\b|\bannotations?\b|"
        r"\bclean(er|up|ed|ing)?\b|\btidy\w*|\blint\w*|\bformatt\w*|\b(code|coding) style\b|"
        r"\bstyle (fix\w*|checks?|issues?|guide|changes?)\b|^style\b|\bstyle\s*[.!]?$|\bfix\w* (the )?style\b|"
        r"\bisort\b|\bflake8\b|\bruff\b|\bpylint\b|\bclippy\b|\beslint\b|\bprettier\b|\btodos?\b|\bwhitespaces?\b|\b(blank|empty|unnecessary|unused) "
        r"(lines?|cells?)\b|注释|コメント",
    ),
    # Weak documentation signals (examples, demos and usage shown to users).
    (
        ED,
        r"\bmodel ?cards?\b|\bcards?\b|\bexamples?\b|\bdemos?\b|\busage\b|\btables?\b|\bheadline|\binstructions?\b(?![- ]tun)|"
        r"\bguide\b|\blinks?\b|\burls?\b|\bfigures?\b|\bpictures?\b|\bphotos?\b|\bhtml\b|"
        r"\bwebpages?\b|\bwidget\b|\bsample input\b|"
        r"\bdescription\b|\bintroduction\b|\bnews\b|\bwebsite\b|\bblog\b|"
        r"^(?=(\S+ ){0,3}info(rmation)?\s*[.!]?$)(?!.*\b(cpu|gpu|build|debug|error|user|device|"
        r"system|env)\b)|\bsections?\b|\bcredits?\b|\backnowledg\w*|\bcontact\b|"
        r"\bhomepage\b|\bintro\b|\bwording\b|\bparagraphs?\b|\bheadings?\b|"
        r"\bchapters?\b|\bannounce\w*|\bpapers?\b|\bpublications?\b|"
        r"\bbadges?\b|\bmentions?\b|\bscreenshots?\b|\buser interface\b|\bgradio\b|\btoc\b|table of contents",
    ),
    # Files and layout (paper: non-functional updates).
    (
        PM,
        r"^(add|added|adding|upload|uploaded|commit|commiting|committing)\w* (all |some |the |"
        r"more |missing )?files?\b|\bunused (files?|dirs?|directory|folders?)\b|"
        r"\b(rename|move|moving)\w* (\S+ ){0,3}?(files?|dirs?|directory|directories|folders?|repo|"
        r"repository|project|scripts?)\b|\b(rename|move|moving)\w* \S+\.[a-z]{1,5}\b|"
        r"\b(reorgani[sz]\w*|restructur\w*)\b|\bfolder structure\b|^renam\w*( for \w+)?\s*[.!]?$|"
        r"\bfile organi[sz]ation\b|\bauthors?\b|\bversion\b",
    ),
)


Hint = tuple[str, str]  # ("word", start of a word token) or ("sub", substring anywhere)
_WORD_PART = re.compile(r"\w+")
_LEAD = re.compile(r"\W+")
_WORD_STARTS = {_const.AT_BOUNDARY, _const.AT_BEGINNING, _const.AT_BEGINNING_STRING}
_PREFIX_LEN = 6  # word hints are cut to this many characters (still necessary, cheaper)


def literal_hints(pattern: str) -> frozenset[Hint] | None:
    """Literals one of which occurs in every text `pattern` matches (None: unknown).

    Python's regex engine tries every alternative at every position, which makes the long
    keyword rules slow. A hint after a word boundary (`\\btrain`) must start a word, so it
    is checked against the set of word-token prefixes (one set lookup); other hints are
    substrings (`in`). Derived from the parsed pattern, so hints never drift from the rules
    (tests check that gated and ungated labeling agree).
    """
    try:
        return _hints(_parser.parse(pattern).data, anchored=False)
    except Exception:  # a private parser API; without hints the rule simply always runs
        return None


# Words most commit subjects start with: a gate made of them lets nearly every text through,
# so another required literal of the same pattern is preferred.
_COMMON_WORDS = frozenset({"add", "fix", "update", "remove", "delete", "change", "use", "set"})


def _selectivity(hints: frozenset[Hint]) -> int:
    """How rarely a gate passes, roughly: its shortest literal, much less if it is common."""
    shortest = min((len(h) for _, h in hints), default=0)
    return shortest - 10 if any(h in _COMMON_WORDS for _, h in hints) else shortest


def _hint(literal: str, anchored: bool) -> Hint:
    lead = _LEAD.match(literal)
    rest = literal[lead.end() :] if lead else literal
    word = _WORD_PART.match(rest)
    if word and (anchored or lead):  # a word character right after a boundary: a word start
        return ("word", word.group(0)[:_PREFIX_LEN])
    return ("sub", literal)


def _hints(items: list, anchored: bool) -> frozenset[Hint] | None:
    best: frozenset[Hint] | None = None
    run: list[str] = []
    run_anchored = False

    def consider(found: frozenset[Hint] | None) -> None:
        nonlocal best
        if found and (best is None or _selectivity(found) > _selectivity(best)):
            best = found

    for op, av in [*items, (None, None)]:
        if op is _const.LITERAL:
            if not run:
                run_anchored = anchored
            run.append(chr(av).lower())
            anchored = bool(_LEAD.match(run[-1]))  # after a non-word character: a word start
            continue
        if run:
            consider(frozenset({_hint("".join(run), run_anchored)}))
            run = []
        if op is _const.AT:
            anchored = av in _WORD_STARTS
            continue
        if op is _const.BRANCH:
            alternatives = [_hints(alt, anchored) for alt in av[1]]
            if all(alternatives):
                consider(frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif op is _const.SUBPATTERN:
            consider(_hints(av[3], anchored))
        elif op in (_const.MAX_REPEAT, _const.MIN_REPEAT) and av[0] >= 1:
            consider(_hints(av[2], anchored))
        # anything else (look-arounds, classes, optional parts) is skipped: the literals
        # around it are still required
        anchored = False
    return best


@dataclass(frozen=True)
class Rule:
    """A keyword rule: its label, its regex, and the literal gate that must pass first.

    `head` (the alternatives anchored at the start, tried once with `match`) and `tail`
    (the others, searched) together match exactly what `pattern` matches, faster: the
    regex engine would otherwise retry every anchored alternative at every position. When
    split, the literal gate (`words`, `subs`) is that of the tail.
    """

    label: str
    pattern: re.Pattern[str]
    words: frozenset[str] = frozenset()
    subs: re.Pattern[str] | None = None  # substrings, one of which must occur
    gated: bool = False
    head: re.Pattern[str] | None = None
    tail: re.Pattern[str] | None = None
    split: bool = False


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (split at `|` outside groups and classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


def _alternation(literals: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(literals), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def _rule(label: str, pattern: str) -> Rule:
    parts = _alternatives(pattern)
    anchored = [a for a in parts if a.startswith("^")]
    others = [a for a in parts if not a.startswith("^")]
    # The gate guards the searched tail; the anchored head costs one `match` and needs none.
    hints = literal_hints("|".join(others)) or frozenset() if others else frozenset()
    return Rule(
        label,
        re.compile(pattern),
        words=frozenset(h for kind, h in hints if kind == "word"),
        subs=_alternation(h for kind, h in hints if kind == "sub"),
        gated=bool(hints),
        head=re.compile("|".join(anchored)) if anchored else None,
        tail=re.compile("|".join(others)) if others else None,
        split=True,
    )


# Matched against the lower-cased text: case-insensitive regexes are several times slower.
RULES: tuple[Rule, ...] = tuple(_rule(lb, p) for lb, p in _RULE_SPEC)
_LENGTHS = sorted({len(w) for r in RULES for w in r.words})

# Rules that only hold on one platform: on GitHub "add files" is a project layout change;
# on a model repository the same words upload model files (Model Structure).
_HF_MODEL_FILES = _rx(
    r"^(add|added|adding|upload|uploaded|commit|commiting|committing|push|"
    r"pushing)\w* (all |some |the |more |missing |model |new )?(model )?"
    r"files?\b|^upload \d+ files\b|^upload folder\b"
)

_MERGE_PR = _rx(r"^merge pull request #\d+ from (?P<branch>\S+)")
# Any merge of branches, tags or commits ("Merge branch 'github-main' into 'main'").
_MERGE_BRANCH = _rx(r"^merge (remote-tracking )?(branch|branches|tag|commit)\b")
_SYNC = _rx(r"\b(sync\w*|together|upstream|mirror\w*|conflicts?)\b|^merge\b")
# Long-lived branches whose merge carries no change of its own.
_INTEGRATION_BRANCH = _rx(r"^(dev|devel|develop|development|main|master|staging|next|trunk)$")
_TRAILER = _rx(r"^(signed-off-by|co-authored-by|reviewed-by|see merge request|-{3,}|\* ?$)")
# Git's list of conflicted files ends a merge message: file names, not a description.
_CONFLICTS = _rx(r"^\W*conflicts:")
_CONVENTIONAL = _rx(r"^(\w+)(\([^)]*\))?!?:\s*")
_CONVENTIONAL_LABEL = {
    "docs": ED,
    "doc": ED,
    "ci": SH,
    "build": SH,
    "test": VI,
    "tests": VI,
    "perf": PP,
    "style": ID,
}


def _lines(raw: str) -> list[str]:
    """Non-empty cleaned lines (inline code unwrapped so file names survive)."""
    out: list[str] = []
    body = 0
    for line in raw.splitlines():
        if body >= _MAX_BODY and len(out) > 1:
            break  # the rest would be cut off anyway
        text = clean_text(line, keep_inline_code=True)
        if _CONFLICTS.match(text):
            break
        if text and not _TRAILER.match(text):
            if out:
                body += len(text) + 1
            out.append(text)
    return out


def _file_rule(subject: str) -> str | None:
    """The label implied by an HF-style file operation title, e.g. "Upload vocab.txt"."""
    m = _FILE_OP.match(subject)
    if not m:
        return None
    verb, name = m.group("verb").lower(), m.group("file").lower()
    for label, pattern in FILE_RULES:
        if pattern.search(name):
            if label == "DEPENDENCY":
                if verb.startswith(("delete", "remove")):
                    return REM
                if verb.startswith(("add", "creat", "upload")):
                    return ADD
                return UPD
            if label == MS and verb.startswith(("delete", "remove")) and _WEIGHTS.search(name):
                # Deleting a weight file (another serialisation replaces it) changes how the
                # model is stored, as new formats do.
                return OUT
            return label
    return None


# Between CJK (or other non-ASCII) and ASCII letters: "增加了qlora的reamd" has no word
# boundary before "reamd" unless one is inserted.
_SCRIPT_EDGE = re.compile(r"(?<=[^\x00-\x7f])(?=[a-z0-9])|(?<=[a-z0-9])(?=[^\x00-\x7f])")


# Setting a hard-coded constant ("change MAX_NEW_TOKENS", "increase BATCH_SIZE to 64") is
# the paper's definition of Parameter Tuning; case-sensitive, so only real constants count.
_CONSTANT = re.compile(
    r"^(?i:change|set|update|increase|decrease|reduce|raise|lower|tune|adjust)\w* "
    r"(?i:the |default )*[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b"
)


def _keyword_rule(text: str, platform: str) -> str | None:
    if platform == "HF" and _HF_MODEL_FILES.search(text) and not _FILENAME.search(text):
        return MS
    if "_" in text and _CONSTANT.match(text):
        return PT
    low = text.lower()
    if not low.isascii():
        low = _SCRIPT_EDGE.sub(" ", low)
    starts = {t[:n] for t in _WORD_PART.findall(low) for n in _LENGTHS}
    for rule in RULES:
        searched = rule.pattern
        if rule.split:
            if rule.head and rule.head.match(low):
                return rule.label
            if rule.tail is None:
                continue
            searched = rule.tail
        if (
            rule.gated
            and starts.isdisjoint(rule.words)
            and (rule.subs is None or not rule.subs.search(low))
        ):
            continue
        if searched.search(low):
            return rule.label
    return None


def _with_file_words(text: str) -> str:
    """Append the words of file names ("finetune_llama3.py" -> "finetune llama3 py")."""
    names = _FILENAME.findall(text)
    if not names:
        return text
    # Only a path's last part: directory names ("efficient_attentions/") are not the change.
    words = " ".join(re.sub(r"[._\-]+", " ", n.rsplit("/", 1)[-1]) for n in names)
    return f"{text} {words}"


# Light typo tolerance for the decisive words, tried only when no rule matched: one letter
# too many ("Tesnsorboard"), one missing ("trainig") or two swapped ("evlauation"); same
# first letter, words of six letters or more. Substitutions are not tried: they turn real
# words into others ("rename" -> "readme").
_VOCABULARY = (
    "tensorboard", "tokenizer", "tokenization", "training", "finetuning", "evaluation",
    "benchmark", "benchmarks", "documentation", "requirements", "dependency", "dependencies",
    "checkpoint", "preprocessing", "citation", "notebook", "leaderboard", "license", "dataset",
    "datasets", "readme", "example", "examples", "inference", "hyperparameters", "performance",
    "comments", "typos", "version", "metrics", "results",
)  # fmt: skip


def _misspellings(word: str) -> set[str]:
    """`word` with one letter missing, one letter too many, or two neighbours swapped."""
    cut = {word[:i] + word[i + 1 :] for i in range(1, len(word))}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
    extra = {word[:i] + c + word[i:] for i in range(1, len(word) + 1) for c in _ALPHABET}
    return cut | swapped | extra


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_KNOWN = frozenset(_VOCABULARY)
# Every misspelling, precomputed (about 10,000 strings): one dict lookup per long word.
_TYPOS: dict[str, str] = {
    typo: word for word in _VOCABULARY for typo in _misspellings(word) if typo not in _KNOWN
}
_LONG_WORD = re.compile(r"\w{6,}")


def _corrected(text: str) -> str | None:
    """`text` with misspelt vocabulary words corrected, or None if nothing changed."""
    low = text.lower()
    fixes = {w: _TYPOS[w] for w in _LONG_WORD.findall(low) if w in _TYPOS}
    if not fixes:
        return None
    return " ".join(fixes.get(w, w) for w in _WORD_PART.findall(low))


def _evidence(text: str, platform: str) -> str | None:
    """The label some rule finds in one line or paragraph, or None."""
    found = _file_rule(text)
    if found == _CODE:
        return _keyword_rule(_with_file_words(text), platform) or MS
    return found or _keyword_rule(_with_file_words(text), platform)


def _fallback(subject: str, body: str, platform: str) -> str:
    """No rule matched: retry with typos corrected, then Project Metadata for content-free
    short GitHub texts, else Model Structure.

    Model Structure is the paper's most common GitHub type and what texts naming code
    without a more specific topic ("fix bug in forward", "add model") mean on a model
    repository.
    """
    fixed = _corrected(subject) if len(subject) < 120 else None
    found = _keyword_rule(fixed, platform) if fixed else None
    if found:
        return found
    if platform == "GH" and not body and _content_free(subject):
        return PM
    return MS


# Signs that a short text is about code: identifiers (snake_case, dotted, camelCase, calls;
# case-sensitive) or words for code and model changes.
# Model names mix letters and digits ("update t5", "gpt2"); "v2" is a version.
_IDENTIFIER = re.compile(r"\w[._]\w|[a-z][A-Z]|\(\)|\b(?![vV]\d)[A-Za-z]+\d")
_CODE_WORDS = re.compile(
    r"\b(fix\w*|bugs?|errors?|crash\w*|issues?|functions?|class\w*|methods?|code|refactor\w*|"
    r"implement\w*|support\w*|models?|layers?|kernels?|api|cuda|gpu|nan|loss|attention|"
    r"inference|generat\w*|decod\w*|encod\w*|forward|weights?|params?|logits?|batch\w*|"
    r"token\w*|vocab\w*|modul\w*|scripts?|pipelines?|imports?|integers?|types?|variables?|"
    r"arg\w*|dtypes?|tensors?|shapes?|logic|logs?|logging)\b",
    re.IGNORECASE,
)


def _content_free(subject: str) -> bool:
    """A GitHub text of at most three words that names nothing in the code or the model:
    the reference annotators filed those ("nexusraven has landed!", "add files", "init
    commit") under Project Metadata, not under the model's structure."""
    return (
        len(subject.split()) <= 3
        and not _IDENTIFIER.search(subject)
        and not _CODE_WORDS.search(subject)
    )


@lru_cache(maxsize=200_000)
def label_one(raw: str, platform: str = "GH") -> str | None:
    """The change type of one commit text (None for an empty text)."""
    lines = _lines(raw[: _MAX_CHARS + _MAX_BODY])
    if not lines:
        return None
    subject, rest = lines[0], lines[1:]

    if _MERGE_BRANCH.match(subject):
        # Synchronising branches is Sharing; a merge request's title (GitLab's "Merge branch
        # 'x' into 'main'" + title) is read like a pull request's headline.
        if not rest or _SYNC.search(rest[0]):
            return SH
        return _evidence(rest[0][:_MAX_CHARS], platform) or _fallback(rest[0], "", platform)
    merge = _MERGE_PR.match(subject)
    integration = False
    if merge:
        # A pull request's headline is its first body line; later lines are sub-items that
        # must not outvote it, so only the branch name backs the headline up.
        branch = re.sub(r"^[^/]*/|[-_/]+", " ", merge.group("branch")).strip()
        integration = bool(_INTEGRATION_BRANCH.match(branch))
        subject, rest = (rest[0], [branch]) if rest else (branch, [])
    subject, body = subject[:_MAX_CHARS], " ".join(rest)[:_MAX_BODY]

    prefix = _CONVENTIONAL.match(subject)
    if prefix and prefix.group(1).lower() in _CONVENTIONAL_LABEL:
        return _CONVENTIONAL_LABEL[prefix.group(1).lower()]

    found = _evidence(subject, platform) or (_evidence(body, platform) if body else None)
    if found:
        return found
    # A pull request that only brings a long-lived branch over ("from org/dev: Dev")
    # synchronises collaborators' work, like "Merge branch 'main' into ...".
    # Only when its headline says nothing itself: a described change is labeled by the rest.
    if integration and (subject.lower() == branch.lower() or _content_free(subject)):
        return SH
    return _fallback(subject, body, platform)


class RulesLabeler:
    """Deterministic offline labeler; see the module docstring for how it reads a text."""

    name = NAME
    version = VERSION

    def label(self, texts: list[str], platforms: list[str]) -> list[str | None]:
        return [label_one(t or "", p or "GH") for t, p in zip(texts, platforms, strict=True)]
