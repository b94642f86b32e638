"""What a record's content must hold for the readers: config objects, probes, curves and summaries."""


# What the readers (results.record_tables, analyses, the report) take from a record, and the
# kind of each: one schema for the cache, collect and report.
OUTCOME_KEYS = ("final_loss", "max_error", "accuracy", "fitted", "fit_epoch", "diverged", "converged")
QUANTILES = ("q05", "q25", "median", "q75", "q95")
CONFIG_OBJECTS = ("task", "model", "trainer", "search", "tune", "diagnose", "objective")


def _number(value):
    return value is None or isinstance(value, (int, float))   # null: a non-finite number


def _numbers(where, values, length=None):
    if not isinstance(values, list):
        return f"{where} is not a list"
    if length is not None and len(values) != length:
        return f"{where} has {len(values)} values, not {length}"
    for i, v in enumerate(values):
        if not _number(v):
            return f"{where}[{i}]={v!r} is not a number or null"
    return None


def _probe_problem(where, probe):
    for key, kind in (("widths", list), ("parameters", int), ("members", dict), ("curve", dict),
                      ("summary", dict)):
        if not isinstance(probe.get(key), kind):
            return f"{where}.{key} missing or not a {kind.__name__}"
    if not all(isinstance(w, int) and not isinstance(w, bool) for w in probe["widths"]):
        return f"{where}.widths={probe['widths']!r} is not a list of integers"
    members, count = probe["members"], None
    for key in OUTCOME_KEYS:
        values = members.get(key)
        count = len(values) if count is None and isinstance(values, list) else count
        problem = _numbers(f"{where}.members.{key}", values, count)
        if problem:
            return problem
    for key in ("grad_norm_init", "grad_norm_final"):
        rows = members.get(key)
        if not isinstance(rows, list) or len(rows) != count:
            return f"{where}.members.{key} is not a list of {count} lists"
        for i, row in enumerate(rows):
            problem = _numbers(f"{where}.members.{key}[{i}]", row)
            if problem:
                return problem
    curve = probe["curve"]
    problem = _numbers(f"{where}.curve.epochs", curve.get("epochs"))
    if problem:
        return problem
    length = len(curve["epochs"])
    for key in QUANTILES:
        problem = _numbers(f"{where}.curve.{key}", curve.get(key), length)
        if problem:
            return problem
    if not isinstance(curve.get("first_members"), list):
        return f"{where}.curve.first_members is not a list"
    for i, row in enumerate(curve["first_members"]):
        problem = _numbers(f"{where}.curve.first_members[{i}]", row, length)
        if problem:
            return problem
    diagnosis = probe.get("diagnosis")
    if diagnosis is not None and not (isinstance(diagnosis, dict) and all(
            isinstance(v, list) and len(v) == len(diagnosis.get("member", [])) for v in diagnosis.values())):
        return f"{where}.diagnosis is not an object of equally long lists"
    if diagnosis and not all(isinstance(m, int) and 0 <= m < count for m in diagnosis.get("member", [])):
        return f"{where}.diagnosis.member is not a list of member indices below {count}"
    return None


def _summary_problem(where, summary):
    for key, value in summary.items():   # one table cell each (a list is written as text)
        if not (_number(value) or isinstance(value, (str, list))):
            return f"{where}.{key}={value!r} is not a number, text, null or a list"
    return None


def content_problem(record):
    """Why the content of a record with every part is not what the readers take, or None."""
    config = record["config"]
    for key in CONFIG_OBJECTS:
        if key in config and not isinstance(config[key], dict):
            return f"config.{key}={config[key]!r} is not an object"
    if config.get("construction") is not None and not isinstance(config["construction"], dict):
        return f"config.construction={config['construction']!r} is not an object or null"
    if not isinstance(record.get("experiment", ""), (str, type(None))):
        return f"experiment={record['experiment']!r} is not text"
    block = record.get("seed_block")
    if block is not None and (isinstance(block, bool) or not isinstance(block, int) or block < 0):
        return f"seed_block={block!r} is not a whole number >= 0 or null"
    timing = record["timing"]
    for key in ("seconds", "member_epochs"):
        if key in timing and not (isinstance(timing[key], (int, float)) and not isinstance(timing[key], bool)):
            return f"timing.{key}={timing[key]!r} is not a number"
    if "seconds" not in timing:
        return "timing.seconds missing"
    if not isinstance(timing.get("cached", False), bool):
        return f"timing.cached={timing['cached']!r} is not true or false"
    tuning = record.get("tuning")
    if tuning is not None and not (isinstance(tuning, dict) and isinstance(tuning.get("chosen", {}), dict)):
        return "tuning is not an object with a 'chosen' object"
    problem = _summary_problem("summary", record["summary"])
    for i, probe in enumerate(record["probes"]):
        problem = problem or _probe_problem(f"probes[{i}]", probe) or _summary_problem(
            f"probes[{i}].summary", probe["summary"])
    return problem
