"""A second opinion on densec's ONNX files, from the onnx package itself (onnx 1.12, Debian).

For each model path given: onnx.checker.check_model(full_check=True), then onnx's own shape
inference on a copy stripped of value_info, compared with the value_info densec wrote (and the
graph outputs). Prints one JSON object per model on stdout. Exit 0 when all agree, 1 otherwise;
exit 3 when `import onnx` fails (the caller skips, saying why).
"""
import json
import sys

try:
    import onnx
    from onnx import shape_inference
except Exception as e:  # noqa: BLE001 - any import failure means "no onnx here"
    print(json.dumps({"skip": f"import onnx failed: {e}"}))
    sys.exit(3)


def dims(value_info):
    shape = value_info.type.tensor_type.shape
    return [d.dim_param if d.dim_param else d.dim_value for d in shape.dim]


def check(path):
    result = {"path": path, "onnx": onnx.__version__}
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        ours = {v.name: dims(v) for v in model.graph.value_info}
        ours.update({v.name: dims(v) for v in model.graph.output})
        del model.graph.value_info[:]
        inferred_model = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        inferred = {v.name: dims(v) for v in inferred_model.graph.value_info}
        inferred.update({v.name: dims(v) for v in inferred_model.graph.output})
        mismatches = [
            {"name": name, "densec": shape, "onnx": inferred.get(name)}
            for name, shape in ours.items()
            if inferred.get(name) != shape
        ]
        result.update(ok=not mismatches, compared=len(ours), mismatches=mismatches[:10])
    except Exception as e:  # noqa: BLE001 - report any checker failure as data
        result.update(ok=False, error=f"{type(e).__name__}: {e}"[:2000])
    return result


def main():
    results = [check(p) for p in sys.argv[1:]]
    for r in results:
        print(json.dumps(r))
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
