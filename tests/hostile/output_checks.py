"""What msnpdump's output must be whatever the capture holds (issue 6): JSON
Lines whose every line is one strict JSON object, and text that is safe for a
terminal. Each check returns a list of problems (empty when the output is
right)."""
import json

# Code points a terminal acts on or that reorder what the reader sees: the C1
# controls (U+009B is CSI, like ESC [) and the bidirectional embeddings,
# overrides and isolates (the "Trojan Source" characters).
C1 = range(0x80, 0xA0)
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def jsonl_problems(data):
    """Every line is one JSON object with a "type" (strict UTF-8, no NaN or
    Infinity), and the output ends with a line end."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"JSON output is not UTF-8: {e}"]
    if text and not text.endswith("\n"):
        return ["JSON output does not end with a line end"]
    problems = []
    for n, line in enumerate(text.split("\n")[:-1], 1):
        try:
            obj = json.loads(line, parse_constant=_reject_constant)
        except ValueError as e:
            problems.append(f"JSON line {n}: {e}: {line[:200]!r}")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
            problems.append(f"JSON line {n} is not a record: {line[:200]!r}")
        if len(problems) > 5:
            break
    return problems


def text_problems(data):
    """No C0 control byte but LF, no DEL, valid UTF-8, no C1 control and no
    bidirectional override: nothing in it can act on a terminal."""
    for i, b in enumerate(data):
        if (b < 0x20 and b != 0x0A) or b == 0x7F:
            return [f"raw control byte 0x{b:02x} at {i}: {data[max(0, i - 40):i + 10]!r}"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"text output is not UTF-8: {e}: {data[max(0, e.start - 40):e.start + 10]!r}"]
    for i, ch in enumerate(text):
        cp = ord(ch)
        if cp in C1 or cp in BIDI:
            return [f"raw U+{cp:04X} at character {i}: {text[max(0, i - 40):i + 10]!r}"]
    return []


def records(data):
    """The JSON Lines output as a list of dicts (after jsonl_problems passed).
    Lines end in LF only: str.splitlines() would also split at U+0085 or
    U+2028, which JSON strings may hold raw."""
    return [json.loads(line) for line in data.decode("utf-8").split("\n")[:-1]]
