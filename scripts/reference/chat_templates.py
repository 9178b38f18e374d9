"""Reference renderings for §6.1: Hugging Face's `apply_chat_template` on the chat templates
stored in data/chat_templates.json (ChatML and Llama 2's, the strings the models ship).

For each template, a tokenizer is built offline (a `PreTrainedTokenizerFast` around a tiny
word-level `tokenizers` object that knows only the special tokens; nothing is downloaded),
its `chat_template`, `bos_token` and `eos_token` set from the JSON file, and
`apply_chat_template(messages, tokenize=False, add_generation_prompt=...)` renders several
conversations: a system prompt with two user/assistant turns, the same ending on a user
turn (a reply is wanted next), one without a system prompt, and contents with surrounding
whitespace (Llama 2's template strips it), newlines, braces, quotes and Chinese. Each is
rendered with and without `add_generation_prompt`. A conversation the Llama 2 template
rejects (two user turns in a row) records the message of the `TemplateError` it raises.

Writes data/reference/chat_templates.json: `provenance`, `tolerance` (0: the bytes must be
equal), `cases` (template, conversation, add_generation_prompt, messages, rendered) and
`errors` (template, messages, message).

Run from the repository root:  python3 scripts/reference/chat_templates.py
(needs `pip install transformers`; learners never need to run it).
"""
import json
import pathlib

import jinja2
import tokenizers
import transformers
from tokenizers.models import WordLevel
from transformers import PreTrainedTokenizerFast

templates = json.loads(pathlib.Path("data/chat_templates.json").read_text())


def tokenizer_for(t):
    vocab = {"<unk>": 0, t["bos_token"]: 1, t["eos_token"]: 2}
    tok = PreTrainedTokenizerFast(
        tokenizer_object=tokenizers.Tokenizer(WordLevel(vocab, unk_token="<unk>")),
        bos_token=t["bos_token"],
        eos_token=t["eos_token"],
        unk_token="<unk>",
    )
    tok.chat_template = t["chat_template"]
    return tok


def msg(role, content):
    return {"role": role, "content": content}


SYSTEM = msg("system", "You are a helpful assistant. Answer briefly.")
conversations = {
    "two_turns": [
        SYSTEM,
        msg("user", "What is the capital of France?"),
        msg("assistant", "Paris."),
        msg("user", "And of Italy?"),
        msg("assistant", "Rome."),
    ],
    "reply_wanted": [
        SYSTEM,
        msg("user", "What is 2 + 2?"),
        msg("assistant", "4"),
        msg("user", "And 3 + 3?"),
    ],
    "no_system": [
        msg("user", "Hello!"),
        msg("assistant", "Hi, how can I help?"),
        msg("user", "Tell me a joke."),
    ],
    "whitespace_and_chinese": [
        msg("system", "  你是一个乐于助人的助手。\n"),
        msg("user", "  用一句话解释注意力机制。\n\n"),
        msg("assistant", "\n注意力让每个词按相关程度\n读取其他词的信息。  "),
        msg("user", 'Return {"answer": "yes"} as JSON, with \'quotes\' and a tab\there.'),
        msg("assistant", '{"answer": "yes"}'),
    ],
}

cases, errors = [], []
for name, t in templates.items():
    tok = tokenizer_for(t)
    for conv, messages in conversations.items():
        for flag in [False, True]:
            rendered = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=flag)
            cases.append(
                {
                    "template": name,
                    "conversation": conv,
                    "add_generation_prompt": flag,
                    "messages": messages,
                    "rendered": rendered,
                }
            )

bad = [msg("user", "Hello!"), msg("user", "Are you there?")]
try:
    tokenizer_for(templates["llama2"]).apply_chat_template(bad, tokenize=False)
    raise SystemExit("the Llama 2 template accepted two user turns in a row")
except jinja2.exceptions.TemplateError as e:
    errors.append({"template": "llama2", "messages": bad, "message": str(e)})

out = {
    "provenance": (
        f"scripts/reference/chat_templates.py, transformers {transformers.__version__}, "
        f"jinja2 {jinja2.__version__}, tokenizers {tokenizers.__version__}"
    ),
    "tolerance": 0,
    "cases": cases,
    "errors": errors,
}
path = pathlib.Path("data/reference/chat_templates.json")
path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {path}: {len(cases)} renderings, {len(errors)} rejected conversation")
