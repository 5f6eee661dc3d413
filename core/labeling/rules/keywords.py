"""The ordered keyword rules: (change type, regex over the lower-cased text); the first rule
that matches wins (Section 4.1.1.1's definitions, Appendix A's examples, Table 2's topics)."""

from __future__ import annotations

from core.labeling.rules.terms import (
    ADD,
    BENCHMARKS,
    ED,
    ID,
    IN,
    LIB,
    MS,
    OUT,
    PM,
    PP,
    PRE,
    PT,
    REM,
    SH,
    TI,
    TOOLS,
    UPD,
    VI,
)

KEYWORD_RULES: tuple[tuple[str, str], ...] = (
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
        + LIB
        + r"( \S+)? (v|version )?\d|\b(upgrade|update|bump|migrate|port)\w* (the )?"
        + LIB
        + r" (\S+ ){0,2}(to|for) v?\d+(\.\d+)+|\b(upgrade|update|bump)\w* (the )?[\w\-]+ "
        r"(package|library|dependency)\b",
    ),
    # The version of a named library or tool, wherever it is pinned ("fix peft version in
    # dockerfiles", "update pre-commit version"), and lists of libraries ("update tensorrt,
    # onnxruntime and cuda"). A rule of its own so that its literal gate is "version".
    (
        UPD,
        r"\b(?:fix|pin|set|specify|change|update|upgrade|bump)\w* (?:the )?(?:"
        + LIB
        + r"|\b(?:"
        + TOOLS
        + r")) versions?\b|^(update|upgrade|bump)\w* (the )?"
        + LIB
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
        + LIB
        + r"|"
        + LIB
        + r"\s*(>=|==|<=|~=|>|<)\s*v?\d|\b"
        + LIB
        + r" (version|v\d)|"
        r"(framework|library|package|dependency) versions?\b|version of "
        + LIB
        + r"|requirements?\.txt: ",
    ),
    (
        REM,
        r"\b(remove|removed|removing|drop|dropped|dropping|delete|deleted|deleting)\s+"
        r"(the\s+)?(dependency (on )?|support for |unused )?(" + LIB + r")|"
        r"\b(remove|drop|delete)\w* (\S+ ){0,3}(dependency|dependencies|requirements?)\b",
    ),
    (
        ADD,
        r"\b(add|added|adding|allow|allowed|install|introduce)\w*\s+(" + LIB + r")"
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
        r"\bbaselines?\b|\bcoverage\b|\blb\b|^\W*tested\b|\b(" + BENCHMARKS + r")",
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
        r"^(?!.*\b(cpu|gpu|build|debug|error|user|device|system|env)\b)(\S+ ){0,3}info(rmation)?"
        r"\s*[.!]?$|\bsections?\b|\bcredits?\b|\backnowledg\w*|\bcontact\b|"
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
