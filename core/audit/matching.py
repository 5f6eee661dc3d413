"""Which files an audit watches, and which GitHub file a Hub file is compared with."""

from __future__ import annotations

import posixpath
import re

# Files whose copies on both sides a maintainer expects to agree (matched across folders).
KNOWN_FILE = re.compile(
    r"^(readme\.md|model_card\.md|modelcard\.md|config\.json|generation_config\.json"
    r"|tokenizer[^/]*\.json|tokenizer\.model|special_tokens_map\.json|preprocessor_config\.json"
    r"|chat_template\.(?:jinja|json)|requirements\.txt|license(?:\.md|\.txt)?"
    r"|modeling_[^/]*\.py|configuration_[^/]*\.py|tokenization_[^/]*\.py)$",
    re.IGNORECASE,
)
# The model card is README.md on the Hub; a GitHub repository may keep it under these names.
CARD_NAMES = ("readme.md", "model_card.md", "modelcard.md")
# Files that change what a loaded model does: drift in them matters most.
CRITICAL_FILE = re.compile(
    r"^(config\.json|generation_config\.json|tokenizer[^/]*\.json|tokenizer\.model"
    r"|special_tokens_map\.json|preprocessor_config\.json|chat_template\.(?:jinja|json)"
    r"|modeling_[^/]*\.py|configuration_[^/]*\.py|tokenization_[^/]*\.py)$",
    re.IGNORECASE,
)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _in_variant_folder(path: str, variant: str) -> bool:
    """Whether a folder of `path` is named like the variant (`models/Widget-7B/config.json`
    for `acme/widget-7b`); exact after lower-casing and dropping punctuation, so the folder
    of `widget-7b-chat` is not taken for `widget-7b`."""
    name = _norm(variant.split("/")[-1])
    return bool(name) and any(_norm(part) == name for part in path.split("/")[:-1])


def _pick(candidates: list[str], hf_path: str, variant: str) -> tuple[str, str, str | None]:
    """The GitHub path that best matches `hf_path`: under a folder named like the variant,
    then the same path, then the shallowest. Returns (path, matched_by, note)."""
    in_variant = [c for c in candidates if _in_variant_folder(c, variant)]
    if in_variant:
        return min(in_variant, key=lambda c: (c.count("/"), c)), "variant folder", None
    if hf_path in candidates:
        return hf_path, "path", None
    best = min(candidates, key=lambda c: (c.count("/"), c))
    same_name = posixpath.basename(best).lower() == posixpath.basename(hf_path).lower()
    note = None
    if len(candidates) > 1:
        note = f"{len(candidates)} GitHub files could match; compared with the shallowest"
    return best, "basename" if same_name else "model card", note
