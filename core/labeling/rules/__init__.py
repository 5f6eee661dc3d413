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

Where each part lives: `terms` (names and word lists), `keywords` (the ordered rules),
`files` (file names), `typos`, `reading` (lines, merges, prefixes), `labeler` (the decision
per text) and, for speed only, `columns` and `matcher` with `re2_syntax`: texts are read
column-wise over all of them at once, and the keyword rules run as RE2 through pyarrow, in
rule order, exactly as Python reads and answers them one by one (tests compare both, and the
labels of every real text with rules-4's).
"""

from core.labeling.rules.labeler import NAME, VERSION, RulesLabeler, label_one, label_texts

__all__ = ["NAME", "VERSION", "RulesLabeler", "label_one", "label_texts"]
