"""Writes model.json: the input shapes of botocore's Kinesis model.

Run from kinesisx/local: python3 testdata/trim_model.py > model.json
The endpoint checks every request's JSON types and constraints against it.
"""
import gzip, json, os
import botocore

path = os.path.join(os.path.dirname(botocore.__file__), "data/kinesis/2013-12-02/service-2.json.gz")
model = json.load(gzip.open(path))
shapes, out = model["shapes"], {}


def walk(name):
    if name in out:
        return
    s = shapes[name]
    t = {k: s[k] for k in ("type", "required", "min", "max", "pattern", "enum") if k in s}
    if "members" in s:
        t["members"] = {k: v["shape"] for k, v in s["members"].items()}
    for k in ("member", "key", "value"):
        if k in s:
            t[k] = s[k]["shape"]
    out[name] = t
    for v in t.get("members", {}).values():
        walk(v)
    for k in ("member", "key", "value"):
        if k in t:
            walk(t[k])


ops = {}
for name, op in sorted(model["operations"].items()):
    if "input" in op:
        ops[name] = op["input"]["shape"]
        walk(ops[name])
print(json.dumps({"version": model["metadata"]["apiVersion"], "operations": ops,
                  "shapes": dict(sorted(out.items()))}, indent=1, sort_keys=True))
