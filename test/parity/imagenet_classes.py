"""Prints torchvision's ImageNet class names as the JSON of src/image/imagenet-classes.json.

Regenerate with:  $DENSEC_PYTHON test/parity/imagenet_classes.py > src/image/imagenet-classes.json
The list is data in torchvision/models/_meta.py (`_IMAGENET_CATEGORIES`); it is read from the
source with `ast`, without importing torch (which takes seconds).
"""
import ast
import importlib.util
import json
import os
import re

root = importlib.util.find_spec("torchvision").submodule_search_locations[0]
with open(os.path.join(root, "models", "_meta.py"), encoding="utf-8") as f:
    module = ast.parse(f.read())
categories = next(
    ast.literal_eval(node.value)
    for node in module.body
    if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "_IMAGENET_CATEGORIES" for t in node.targets)
)
with open(os.path.join(root, "version.py"), encoding="utf-8") as f:
    version = re.search(r"__version__ = '(\d+\.\d+\.\d+)", f.read()).group(1)

assert len(categories) == 1000
doc = {
    "source": "torchvision %s, torchvision/models/_meta.py, _IMAGENET_CATEGORIES (index = class id)" % version,
    "classes": categories,
}
print(json.dumps(doc, indent=0, ensure_ascii=False))
